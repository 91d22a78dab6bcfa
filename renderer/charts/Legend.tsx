// A chart legend inside the SVG (so exported PNG/SVG files keep it): swatches and labels laid out
// right-aligned from (x, y).
import { textWidth } from './text.js';

export interface LegendItem {
  label: string;
  /** dot, line (vertical rule), band (shaded area), bar (filled square), stem (vertical stroke). */
  swatch: 'dot' | 'line' | 'band' | 'bar' | 'stem' | 'dash';
  /** Class of the swatch, so it shares the marks' colours. */
  className: string;
}

export function legendWidth(items: LegendItem[], font: string): number {
  return items.reduce((w, it) => w + 14 + textWidth(it.label, font) + 16, 0);
}

export function Legend({ items, x, y, font, align = 'right' }: { items: LegendItem[]; x: number; y: number; font: string; align?: 'left' | 'right' }) {
  let placed: (LegendItem & { at: number })[];
  if (align === 'left') {
    let left = 5;
    placed = items.map((it) => {
      const at = left;
      left += 14 + textWidth(it.label, font) + 16;
      return { ...it, at };
    });
  } else {
    let right = 0;
    placed = [...items].reverse().map((it) => {
      right -= 14 + textWidth(it.label, font);
      const at = right;
      right -= 16;
      return { ...it, at };
    });
    placed.reverse();
  }
  return (
    <g className="legend" transform={`translate(${x},${y})`}>
      {placed.map((it) => (
        <g key={it.label} transform={`translate(${it.at},0)`}>
          {it.swatch === 'dot' && <circle className={it.className} cx={0} cy={-4} r={3.5} />}
          {it.swatch === 'line' && <line className={it.className} x1={0} x2={0} y1={-10} y2={2} />}
          {it.swatch === 'dash' && <line className={it.className} x1={-5} x2={5} y1={-4} y2={-4} />}
          {it.swatch === 'stem' && <line className={it.className} x1={0} x2={0} y1={-10} y2={1} />}
          {it.swatch === 'band' && <rect className={it.className} x={-5} y={-10} width={10} height={11} />}
          {it.swatch === 'bar' && <rect className={it.className} x={-5} y={-9} width={10} height={9} />}
          <text x={9} y={0}>
            {it.label}
          </text>
        </g>
      ))}
    </g>
  );
}
