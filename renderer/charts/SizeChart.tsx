// Data sizes per event: bytes out (client → server) above the zero line, bytes in below, both on
// symlog scales, over the same time range as the timeline. A beacon's fixed-size check-ins form
// flat ridges; scheduled exfiltration shows as tall outbound spikes. Binned like the timeline
// when the range holds too many events (each line spans the column's smallest to largest size).
import { useLayoutEffect, useMemo, useRef } from 'react';
import * as d3 from 'd3';
import type { PairSeries } from '../../shared/types.js';
import { formatBytesShort, formatInt } from '../format.js';
import { Legend, type LegendItem } from './Legend.js';
import { byteTicks, timeDomain, timeTickCount, timeTickFormat } from './Timeline.js';
import { fontFamily } from './text.js';

const MARGIN = { top: 74, right: 34, bottom: 44, left: 62 };

interface Stem {
  x: number;
  lo: number;
  hi: number;
}

export function SizeChart({ series, width, height, zoomed = false }: { series: PairSeries; width: number; height: number; zoomed?: boolean }) {
  const xAxisRef = useRef<SVGGElement>(null);
  const yAxisRef = useRef<SVGGElement>(null);
  const marksRef = useRef<SVGGElement>(null);
  const font = fontFamily();
  const innerW = Math.max(0, width - MARGIN.left - MARGIN.right);
  const innerH = Math.max(0, height - MARGIN.top - MARGIN.bottom);
  const mid = innerH / 2;
  const isBins = series.mode === 'bins';

  const { outs, ins } = useMemo(() => {
    const o: Stem[] = [];
    const i: Stem[] = [];
    if (isBins) {
      for (const b of series.bins) {
        const t = (b.t0 + b.t1) / 2;
        if (b.outMax !== null) o.push({ x: t, lo: b.outMin ?? 0, hi: b.outMax });
        if (b.inMax !== null) i.push({ x: t, lo: b.inMin ?? 0, hi: b.inMax });
      }
    } else {
      for (const p of series.points) {
        if (p.out !== null) o.push({ x: p.t, lo: 0, hi: p.out });
        if (p.in !== null) i.push({ x: p.t, lo: 0, hi: p.in });
      }
    }
    return { outs: o, ins: i };
  }, [series, isBins]);

  const scales = useMemo(() => {
    const [t0, t1] = timeDomain(series.range, zoomed);
    const x = d3.scaleUtc().domain([new Date(t0), new Date(t1)]).range([0, innerW]);
    const max = Math.max(d3.max(outs, (s) => s.hi) ?? 0, d3.max(ins, (s) => s.hi) ?? 0);
    const yMax = Math.max(10, 10 ** Math.ceil(Math.log10(Math.max(1, max * 1.05))));
    const yOut = d3.scaleSymlog().constant(1).domain([0, yMax]).range([mid, 0]);
    const yIn = d3.scaleSymlog().constant(1).domain([0, yMax]).range([mid, innerH]);
    return { x, yOut, yIn, yMax, spanMs: t1 - t0 };
  }, [series.range, zoomed, outs, ins, innerW, innerH, mid]);

  useLayoutEffect(() => {
    if (!xAxisRef.current || !yAxisRef.current || !marksRef.current || innerW <= 0) return;
    const { x, yOut, yIn, yMax, spanMs } = scales;
    d3.select(xAxisRef.current).call(
      d3.axisBottom<Date>(x).ticks(timeTickCount(spanMs, innerW)).tickFormat(timeTickFormat(spanMs)).tickSizeOuter(0).tickPadding(8),
    );
    const all = byteTicks(yMax);
    const step = Math.max(1, Math.ceil((22 * all.length) / Math.max(1, mid)));
    const ticks = all.filter((v, i) => v >= 10 && (all.length - 1 - i) % step === 0);
    const yAxis = d3.select(yAxisRef.current);
    yAxis.selectAll('*').remove();
    yAxis.append('g').call(d3.axisLeft<number>(yOut).tickValues([0, ...ticks]).tickFormat((v) => formatBytesShort(Number(v))).tickSizeOuter(0).tickPadding(6));
    yAxis.append('g').call(d3.axisLeft<number>(yIn).tickValues(ticks).tickFormat((v) => formatBytesShort(Number(v))).tickSizeOuter(0).tickPadding(6));
    const marks = d3.select(marksRef.current);
    const draw = (cls: string, data: Stem[], y: d3.ScaleSymLog<number, number>) =>
      marks
        .selectAll<SVGLineElement, Stem>(`line.${cls}`)
        .data(data)
        .join('line')
        .attr('class', cls)
        .attr('x1', (s) => x(new Date(s.x)))
        .attr('x2', (s) => x(new Date(s.x)))
        .attr('y1', (s) => y(s.lo))
        .attr('y2', (s) => y(s.hi));
    draw('size-out', outs, yOut);
    draw('size-in', ins, yIn);
  }, [scales, outs, ins, innerW, mid]);

  const legend: LegendItem[] = [
    { label: 'bytes out ↑', swatch: 'stem', className: 'legend-size-out' },
    { label: 'bytes in ↓', swatch: 'stem', className: 'legend-size-in' },
  ];
  const sub = isBins
    ? `${formatInt(series.inRange)} events, min–max per pixel column`
    : `${formatInt(outs.length)} with bytes out, ${formatInt(ins.length)} with bytes in`;
  return (
    <svg data-testid="sizes" data-out={outs.length} data-in={ins.length} width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Data size per event" className="chart-svg">
      <text className="chart-title" x={12} y={18}>
        Data size per event
      </text>
      <text className="chart-subtitle" x={12} y={37}>
        {sub}
      </text>
      <Legend items={legend} x={12} y={57} font={`12px ${font}`} align="left" />
      <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
        <line className="zero-line" x1={0} x2={innerW} y1={mid + 0.5} y2={mid + 0.5} />
        <g className="axis axis-x" ref={xAxisRef} transform={`translate(0,${innerH})`} />
        <g className="axis axis-y" ref={yAxisRef} />
        <g className="marks" ref={marksRef} />
        <text className="axis-title" x={innerW / 2} y={innerH + 38} textAnchor="middle">
          time (UTC)
        </text>
        <text className="axis-title" transform={`translate(${-50},${mid}) rotate(-90)`} textAnchor="middle">
          bytes (out ↑ · in ↓)
        </text>
      </g>
    </svg>
  );
}
