// Hour of day × calendar day, on the clock of one zone (UTC unless the hunter picks another):
// each cell counts the events that started in that hour. A daily 02:00 job is a horizontal line
// at 02; a working-hours beacon is a block from 09 to 17 that skips the weekend columns.
import { useMemo } from 'react';
import * as d3 from 'd3';
import type { HourDayHeatmap } from '../../shared/types.js';
import { formatInt } from '../format.js';

const MARGIN = { top: 74, right: 16, bottom: 40, left: 64 };
const LEGEND_W = 120;

export const HEAT_COLORS = (t: number) => d3.interpolateViridis(0.15 + 0.85 * t);

function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

export function ClockHeatmap({ heat, width, height }: { heat: HourDayHeatmap; width: number; height: number }) {
  const innerW = Math.max(0, width - MARGIN.left - MARGIN.right);
  const innerH = Math.max(0, height - MARGIN.top - MARGIN.bottom);
  const days = heat.days.length || 1;
  const cw = innerW / days;
  const ch = innerH / 24;
  const color = useMemo(() => {
    const max = Math.max(1, heat.max);
    const s = max > 20 ? d3.scaleLog().domain([1, max]).range([0, 1]) : d3.scaleLinear().domain([0, Math.max(1, max)]).range([0, 1]);
    return (n: number) => HEAT_COLORS(Math.max(0, Math.min(1, s(Math.max(1, n)))));
  }, [heat.max]);

  // Day labels: every k-th day so labels keep ~56 px apart.
  const labelEvery = Math.max(1, Math.ceil(56 / Math.max(1, cw)));
  const longFmt = heat.days.length <= 10;
  const dayLabel = (d: string) => {
    const wd = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][weekday(d)];
    return longFmt ? `${wd} ${d.slice(5)}` : d.slice(5);
  };
  const gradId = 'heat-grad';
  const legendStops = d3.range(0, 1.0001, 0.1);
  const sub = `${formatInt(heat.cells.reduce((a, c) => a + c.n, 0))} events · ${formatInt(heat.days.length)} day${heat.days.length === 1 ? '' : 's'} · clock: ${heat.zone}`;

  return (
    <svg
      data-testid="heatmap"
      data-zone={heat.zone}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Events by hour of day and day, ${heat.zone}`}
      className="chart-svg"
    >
      <defs>
        <linearGradient id={gradId} x1="0" x2="1" y1="0" y2="0">
          {legendStops.map((t) => (
            <stop key={t} offset={`${t * 100}%`} stopColor={HEAT_COLORS(t)} />
          ))}
        </linearGradient>
      </defs>
      <text className="chart-title" x={12} y={18}>
        Hour of day × day ({heat.zone})
      </text>
      <text className="chart-subtitle" x={12} y={37}>
        {sub}
      </text>
      <g className="legend" transform="translate(12,57)">
        <text x={0} y={0} className="legend-caption">
          events per hour: 1
        </text>
        <rect x={118} y={-9} width={LEGEND_W} height={9} fill={`url(#${gradId})`} className="legend-ramp" />
        <text x={118 + LEGEND_W + 6} y={0}>
          {formatInt(Math.max(1, heat.max))}
          {heat.max > 20 ? ' (log colour scale)' : ''}
        </text>
      </g>
      <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
        <rect className="heat-bg" x={0} y={0} width={innerW} height={innerH} />
        {heat.days.map((d, i) =>
          weekday(d) === 0 || weekday(d) === 6 ? <rect key={d} className="weekend" x={i * cw} y={0} width={cw} height={innerH} /> : null,
        )}
        {heat.cells.map((c) => (
          <rect
            key={`${c.day}-${c.hour}`}
            className="heat-cell"
            data-n={c.n}
            x={c.day * cw + (cw > 4 ? 0.5 : 0)}
            y={c.hour * ch + 0.5}
            width={Math.max(0.8, cw - (cw > 4 ? 1 : 0))}
            height={Math.max(0.8, ch - 1)}
            fill={color(c.n)}
          >
            <title>{`${heat.days[c.day]} ${String(c.hour).padStart(2, '0')}:00–${String(c.hour).padStart(2, '0')}:59 ${heat.zone}: ${formatInt(c.n)} event${c.n === 1 ? '' : 's'}`}</title>
          </rect>
        ))}
        <g className="axis axis-y">
          {d3.range(0, 24, innerH / 24 >= 11 ? 2 : 3).map((h) => (
            <text key={h} x={-8} y={h * ch + ch / 2} dy="0.32em" textAnchor="end">
              {`${String(h).padStart(2, '0')}:00`}
            </text>
          ))}
        </g>
        <g className="axis axis-x" transform={`translate(0,${innerH})`}>
          <line x1={0} x2={innerW} y1={0.5} y2={0.5} />
          {heat.days.map((d, i) =>
            i % labelEvery === 0 ? (
              <text key={d} x={i * cw + cw / 2} y={16} textAnchor="middle">
                {dayLabel(d)}
              </text>
            ) : null,
          )}
        </g>
        <text className="axis-title" x={innerW / 2} y={innerH + 34} textAnchor="middle">
          day ({heat.zone}){heat.days.length > 0 ? `, ${heat.days[0]} – ${heat.days[heat.days.length - 1]}` : ''}, shaded: weekend
        </text>
        <text className="axis-title" transform={`translate(${-54},${innerH / 2}) rotate(-90)`} textAnchor="middle">
          hour of day
        </text>
      </g>
    </svg>
  );
}
