// Transfers over time for one finding: every event as a mark (x = start time, y = bytes out on a
// symlog scale, so zero-byte events sit on the baseline and one large transfer does not flatten
// the rest). Above EVENTS_MAX events in the range the engine sends one bin per pixel column and
// each is drawn as a vertical line from its smallest to its largest bytes out (what M4
// downsampling keeps), darker for more events. Drag across the chart to zoom every linked view
// to that range; double-click to see everything again.
// React owns the <svg> and its static text; d3 computes scales and draws axes, marks and the
// brush into refs. All text goes through text nodes, never markup.
import { useLayoutEffect, useMemo, useRef } from 'react';
import * as d3 from 'd3';
import type { PairSeries, SeriesBin, SeriesPoint } from '../../shared/types.js';
import { formatBytes, formatBytesShort, formatInt, formatMs, hostPort, sourceLabel } from '../format.js';
import { Legend, legendWidth, type LegendItem } from './Legend.js';
import { fitPair, fontFamily, textWidth } from './text.js';

export interface TimelineProps {
  series: PairSeries;
  width: number;
  height: number;
  /** Called with the brushed range (epoch ms), or null on double-click (reset). */
  onBrush?(range: [number, number] | null): void;
  zoomed?: boolean;
}

const MARGIN = { top: 52, right: 20, bottom: 44, left: 66 };
const UNKNOWN_BAND = 18;

export const EVENT_NOUN: Record<string, string> = { connection: 'Connections', http: 'HTTP requests', dns: 'DNS lookups' };

export function timeTickFormat(spanMs: number): (d: Date) => string {
  if (spanMs <= 3 * 60_000) return d3.utcFormat('%H:%M:%S');
  if (spanMs <= 86_400_000) return d3.utcFormat('%H:%M');
  if (spanMs <= 8 * 86_400_000) return d3.utcFormat('%b %d %H:%M');
  if (spanMs <= 400 * 86_400_000) return d3.utcFormat('%b %d');
  return d3.utcFormat('%Y-%m-%d');
}

/** How many time ticks fit: labels of the span's format need about this many pixels each. */
export function timeTickCount(spanMs: number, width: number): number {
  const px = spanMs <= 3 * 60_000 ? 90 : spanMs <= 86_400_000 ? 70 : spanMs <= 8 * 86_400_000 ? 130 : spanMs <= 400 * 86_400_000 ? 80 : 110;
  return Math.max(2, Math.floor(width / px));
}

/** 0 and the powers of ten up to max (a symlog scale spreads them evenly). */
export function byteTicks(max: number): number[] {
  const ticks = [0];
  for (let p = 1; p <= max * 1.0001; p *= 10) ticks.push(p);
  return ticks;
}

/** The x domain for a range: the brushed range as is, the whole extent with a little air. */
export function timeDomain(range: [number, number] | null, zoomed: boolean): [number, number] {
  let [t0, t1] = range ?? [Date.now() - 3_600_000, Date.now()];
  if (t1 - t0 < 1000) {
    t0 -= 30_000;
    t1 += 30_000;
  }
  const pad = zoomed ? 0 : (t1 - t0) * 0.015;
  return [t0 - pad, t1 + pad];
}

function pointTitle(p: SeriesPoint): string {
  return [
    `${formatMs(p.t)} UTC`,
    `bytes out ${p.out === null ? 'unknown' : `${formatInt(p.out)} (${formatBytes(p.out)})`}`,
    `bytes in ${p.in === null ? 'unknown' : `${formatInt(p.in)} (${formatBytes(p.in)})`}`,
    p.failed ? 'no reply / refused' : 'answered',
  ].join('\n');
}

function binTitle(b: SeriesBin): string {
  return [
    `${formatMs(b.t0)} – ${formatMs(b.t1)} UTC`,
    `${formatInt(b.n)} event${b.n === 1 ? '' : 's'}${b.failed ? ` (${formatInt(b.failed)} unanswered)` : ''}`,
    `bytes out ${b.outMin === null ? 'unknown' : `${formatBytes(b.outMin)} – ${formatBytes(b.outMax)}`}`,
  ].join('\n');
}

