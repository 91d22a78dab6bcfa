// Timeline of one pair: every connection as a mark, x = start time (UTC), y = bytes out on a
// symlog scale so zero-byte connections sit on the baseline and large transfers do not flatten the
// rest. Connections with unknown bytes get their own band under the baseline.
// React owns the <svg> and its static parts (title, axis titles, legend); d3 computes the scales
// and renders the axes and the marks into refs (a join is much cheaper than React reconciliation
// for tens of thousands of marks). All text goes through textContent, never markup.
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import * as d3 from 'd3';
import type { ConnectionRow, Finding } from '../../shared/types.js';
import { formatBytes, formatBytesShort, formatInt, formatTime, hostPort } from '../format.js';

export interface TimelineProps {
  finding: Finding;
  connections: ConnectionRow[];
  /** All connections of the pair (may exceed connections.length when truncated). */
  total?: number;
  truncated?: boolean;
  /** Fixed chart height; by default the chart fills its container's height (at least MIN_HEIGHT). */
  height?: number;
}

const MIN_HEIGHT = 240;

const MARGIN = { top: 48, right: 20, bottom: 48, left: 66 };
/** Height of the "bytes unknown" band under the baseline. */
const UNKNOWN_BAND = 18;

/** Zeek states where the responder never answered or refused (the attempt failed). */
const FAILED_STATES = new Set(['S0', 'REJ', 'SH', 'SHR', 'RSTOS0', 'RSTRH', 'OTH']);

interface Point {
  t: Date;
  bytes: number | null;
  row: ConnectionRow;
  failed: boolean;
}

let measureCtx: CanvasRenderingContext2D | null | undefined;

/** Rendered width of text in a CSS font (canvas metrics; a rough estimate without canvas). */
function textWidth(text: string, font: string): number {
  if (measureCtx === undefined) measureCtx = document.createElement('canvas').getContext('2d');
  if (!measureCtx) return text.length * 7.5;
  measureCtx.font = font;
  return measureCtx.measureText(text).width;
}

function truncateMiddle(s: string, max: number): string {
  if (s.length <= max) return s;
  const keep = Math.max(2, max - 1);
  const head = Math.ceil(keep / 2);
  return `${s.slice(0, head)}…${s.slice(s.length - (keep - head))}`;
}

/** "Connections over time: SRC → DST", shortening DST then SRC in the middle until it fits. */
function fitTitle(src: string, dst: string, maxWidth: number, font: string): string {
  const make = (a: string, b: string) => `Connections over time: ${a} → ${b}`;
  let a = src;
  let b = dst;
  while (textWidth(make(a, b), font) > maxWidth) {
    if (b.length > 12 && b.length >= a.length) b = truncateMiddle(b, b.length - 2);
    else if (a.length > 12) a = truncateMiddle(a, a.length - 2);
    else if (b.length > 4) b = truncateMiddle(b, b.length - 1);
    else break;
  }
  return make(a, b);
}

function timeTickFormat(spanMs: number): (d: Date) => string {
  if (spanMs <= 3 * 60_000) return d3.utcFormat('%H:%M:%S');
  if (spanMs <= 2 * 86_400_000) return d3.utcFormat('%H:%M');
  if (spanMs <= 60 * 86_400_000) return d3.utcFormat('%b %d %H:%M');
  return d3.utcFormat('%Y-%m-%d');
}

/** 0 and the powers of ten up to max (the symlog scale spreads them evenly). */
function byteTicks(max: number): number[] {
  const ticks = [0];
  for (let p = 1; p <= max * 1.0001; p *= 10) ticks.push(p);
  return ticks;
}

function markTitle(p: Point): string {
  const r = p.row;
  const parts = [
    `${formatTime(r.ts)} UTC`,
    `${hostPort(r.src, r.srcPort)} → ${hostPort(r.dst, r.dstPort)}${r.proto ? `/${r.proto}` : ''}`,
    `bytes out ${r.bytesOut === null ? 'unknown' : `${formatInt(r.bytesOut)} (${formatBytes(r.bytesOut)})`} payload, ${r.ipBytesOut === null ? 'unknown' : formatInt(r.ipBytesOut)} IP level`,
    `bytes in ${r.bytesIn === null ? 'unknown' : formatInt(r.bytesIn)}`,
    `duration ${r.duration === null ? 'unknown' : `${r.duration.toFixed(3)} s`}`,
  ];
  if (r.connState) parts.push(`state ${r.connState}`);
  if (r.service) parts.push(`service ${r.service}`);
  return parts.join('\n');
}

