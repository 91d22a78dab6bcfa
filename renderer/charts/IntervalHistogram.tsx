// Inter-arrival histogram: how long the finding waits between consecutive events. A beacon is
// one tall peak at its period; jitter widens the peak; missed beats add smaller peaks at 2P, 3P.
// The detected period is a vertical rule and its jitter band (P ± J, J the IQR of the intervals
// around P as a share of it) is shaded. Linear x (long gaps past the view counted as overflow)
// or log x (every gap, bins of equal ratio).
import { useLayoutEffect, useMemo, useRef } from 'react';
import * as d3 from 'd3';
import type { FindingTiming, IntervalBin, IntervalHistogram as Hist } from '../../shared/types.js';
import { formatInt, formatPercent, formatPeriod, formatSecondsShort } from '../format.js';
import { Legend, type LegendItem } from './Legend.js';
import { fontFamily } from './text.js';

/** Steps a clock reader knows: 1 2 5 10 15 30 s, 1 2 5 10 15 30 min, 1 2 3 6 12 h, 1 2 7 d. */
const DURATION_STEPS = [
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
  43200, 86400, 172800, 604800, 1209600, 2592000,
];

/** Tick values from 0 to max, at most about `count`, on a clock-friendly step. */
export function durationTicks(max: number, count: number): number[] {
  const step = DURATION_STEPS.find((s) => max / s <= count) ?? DURATION_STEPS[DURATION_STEPS.length - 1];
  const out: number[] = [];
  for (let v = 0; v <= max * (1 + 1e-9); v += step) out.push(v);
  return out;
}

const MARGIN = { top: 74, right: 16, bottom: 44, left: 60 };

export function IntervalHistogram({ hist, timing, width, height }: { hist: Hist; timing: FindingTiming; width: number; height: number }) {
  const xAxisRef = useRef<SVGGElement>(null);
  const yAxisRef = useRef<SVGGElement>(null);
  const barsRef = useRef<SVGGElement>(null);
  const font = fontFamily();
  const innerW = Math.max(0, width - MARGIN.left - MARGIN.right);
  const innerH = Math.max(0, height - MARGIN.top - MARGIN.bottom);
  const log = hist.scale === 'log';
  const P = timing.period;
  const J = timing.jitter;

  const scales = useMemo(() => {
    const lo = hist.bins[0]?.lo ?? 0;
    const hi = hist.bins[hist.bins.length - 1]?.hi ?? 1;
    const x = log
      ? d3.scaleLog().domain([Math.max(lo, 1e-3), Math.max(hi, lo * 10, 1e-2)]).range([0, innerW])
      : d3.scaleLinear().domain([0, Math.max(hi, 1e-3)]).range([0, innerW]);
    const y = d3
      .scaleLinear()
      .domain([0, Math.max(1, d3.max(hist.bins, (b) => b.n) ?? 1)])
      .nice()
      .range([innerH, 0]);
    return { x, y };
  }, [hist, innerW, innerH, log]);

  useLayoutEffect(() => {
    if (!xAxisRef.current || !yAxisRef.current || !barsRef.current || innerW <= 0) return;
    const { x, y } = scales;
    const xAxis = d3.axisBottom(x as d3.ScaleContinuousNumeric<number, number>).tickSizeOuter(0).tickPadding(6);
    if (log) {
      const [a, b] = x.domain();
      const decades = Math.log10(b / a);
      const ticks = (x as d3.ScaleLogarithmic<number, number>).ticks().filter((v) => {
        const m = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
        return decades > 3 ? Math.abs(m - 1) < 1e-6 : [1, 2, 5].some((k) => Math.abs(m - k) < 1e-6);
      });
      xAxis.tickValues(ticks);
    } else {
      xAxis.tickValues(durationTicks(x.domain()[1], Math.max(2, Math.floor(innerW / 70))));
    }
    d3.select(xAxisRef.current).call(xAxis.tickFormat((v) => formatSecondsShort(Number(v))));
    const yTicks = y.ticks(Math.max(2, Math.floor(innerH / 36))).filter((v) => Number.isInteger(v));
    d3.select(yAxisRef.current).call(d3.axisLeft(y).tickValues(yTicks).tickFormat(d3.format('~s')).tickSizeOuter(0).tickPadding(6));
    d3.select(barsRef.current)
      .selectAll<SVGRectElement, IntervalBin>('rect.interval-bar')
      .data(hist.bins.filter((b) => b.n > 0))
      .join((enter) => enter.append('rect').call((r) => r.append('title')))
      .attr('class', 'interval-bar')
      .attr('data-n', (b) => b.n)
      .attr('x', (b) => x(Math.max(b.lo, log ? x.domain()[0] : 0)) + 0.5)
      .attr('width', (b) => Math.max(1, x(b.hi) - x(Math.max(b.lo, log ? x.domain()[0] : 0)) - 1))
      .attr('y', (b) => y(b.n))
      .attr('height', (b) => Math.max(0, innerH - y(b.n)))
      .select('title')
      .text((b) => `${formatSecondsShort(b.lo)} – ${formatSecondsShort(b.hi)}: ${formatInt(b.n)} interval${b.n === 1 ? '' : 's'}`);
  }, [scales, hist, innerW, innerH, log]);

  const { x } = scales;
  const [d0, d1] = x.domain();
  const inView = (v: number) => v >= d0 && v <= d1;
  const band = P !== null && J !== null && J > 0 ? [Math.max(P * (1 - J), d0), Math.min(P * (1 + J), d1)] : null;
  const legend: LegendItem[] = [
    { label: 'intervals', swatch: 'bar', className: 'legend-interval' },
    ...(P !== null && inView(P) ? [{ label: `period ${formatPeriod(P)}`, swatch: 'line' as const, className: 'legend-period' }] : []),
    ...(band ? [{ label: `jitter ±${formatPercent(J)}`, swatch: 'band' as const, className: 'legend-jitter' }] : []),
  ];
  const sub =
    `${formatInt(hist.gaps)} intervals` +
    (hist.median !== null ? ` · median ${formatPeriod(hist.median)}` : '') +
    (hist.overflow ? ` · ${formatInt(hist.overflow)} longer, off the chart` : '');

  return (
    <svg
      data-testid="intervals"
      data-gaps={hist.gaps}
      data-overflow={hist.overflow}
      data-scale={hist.scale}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Inter-arrival histogram"
      className="chart-svg"
    >
      <text className="chart-title" x={12} y={18}>
        Time between events{log ? ' (log scale)' : ''}
      </text>
      <text className="chart-subtitle" x={12} y={37}>
        {sub}
      </text>
      <Legend items={legend} x={12} y={57} font={`12px ${font}`} align="left" />
      <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
        {band && band[1] > band[0] && <rect className="jitter-band" x={x(band[0])} width={Math.max(1, x(band[1]) - x(band[0]))} y={0} height={innerH} />}
        <g ref={barsRef} />
        {P !== null && inView(P) && <line className="period-line" x1={x(P)} x2={x(P)} y1={-4} y2={innerH} />}
        <g className="axis axis-x" ref={xAxisRef} transform={`translate(0,${innerH})`} />
        <g className="axis axis-y" ref={yAxisRef} />
        <text className="axis-title" x={innerW / 2} y={innerH + 38} textAnchor="middle">
          interval between consecutive events{log ? ' (log)' : ''}
        </text>
        <text className="axis-title" transform={`translate(${-48},${innerH / 2}) rotate(-90)`} textAnchor="middle">
          intervals
        </text>
      </g>
    </svg>
  );
}