export function Timeline({ series, width, height, onBrush, zoomed = false }: TimelineProps) {
  const xAxisRef = useRef<SVGGElement>(null);
  const yAxisRef = useRef<SVGGElement>(null);
  const gridRef = useRef<SVGGElement>(null);
  const marksRef = useRef<SVGGElement>(null);
  const brushRef = useRef<SVGGElement>(null);
  const onBrushRef = useRef(onBrush);
  onBrushRef.current = onBrush;

  const f = series.finding;
  const font = fontFamily();
  const legendFont = `12px ${font}`;
  const isBins = series.mode === 'bins';
  const hasUnknown = isBins ? series.bins.some((b) => b.outMax === null) : series.points.some((p) => p.out === null);
  const hasFailed = isBins ? series.bins.some((b) => b.failed * 2 > b.n) : series.points.some((p) => p.failed);
  const hasAnswered = isBins ? series.bins.some((b) => b.failed * 2 <= b.n) : series.points.some((p) => !p.failed);

  const legend: LegendItem[] = [
    ...(hasAnswered ? [{ label: isBins ? 'min–max bytes per pixel column' : 'answered', swatch: isBins ? ('stem' as const) : ('dot' as const), className: isBins ? 'legend-stem' : 'legend-mark' }] : []),
    ...(hasFailed ? [{ label: 'no reply / refused', swatch: isBins ? ('stem' as const) : ('dot' as const), className: isBins ? 'legend-stem failed' : 'legend-mark failed' }] : []),
    ...(hasUnknown ? [{ label: 'bytes unknown (n/a band)', swatch: 'band' as const, className: 'legend-band' }] : []),
  ];

  const innerW = Math.max(0, width - MARGIN.left - MARGIN.right);
  const innerH = Math.max(0, height - MARGIN.top - MARGIN.bottom);
  const plotH = Math.max(0, innerH - (hasUnknown ? UNKNOWN_BAND : 0));

  const scales = useMemo(() => {
    const [t0, t1] = timeDomain(series.range, zoomed);
    const x = d3.scaleUtc().domain([new Date(t0), new Date(t1)]).range([0, innerW]);
    const maxBytes = isBins ? d3.max(series.bins, (b) => b.outMax ?? 0) ?? 0 : d3.max(series.points, (p) => p.out ?? 0) ?? 0;
    const yMax = Math.max(10, 10 ** Math.ceil(Math.log10(Math.max(1, maxBytes * 1.05))));
    const y = d3.scaleSymlog().constant(1).domain([0, yMax]).range([plotH, 0]);
    return { x, y, spanMs: t1 - t0, yMax };
  }, [series, innerW, plotH, isBins, zoomed]);

  useLayoutEffect(() => {
    if (!xAxisRef.current || !yAxisRef.current || !gridRef.current || !marksRef.current || !brushRef.current || innerW <= 0) return;
    const { x, y, spanMs, yMax } = scales;
    d3.select(xAxisRef.current).call(
      d3.axisBottom<Date>(x).ticks(timeTickCount(spanMs, innerW)).tickFormat(timeTickFormat(spanMs)).tickSizeOuter(0).tickPadding(8),
    );
    const allTicks = byteTicks(yMax);
    const step = Math.max(1, Math.ceil((22 * allTicks.length) / Math.max(1, plotH)));
    const yTicks = allTicks.filter((v, i) => v === 0 || (allTicks.length - 1 - i) % step === 0);
    d3.select(yAxisRef.current).call(
      d3.axisLeft<number>(y).tickValues(yTicks).tickFormat((v) => formatBytesShort(Number(v))).tickSizeOuter(0).tickPadding(8),
    );
    d3.select(gridRef.current)
      .selectAll<SVGLineElement, number>('line')
      .data(yTicks)
      .join('line')
      .attr('x1', 0)
      .attr('x2', innerW)
      .attr('y1', (d) => y(d) + 0.5)
      .attr('y2', (d) => y(d) + 0.5);

    const unknownY = plotH + UNKNOWN_BAND / 2 + 2;
    const marks = d3.select(marksRef.current);
    if (!isBins) {
      marks.selectAll('line.conn-bin').remove();
      marks
        .selectAll<SVGCircleElement, SeriesPoint>('circle.conn-mark')
        .data(series.points)
        .join((enter) => enter.append('circle').call((c) => c.append('title')))
        .attr('class', (p) => `conn-mark${p.failed ? ' failed' : ''}${p.out === null ? ' unknown' : ''}`)
        .attr('cx', (p) => x(new Date(p.t)))
        .attr('cy', (p) => (p.out === null ? unknownY : y(p.out)))
        .attr('r', series.points.length > 2000 ? 2 : 3)
        .select('title')
        .text(pointTitle);
    } else {
      marks.selectAll('circle.conn-mark').remove();
      const maxN = d3.max(series.bins, (b) => b.n) ?? 1;
      marks
        .selectAll<SVGLineElement, SeriesBin>('line.conn-bin')
        .data(series.bins)
        .join((enter) => enter.append('line').call((l) => l.append('title')))
        .attr('class', (b) => `conn-bin${b.failed * 2 > b.n ? ' failed' : ''}${b.outMax === null ? ' unknown' : ''}`)
        .attr('data-n', (b) => b.n)
        .attr('x1', (b) => x(new Date((b.t0 + b.t1) / 2)))
        .attr('x2', (b) => x(new Date((b.t0 + b.t1) / 2)))
        .attr('y1', (b) => (b.outMax === null ? unknownY - 4 : y(b.outMin ?? 0) + 1.5))
        .attr('y2', (b) => (b.outMax === null ? unknownY + 4 : y(b.outMax) - 1.5))
        .attr('stroke-opacity', (b) => 0.35 + 0.65 * Math.sqrt(b.n / maxN))
        .select('title')
        .text(binTitle);
    }

    const brush = d3
      .brushX()
      .extent([
        [0, 0],
        [innerW, Math.max(1, plotH)],
      ])
      .on('end', (ev: d3.D3BrushEvent<unknown>) => {
        if (!ev.sourceEvent || !ev.selection) return;
        const [a, b] = ev.selection as [number, number];
        d3.select(brushRef.current!).call(brush.move, null);
        if (b - a < 4) return;
        onBrushRef.current?.([x.invert(a).getTime(), x.invert(b).getTime()]);
      });
    const g = d3.select(brushRef.current).call(brush);
    g.on('dblclick', () => onBrushRef.current?.(null));
    return () => {
      g.on('.brush', null);
    };
  }, [scales, series, innerW, plotH, isBins]);

  const textLeft = 12;
  const noun = EVENT_NOUN[f.eventType] ?? 'Events';
  const dstLabel = `${hostPort(f.dst, f.port)}${f.proto ? `/${f.proto}` : ''}`;
  const fullTitle = `${noun} over time: ${sourceLabel(f)} → ${dstLabel}`;
  const title = fitPair(`${noun} over time: `, sourceLabel(f), dstLabel, width - textLeft - MARGIN.right, `600 14px ${font}`);
  const lw = legendWidth(legend, legendFont);
  const count =
    series.inRange === series.total
      ? `${formatInt(series.total)} ${noun.toLowerCase()}`
      : `${formatInt(series.inRange)} of ${formatInt(series.total)} ${noun.toLowerCase()} (zoomed)`;
  const range = series.range ? ` · ${formatMs(series.range[0])} – ${formatMs(series.range[1])} UTC` : '';
  const hint = onBrush ? (zoomed ? ' · double-click: all' : ' · drag to zoom') : '';
  const subRoom = width - textLeft - MARGIN.right - lw - 12;
  let sub = count + range + hint;
  if (textWidth(sub, legendFont) > subRoom) sub = count + hint;
  if (textWidth(sub, legendFont) > subRoom) sub = count;

  return (
    <svg
      data-testid="timeline"
      data-mode={series.mode}
      data-events={series.inRange}
      data-from={series.range?.[0]}
      data-to={series.range?.[1]}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={fullTitle}
      className="chart-svg"
    >
      <text className="chart-title" x={textLeft} y={18}>
        <title>{fullTitle}</title>
        {title}
      </text>
      <text className="chart-subtitle" x={textLeft} y={37}>
        {sub}
      </text>
      <Legend items={legend} x={width - MARGIN.right} y={37} font={legendFont} />
      <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
        <g className="grid" ref={gridRef} />
        {hasUnknown && (
          <g className="unknown-band">
            <rect x={0} y={plotH + 4} width={innerW} height={UNKNOWN_BAND - 4} />
            <text x={-8} y={plotH + UNKNOWN_BAND / 2 + 2} dy="0.32em" textAnchor="end">
              n/a
            </text>
          </g>
        )}
        <g className="axis axis-x" ref={xAxisRef} transform={`translate(0,${innerH})`} />
        <g className="axis axis-y" ref={yAxisRef} />
        <g className="brush no-export" ref={brushRef} />
        <g className="marks" ref={marksRef} />
        <text className="axis-title" x={innerW / 2} y={innerH + 38} textAnchor="middle">
          time (UTC)
        </text>
        <text className="axis-title" transform={`translate(${-52},${plotH / 2}) rotate(-90)`} textAnchor="middle">
          bytes out per event
        </text>
      </g>
    </svg>
  );
}
