// Overview: an interval heatmap of the top N findings (rows) over time bins (columns), to spot
// hosts that share a schedule. Rows can be ordered by score, by period (look-alike rhythms next
// to each other) or by destination.
import { useMemo, useState } from 'react';
import type { OverviewRow } from '../../shared/types.js';
import type { AppTransport } from '../transport.js';
import { ChartFrame } from '../charts/ChartFrame.js';
import { OverviewHeatmap } from '../charts/OverviewHeatmap.js';
import { current, useAsync } from '../ui/useAsync.js';

type Order = 'score' | 'period' | 'dst';

export function OverviewView({ transport, version, onOpen }: { transport: AppTransport; version: number; onOpen(id: string): void }) {
  const [top, setTop] = useState(40);
  const [bins, setBins] = useState(240);
  const [minScore, setMinScore] = useState(0);
  const [order, setOrder] = useState<Order>('score');
  const [load] = useAsync(() => transport.invoke('overview', { top, bins, minScore }), [transport, top, bins, minScore, version]);
  const data = current(load);
  const rows = useMemo(() => {
    const list: OverviewRow[] = [...(data?.rows ?? [])];
    if (order === 'period') list.sort((a, b) => (a.period ?? Infinity) - (b.period ?? Infinity) || b.score - a.score);
    if (order === 'dst') list.sort((a, b) => a.dst.localeCompare(b.dst) || b.score - a.score);
    return list;
  }, [data, order]);
  const rowH = rows.length > 60 ? 12 : rows.length > 30 ? 16 : 20;
  const height = 88 + 44 + rows.length * rowH;
  return (
    <div className="overview-view">
      <div className="panel-head controls">
        <h2>Overview</h2>
        <label className="filter">
          <span>rows</span>
          <select value={top} data-testid="overview-top" onChange={(e) => setTop(Number(e.target.value))}>
            {[20, 40, 80, 150].map((n) => (
              <option key={n} value={n}>
                top {n}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span>score ≥</span>
          <select value={minScore} onChange={(e) => setMinScore(Number(e.target.value))}>
            {[0, 0.2, 0.3, 0.5, 0.7].map((n) => (
              <option key={n} value={n}>
                {n.toFixed(1)}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span>columns</span>
          <select value={bins} onChange={(e) => setBins(Number(e.target.value))}>
            {[120, 240, 480].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span>order</span>
          <select value={order} data-testid="overview-order" onChange={(e) => setOrder(e.target.value as Order)}>
            <option value="score">by score</option>
            <option value="period">by period (shared rhythms together)</option>
            <option value="dst">by destination</option>
          </select>
        </label>
      </div>
      {load.state === 'error' && (
        <div className="error-banner" role="alert">
          {load.message}
        </div>
      )}
      {data && rows.length === 0 && <div className="placeholder">No findings at this score.</div>}
      {data && rows.length > 0 && (
        <ChartFrame testId="overview" className="overview-frame" exportName="metronome-overview" busy={load.state === 'loading'} height={height}>
          {({ width }) => <OverviewHeatmap data={data} rows={rows} width={width} onOpen={onOpen} />}
        </ChartFrame>
      )}
    </div>
  );
}
