// Overview: the top findings as rows, time bins as columns, each cell the events of that finding
// in that bin. Findings that keep the same schedule line up as the same vertical pattern; rows
// can be ordered by period to put look-alike rhythms together.
import { useLayoutEffect, useMemo, useRef } from 'react';
import * as d3 from 'd3';
import type { Overview, OverviewRow } from '../../shared/types.js';
import { formatInt, formatPeriod, formatScore } from '../format.js';
import { HEAT_COLORS } from './ClockHeatmap.js';
import { timeTickCount, timeTickFormat } from './Timeline.js';
import { fitText, fontFamily, monoFamily } from './text.js';

const MARGIN = { top: 88, right: 74, bottom: 44, left: 300 };

export function OverviewHeatmap({
  data,
  rows,
  width,
  onOpen,
}: {
  data: Overview;
  rows: OverviewRow[];
  width: number;
  onOpen?(id: string): void;
}) {
  const xAxisRef = useRef<SVGGElement>(null);
  const font = fontFamily();
  const rowH = rows.length > 60 ? 12 : rows.length > 30 ? 16 : 20;
  const innerW = Math.max(0, width - MARGIN.left - MARGIN.right);
  const innerH = rows.length * rowH;
  const height = MARGIN.top + innerH + MARGIN.bottom;
  const cw = innerW / data.bins;
  const max = d3.max(rows, (r) => d3.max(r.counts)) ?? 1;
  const color = useMemo(() => {
    const s = max > 20 ? d3.scaleLog().domain([1, max]).range([0, 1]) : d3.scaleLinear().domain([0, Math.max(1, max)]).range([0, 1]);
    return (n: number) => HEAT_COLORS(Math.max(0, Math.min(1, s(Math.max(1, n)))));
  }, [max]);
  const x = useMemo(() => d3.scaleUtc().domain([new Date(data.start), new Date(data.start + data.binMs * data.bins)]).range([0, innerW]), [data, innerW]);

  useLayoutEffect(() => {
    if (!xAxisRef.current) return;
    const span = data.binMs * data.bins;
    d3.select(xAxisRef.current).call(d3.axisBottom<Date>(x).ticks(timeTickCount(span, innerW)).tickFormat(timeTickFormat(span)).tickSizeOuter(0).tickPadding(6));
  }, [x, data, innerW]);

  const labelFont = `12px ${monoFamily()}`;
  return (
    <svg data-testid="overview-heatmap" data-rows={rows.length} width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Event schedule of the top findings" className="chart-svg">
      <text className="chart-title" x={12} y={18}>
        When the top {formatInt(rows.length)} findings were active
      </text>
      <text className="chart-subtitle" x={12} y={37}>
        {`events per finding per ${formatPeriod(data.binMs / 1000)} bin · rows that share a vertical pattern keep the same schedule · click a row to open it`}
      </text>
      <g className="legend" transform="translate(12,57)">
        <defs>
          <linearGradient id="ov-grad" x1="0" x2="1" y1="0" y2="0">
            {d3.range(0, 1.0001, 0.1).map((t) => (
              <stop key={t} offset={`${t * 100}%`} stopColor={HEAT_COLORS(t)} />
            ))}
          </linearGradient>
        </defs>
        <text x={0} y={0} className="legend-caption">
          events per bin: 1
        </text>
        <rect x={112} y={-9} width={150} height={9} fill="url(#ov-grad)" />
        <text x={112 + 156} y={0}>
          {formatInt(max)}
          {max > 20 ? ' (log colour scale)' : ''}
        </text>
      </g>
      <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
        <rect className="heat-bg" x={0} y={0} width={innerW} height={innerH} />
        {rows.map((r, i) => (
          <g
            key={r.id}
            className="ov-row"
            data-finding-id={r.id}
            transform={`translate(0,${i * rowH})`}
            onClick={() => onOpen?.(r.id)}
          >
            <title>{`${r.src === '*' ? `${r.hosts} hosts` : r.src} → ${r.dst} · score ${formatScore(r.score)} · ${r.category} · period ${formatPeriod(r.period)} · ${formatInt(d3.sum(r.counts))} events`}</title>
            <rect className="ov-hit" x={-MARGIN.left} y={0} width={MARGIN.left + innerW + MARGIN.right} height={rowH} />
            <text className="ov-label" x={-10} y={rowH / 2} dy="0.32em" textAnchor="end">
              {fitText(`${r.src === '*' ? `${r.hosts} hosts` : r.src} → ${r.dst}`, MARGIN.left - 60, labelFont)}
            </text>
            <text className="ov-score" x={-MARGIN.left + 8} y={rowH / 2} dy="0.32em">
              {formatScore(r.score)}
            </text>
            {r.counts.map((n, b) =>
              n > 0 ? <rect key={b} className="ov-cell" data-n={n} x={b * cw} y={1} width={Math.max(0.8, cw - (cw > 3 ? 0.5 : 0))} height={rowH - 2} fill={color(n)} /> : null,
            )}
            <text className="ov-period" x={innerW + 8} y={rowH / 2} dy="0.32em">
              {formatPeriod(r.period)}
            </text>
          </g>
        ))}
        <g className="axis axis-x" ref={xAxisRef} transform={`translate(0,${innerH})`} />
        <text className="axis-title" x={innerW / 2} y={innerH + 36} textAnchor="middle">
          time (UTC)
        </text>
        <text className="axis-title" x={-MARGIN.left + 8} y={-8}>
          score · source → destination
        </text>
        <text className="axis-title" x={innerW + 8} y={-8}>
          period
        </text>
      </g>
    </svg>
  );
}