export function Timeline({ finding, connections, total, truncated, height: fixedHeight }: TimelineProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const xAxisRef = useRef<SVGGElement>(null);
  const yAxisRef = useRef<SVGGElement>(null);
  const gridRef = useRef<SVGGElement>(null);
  const marksRef = useRef<SVGGElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });

  // Follow the container's size (the svg is absolutely positioned, so it never feeds back).
  useLayoutEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const measure = (w: number, h: number) =>
      setSize((prev) => {
        const next = { width: Math.floor(w), height: Math.floor(h) };
        return prev.width === next.width && prev.height === next.height ? prev : next;
      });
    const r = el.getBoundingClientRect();
    measure(r.width, r.height);
    const ro = new ResizeObserver((entries) => {
      const cr = entries[0]?.contentRect;
      if (cr) measure(cr.width, cr.height);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const width = size.width;
  const height = fixedHeight ?? Math.max(MIN_HEIGHT, size.height);

  const points = useMemo<Point[]>(
    () =>
      connections
        .map((row) => ({
          t: new Date(row.ts),
          // IP-level bytes when the source has them: the size score uses them, and a beacon of
          // bare SYNs (no payload) still shows its packets' size.
          bytes: row.ipBytesOut ?? row.bytesOut,
          row,
          failed: row.connState !== null && FAILED_STATES.has(row.connState),
        }))
        .filter((p) => !Number.isNaN(p.t.getTime())),
    [connections],
  );
  const hasUnknown = points.some((p) => p.bytes === null);
  const hasFailed = points.some((p) => p.failed);
  const hasAnswered = points.some((p) => !p.failed);

  const fontFamily = useMemo(() => getComputedStyle(document.body).fontFamily || 'sans-serif', []);
  const legendFont = `12px ${fontFamily}`;

  // Legend items, laid out right to left on the subtitle line.
  const legend: { label: string; kind: 'answered' | 'failed' | 'unknown'; x: number }[] = [];
  let legendWidth = 0;
  {
    const items: { label: string; kind: 'answered' | 'failed' | 'unknown' }[] = [
      ...(hasAnswered ? [{ label: 'answered', kind: 'answered' as const }] : []),
      ...(hasFailed ? [{ label: 'no reply / refused', kind: 'failed' as const }] : []),
      ...(hasUnknown ? [{ label: 'bytes unknown (n/a band)', kind: 'unknown' as const }] : []),
    ];
    let right = 0;
    for (const item of items.reverse()) {
      right -= 12 + textWidth(item.label, legendFont);
      legend.unshift({ ...item, x: right });
      right -= 18;
    }
    legendWidth = -right;
  }

  const innerW = Math.max(0, width - MARGIN.left - MARGIN.right);
  const innerH = Math.max(0, height - MARGIN.top - MARGIN.bottom);
  const plotH = Math.max(0, innerH - (hasUnknown ? UNKNOWN_BAND : 0));

  const scales = useMemo(() => {
    let [t0, t1] = d3.extent(points, (p) => p.t.getTime()) as [number | undefined, number | undefined];
    if (t0 === undefined || t1 === undefined) {
      const now = Date.now();
      t0 = now - 3_600_000;
      t1 = now;
    }
    if (t1 - t0 < 1000) {
      t0 -= 30_000;
      t1 += 30_000;
    }
    const pad = (t1 - t0) * 0.015;
    const x = d3.scaleUtc().domain([new Date(t0 - pad), new Date(t1 + pad)]).range([0, innerW]);
    const maxBytes = d3.max(points, (p) => p.bytes ?? 0) ?? 0;
    // The domain ends on a power of ten so the top of the axis is labelled.
    const yMax = Math.max(10, 10 ** Math.ceil(Math.log10(Math.max(1, maxBytes * 1.05))));
    const y = d3.scaleSymlog().constant(1).domain([0, yMax]).range([plotH, 0]);
    return { x, y, spanMs: t1 - t0, yMax };
  }, [points, innerW, plotH]);

  useLayoutEffect(() => {
    if (!xAxisRef.current || !yAxisRef.current || !gridRef.current || !marksRef.current || innerW <= 0) return;
    const { x, y, spanMs, yMax } = scales;

    const xTicks = Math.max(2, Math.floor(innerW / 110));
    d3.select(xAxisRef.current).call(
      d3.axisBottom<Date>(x).ticks(xTicks).tickFormat(timeTickFormat(spanMs)).tickSizeOuter(0).tickPadding(8),
    );

    // Powers of ten; every other one when they would crowd (less than ~22 px apart).
    const allTicks = byteTicks(yMax);
    const step = Math.max(1, Math.ceil((22 * allTicks.length) / Math.max(1, plotH)));
    const yTicks = allTicks.filter((v, i) => v === 0 || (allTicks.length - 1 - i) % step === 0);
    d3.select(yAxisRef.current).call(
      d3.axisLeft<number>(y).tickValues(yTicks).tickFormat((v) => formatBytesShort(Number(v))).tickSizeOuter(0).tickPadding(8),
    );

    // Horizontal grid lines at the byte ticks.
    d3.select(gridRef.current)
      .selectAll<SVGLineElement, number>('line')
      .data(yTicks)
      .join('line')
      .attr('x1', 0)
      .attr('x2', innerW)
      .attr('y1', (d) => y(d) + 0.5)
      .attr('y2', (d) => y(d) + 0.5);

    const unknownY = plotH + UNKNOWN_BAND / 2 + 2;
    d3.select(marksRef.current)
      .selectAll<SVGCircleElement, Point>('circle.conn-mark')
      .data(points)
      .join((enter) => enter.append('circle').call((c) => c.append('title')))
      .attr('class', (p) => `conn-mark${p.failed ? ' failed' : ''}${p.bytes === null ? ' unknown' : ''}`)
      .attr('cx', (p) => x(p.t))
      .attr('cy', (p) => (p.bytes === null ? unknownY : y(p.bytes)))
      .attr('r', points.length > 2000 ? 2 : 3)
      .select('title')
      .text(markTitle);
  }, [scales, points, innerW, plotH]);

  const dstLabel = hostPort(finding.dst, finding.port);
  const textLeft = 12;
  const title = fitTitle(finding.src, dstLabel, width - textLeft - MARGIN.right, `600 14px ${fontFamily}`);
  const fullTitle = `Connections over time: ${finding.src} → ${dstLabel}`;
  const shown = points.length;
  const count =
    `${formatInt(shown)} connection${shown === 1 ? '' : 's'}` +
    (truncated && total !== undefined ? ` (newest cut; ${formatInt(total)} in all)` : '');
  const range = shown > 0 ? ` · ${formatTime(connections[0]?.ts)} – ${formatTime(connections[connections.length - 1]?.ts)} UTC` : '';
  const subRoom = width - textLeft - MARGIN.right - legendWidth;
  const sub = textWidth(count + range, legendFont) <= subRoom ? count + range : count;

  return (
    <div className="timeline" ref={wrapRef} style={fixedHeight ? { height: fixedHeight } : undefined}>
      {width > 0 && (
        <svg
          data-testid="timeline"
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={fullTitle}
        >
          <text className="chart-title" x={textLeft} y={18}>
            <title>{fullTitle}</title>
            {title}
          </text>
          <text className="chart-subtitle" x={textLeft} y={37}>
            {sub}
          </text>
          <g className="legend" transform={`translate(${width - MARGIN.right}, 37)`}>
            {legend.map((item) => (
              <g key={item.kind} transform={`translate(${item.x},0)`}>
                {item.kind === 'unknown' ? (
                  <rect className="legend-band" x={-4} y={-9} width={8} height={9} />
                ) : (
                  <circle className={`legend-mark${item.kind === 'failed' ? ' failed' : ''}`} cx={0} cy={-4} r={3.5} />
                )}
                <text x={9} y={0}>
                  {item.label}
                </text>
              </g>
            ))}
          </g>
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
            <g className="marks" ref={marksRef} />
            <text className="axis-title" x={innerW / 2} y={innerH + 40} textAnchor="middle">
              time (UTC)
            </text>
            <text
              className="axis-title"
              transform={`translate(${-52},${plotH / 2}) rotate(-90)`}
              textAnchor="middle"
            >
              bytes out (IP level)
            </text>
          </g>
        </svg>
      )}
    </div>
  );
}
