// Text measuring for SVG layout (canvas metrics), and middle-truncation for long labels.
let measureCtx: CanvasRenderingContext2D | null | undefined;

export function fontFamily(): string {
  return (typeof document !== 'undefined' && getComputedStyle(document.body).fontFamily) || 'sans-serif';
}

/** The app's monospace stack (CSS variable --mono), for measuring address labels. */
export function monoFamily(): string {
  return (typeof document !== 'undefined' && getComputedStyle(document.documentElement).getPropertyValue('--mono').trim()) || 'monospace';
}

/** Rendered width of text in a CSS font (a rough estimate without canvas). */
export function textWidth(text: string, font: string): number {
  if (measureCtx === undefined) measureCtx = document.createElement('canvas').getContext('2d');
  if (!measureCtx) return text.length * 7.5;
  measureCtx.font = font;
  return measureCtx.measureText(text).width;
}

export function truncateMiddle(s: string, max: number): string {
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  const keep = Math.max(2, max - 1);
  const head = Math.ceil(keep / 2);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (keep - head)).join('')}`;
}

/** Shortens `text` in the middle until it fits `maxWidth` px. */
export function fitText(text: string, maxWidth: number, font: string): string {
  let s = text;
  while (textWidth(s, font) > maxWidth && Array.from(s).length > 6) s = truncateMiddle(s, Array.from(s).length - 2);
  return s;
}

/** `prefix + a → b`, shortening b then a in the middle until it fits. */
export function fitPair(prefix: string, a: string, b: string, maxWidth: number, font: string): string {
  const make = (x: string, y: string) => `${prefix}${x} → ${y}`;
  let x = a;
  let y = b;
  while (textWidth(make(x, y), font) > maxWidth) {
    if (y.length > 12 && y.length >= x.length) y = truncateMiddle(y, y.length - 2);
    else if (x.length > 12) x = truncateMiddle(x, x.length - 2);
    else if (y.length > 4) y = truncateMiddle(y, y.length - 1);
    else break;
  }
  return make(x, y);
}
