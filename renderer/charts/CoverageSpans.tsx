// Coverage: one bar per log type and sensor on a shared UTC time axis; silences of an hour or
// more inside a span are drawn as breaks (the bar stops, a dashed line bridges the gap). Log
// types Metronome does not load are drawn hollow (span read back from the file).
import { useLayoutEffect, useMemo, useRef } from 'react';
import * as d3 from 'd3';
import type { CoverageLogType } from '../../shared/types.js';
import { formatInt } from '../format.js';
import { timeTickCount, timeTickFormat } from './Timeline.js';
import { fitText, monoFamily } from './text.js';

const MARGIN = { top: 72, right: 110, bottom: 46, left: 210 };
const ROW_H = 26;

export function coverageSpansHeight(rows: number): number {
  return MARGIN.top + Math.max(1, rows) * ROW_H + MARGIN.bottom;
}

interface Row {
  lt: CoverageLogType;
  start: number;
  end: number;
  /** Pieces of the span with data (span minus the gaps). */
  pieces: [number, number][];
  gaps: [number, number][];
}

function rowsOf(types: CoverageLogType[]): Row[] {
  const out: Row[] = [];
  for (const lt of types) {
    if (!lt.start || !lt.end) continue;
    const start = Date.parse(lt.start);
    const end = Date.parse(lt.end);
    const gaps = lt.gaps.map((g) => [Date.parse(g.start), Date.parse(g.end)] as [number, number]).sort((a, b) => a[0] - b[0]);
    const pieces: [number, number][] = [];
    let at = start;
    for (const [gs, ge] of gaps) {
      if (gs > at) pieces.push([at, gs]);
      at = Math.max(at, ge);
    }
    if (end >= at) pieces.push([at, end]);
    out.push({ lt, start, end, pieces, gaps });
  }
  return out;
}

export function CoverageSpans({ types, width, relativeClock }: { types: CoverageLogType[]; width: number; relativeClock: boolean }) {
  const axisRef = useRef<SVGGElement>(null);
  const rows = useMemo(() => rowsOf(types), [types]);
  const innerW = Math.max(10, width - MARGIN.left - MARGIN.right);
  const height = coverageSpansHeight(rows.length);
  const lo = d3.min(rows, (r) => r.start) ?? 0;
  const hi = d3.max(rows, (r) => r.end) ?? 1;
  const span = Math.max(1000, hi - lo);
  const x = useMemo(() => d3.scaleUtc().domain([new Date(lo), new Date(lo + span)]).range([0, innerW]), [lo, span, innerW]);
  useLayoutEffect(() => {
    if (!axisRef.current) return;
    d3.select(axisRef.current).call(d3.axisBottom<Date>(x).ticks(timeTickCount(span, innerW)).tickFormat(timeTickFormat(span)).tickSizeOuter(0).tickPadding(6));
  }, [x, span, innerW]);
  const labelFont = `12px ${monoFamily()}`;
  const px = (t: number) => x(new Date(t));
  return (
    <svg className="chart-svg coverage-spans" data-testid="coverage-spans" data-rows={rows.length} width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Time covered by each log type">
      <text className="chart-title" x={12} y={18}>
        When each log type has data
      </text>
      <text className="chart-subtitle" x={12} y={37}>
        {`one bar per log type and sensor · breaks are silences of 1 hour or more · ${relativeClock ? 'relative timestamps (time counted from zero)' : 'UTC'}`}
      </text>
      <g className="legend" transform={`translate(${MARGIN.left},58)`}>
        <rect className="span-bar" x={0} y={-8} width={18} height={9} />
        <text x={24} y={0}>data</text>
        <line className="gap-line" x1={70} x2={96} y1={-4} y2={-4} />
        <text x={102} y={0}>gap ≥ 1 h</text>
        <rect className="span-bar not-loaded" x={178} y={-8} width={18} height={9} />
        <text x={202} y={0}>not loaded (span from the file)</text>
      </g>
      <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
        {rows.map((r, i) => {
          const y = i * ROW_H;
          const label = `${r.lt.type} · ${r.lt.sensor}`;
          const x0 = px(r.start);
          const x1 = Math.max(x0 + 2, px(r.end));
          return (
            <g key={`${r.lt.type}-${r.lt.sensor}-${i}`} className="span-row" data-type={r.lt.type} data-sensor={r.lt.sensor} data-gaps={r.gaps.length} transform={`translate(0,${y})`}>
              <title>{`${label}: ${formatInt(r.lt.rows)} rows, ${r.lt.gaps.length} gap${r.lt.gaps.length === 1 ? '' : 's'}`}</title>
              <text className="row-label" x={-10} y={ROW_H / 2 + 4} textAnchor="end" fontFamily={monoFamily()}>
                {fitText(label, MARGIN.left - 20, labelFont)}
              </text>
              <line className="span-track" x1={0} x2={innerW} y1={ROW_H / 2} y2={ROW_H / 2} />
              {r.pieces.map(([a, b], j) => (
                <rect key={j} className={`span-bar${r.lt.loaded ? '' : ' not-loaded'}`} x={px(a)} y={5} width={Math.max(2, px(b) - px(a))} height={ROW_H - 10} rx={2} />
              ))}
              {r.gaps.map(([a, b], j) => (
                <g key={`g${j}`} className="gap-mark">
                  <line className="gap-line" x1={px(a)} x2={px(b)} y1={ROW_H / 2} y2={ROW_H / 2} />
                  <line className="gap-edge" x1={px(a) - 3} x2={px(a) + 3} y1={ROW_H - 4} y2={4} />
                  <line className="gap-edge" x1={px(b) - 3} x2={px(b) + 3} y1={ROW_H - 4} y2={4} />
                </g>
              ))}
              <text className="row-count" x={Math.min(innerW, x1) + 8} y={ROW_H / 2 + 4}>
                {`${formatInt(r.lt.rows)} rows`}
              </text>
            </g>
          );
        })}
      </g>
      <g className="axis axis-x" ref={axisRef} transform={`translate(${MARGIN.left},${MARGIN.top + rows.length * ROW_H + 4})`} />
      <text className="axis-title" x={MARGIN.left + innerW / 2} y={height - 6} textAnchor="middle">
        {relativeClock ? 'time (relative, shown as UTC from 1970-01-01)' : 'time (UTC)'}
      </text>
    </svg>
  );
}
