// Server-side charts for the evidence report, as self-contained SVG strings (no script, no font
// or stylesheet links): a timeline of the finding's events and a histogram of the gaps between
// them. Every text that could come from a log goes through `esc`.

export function esc(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export interface TimelineEvent {
  /** Epoch ms. */
  t: number;
  /** Bytes out (IP level where known, else payload); null when unknown. */
  out: number | null;
  failed: boolean;
}

const W = 900;
const PAD = { left: 64, right: 16, top: 28, bottom: 40 };
const BLUE = '#2563eb';
const RED = '#dc2626';
const GREY = '#6b7280';
const GRID = '#e5e7eb';

function f(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800, 1_209_600, 2_592_000].map(
  (s) => s * 1000,
);

function timeLabel(ms: number, stepMs: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  if (spanMs >= 2 * 86_400_000) return stepMs >= 86_400_000 ? iso.slice(5, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return stepMs < 60_000 ? iso.slice(11, 19) : iso.slice(11, 16);
}

function timeTicks(t0: number, t1: number, target = 7): number[] {
  const span = Math.max(t1 - t0, 1);
  const step = TIME_STEPS.find((s) => span / s <= target) ?? TIME_STEPS[TIME_STEPS.length - 1];
  const out: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) out.push(t);
  return out;
}

function frame(title: string, height: number, body: string, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${esc(label)}" font-family="sans-serif" font-size="11">
<title>${esc(title)}</title>
<rect x="0" y="0" width="${W}" height="${height}" fill="#ffffff"/>
<text x="${PAD.left}" y="16" font-size="13" font-weight="bold" fill="#111827">${esc(title)}</text>
${body}
</svg>`;
}

/** Events over time: one mark per event (bytes out on a log scale), failed attempts in red. */
export function timelineSvg(events: TimelineEvent[], title = 'Timeline of the events'): string {
  const H = 240;
  const x0 = PAD.left;
  const x1 = W - PAD.right;
  const y0 = H - PAD.bottom;
  const y1 = PAD.top + 6;
  if (!events.length) return frame(title, H, `<text x="${x0}" y="${H / 2}" fill="${GREY}">no events</text>`, title);
  const ts = events.map((e) => e.t);
  let t0 = Math.min(...ts);
  let t1 = Math.max(...ts);
  if (t1 === t0) {
    t0 -= 30_000;
    t1 += 30_000;
  }
  const x = (t: number) => x0 + ((t - t0) / (t1 - t0)) * (x1 - x0);
  const known = events.map((e) => e.out).filter((b): b is number => b !== null && b >= 0);
  const maxB = known.length ? Math.max(...known) : 0;
  const decades = Math.max(1, Math.ceil(Math.log10(maxB + 1)));
  const y = (b: number | null) => (b === null ? (y0 + y1) / 2 : y0 - (Math.log10(b + 1) / decades) * (y0 - y1));
  const parts: string[] = [];
  // Axes and grid.
  for (const t of timeTicks(t0, t1)) {
    const xt = x(t);
    parts.push(`<line x1="${f(xt)}" y1="${y1}" x2="${f(xt)}" y2="${y0}" stroke="${GRID}"/>`);
    parts.push(`<text x="${f(xt)}" y="${y0 + 14}" text-anchor="middle" fill="${GREY}">${esc(timeLabel(t, timeTicks(t0, t1)[1] - timeTicks(t0, t1)[0] || 60_000, t1 - t0))}</text>`);
  }
  if (known.length) {
    for (let d = 0; d <= decades; d++) {
      const yy = y(10 ** d - 1);
      parts.push(`<line x1="${x0}" y1="${f(yy)}" x2="${x1}" y2="${f(yy)}" stroke="${GRID}"/>`);
      parts.push(`<text x="${x0 - 6}" y="${f(yy + 4)}" text-anchor="end" fill="${GREY}">${d === 0 ? '0' : d < 3 ? String(10 ** d) : `1e${d}`}</text>`);
    }
    parts.push(`<text x="14" y="${f((y0 + y1) / 2)}" transform="rotate(-90 14 ${f((y0 + y1) / 2)})" text-anchor="middle" fill="${GREY}">bytes out (log)</text>`);
  }
  parts.push(`<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="${GREY}"/>`);
  parts.push(`<text x="${(x0 + x1) / 2}" y="${H - 8}" text-anchor="middle" fill="${GREY}">time (UTC), ${esc(new Date(t0).toISOString().slice(0, 10))} → ${esc(new Date(t1).toISOString().slice(0, 10))}</text>`);
  // Marks: every event, or one bar per pixel column when there are too many to draw.
  if (events.length <= 4000) {
    const ok = events.filter((e) => !e.failed);
    const bad = events.filter((e) => e.failed);
    parts.push(`<g fill="${BLUE}" fill-opacity="0.75">${ok.map((e) => `<circle cx="${f(x(e.t))}" cy="${f(y(e.out))}" r="2.6"/>`).join('')}</g>`);
    parts.push(`<g fill="${RED}" fill-opacity="0.8">${bad.map((e) => `<rect x="${f(x(e.t) - 2.4)}" y="${f(y(e.out) - 2.4)}" width="4.8" height="4.8"/>`).join('')}</g>`);
  } else {
    const cols = Math.round(x1 - x0);
    const counts = new Array<number>(cols).fill(0);
    for (const e of events) counts[Math.min(cols - 1, Math.floor(((e.t - t0) / (t1 - t0)) * cols))]++;
    const max = Math.max(...counts);
    parts.push(
      `<g fill="${BLUE}">${counts
        .map((c, i) => (c ? `<rect x="${x0 + i}" y="${f(y0 - (c / max) * (y0 - y1))}" width="1" height="${f((c / max) * (y0 - y1))}"/>` : ''))
        .join('')}</g>`,
    );
    parts.push(`<text x="${x1}" y="${y1 - 2}" text-anchor="end" fill="${GREY}">events per column (max ${max})</text>`);
  }
  const failed = events.filter((e) => e.failed).length;
  parts.push(
    `<text x="${x1}" y="16" text-anchor="end" fill="${GREY}">${events.length} events: <tspan fill="${BLUE}">●</tspan> answered (${events.length - failed})  <tspan fill="${RED}">■</tspan> no answer / refused (${failed})</text>`,
  );
  return frame(title, H, parts.join('\n'), `${title}: ${events.length} events`);
}

function niceStep(span: number, target: number): number {
  const raw = span / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function secondsLabel(s: number): string {
  if (s === 0) return '0';
  if (s >= 86_400) return `${+(s / 86_400).toFixed(1)} d`;
  if (s >= 3600) return `${+(s / 3600).toFixed(1)} h`;
  if (s >= 120) return `${+(s / 60).toFixed(1)} min`;
  if (s >= 1) return `${+s.toFixed(1)} s`;
  return `${+(s * 1000).toFixed(0)} ms`;
}

export interface HistogramSummary {
  gaps: number;
  scale: 'linear' | 'log';
  median: number | null;
}

/** Gaps between consecutive events (seconds), linear bins or log bins when they spread widely. */
export function intervalHistogramSvg(timesMs: number[], period: number | null, title = 'Inter-arrival times (gaps between events)'): { svg: string; summary: HistogramSummary } {
  const H = 240;
  const x0 = PAD.left;
  const x1 = W - PAD.right;
  const y0 = H - PAD.bottom;
  const y1 = PAD.top + 6;
  const sorted = [...timesMs].sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) gaps.push((sorted[i] - sorted[i - 1]) / 1000);
  if (!gaps.length) {
    return { svg: frame(title, H, `<text x="${x0}" y="${H / 2}" fill="${GREY}">fewer than two events: no gaps</text>`, title), summary: { gaps: 0, scale: 'linear', median: null } };
  }
  const g = [...gaps].sort((a, b) => a - b);
  const median = g[Math.floor(g.length / 2)];
  const positive = g.filter((v) => v > 0);
  const lo = positive.length ? positive[0] : 0.001;
  const hi = g[g.length - 1];
  const log = positive.length > 0 && hi / Math.max(lo, 1e-3) > 50;
  const BINS = 48;
  let edges: number[];
  if (log) {
    const a = Math.log10(Math.max(lo, 1e-3));
    const b = Math.log10(Math.max(hi, lo * 1.0001));
    edges = Array.from({ length: BINS + 1 }, (_, i) => 10 ** (a + ((b - a) * i) / BINS));
  } else {
    // Start at zero unless every gap is far from it (then the bars would crowd one side).
    const min = g[0];
    const base = min > 0.25 * hi ? Math.floor(min / niceStep(hi - min || 1, 8)) * niceStep(hi - min || 1, 8) : 0;
    const top = hi === base ? base + 1 : hi;
    edges = Array.from({ length: BINS + 1 }, (_, i) => base + ((top - base) * i) / BINS);
  }
  const counts = new Array<number>(BINS).fill(0);
  for (const v of gaps) {
    let i: number;
    if (log) {
      const a = Math.log10(edges[0]);
      const b = Math.log10(edges[BINS]);
      i = v <= edges[0] ? 0 : Math.floor(((Math.log10(v) - a) / (b - a)) * BINS);
    } else {
      i = Math.floor(((v - edges[0]) / (edges[BINS] - edges[0])) * BINS);
    }
    counts[Math.max(0, Math.min(BINS - 1, i))]++;
  }
  const max = Math.max(...counts);
  const xv = (v: number) =>
    log
      ? x0 + ((Math.log10(Math.max(v, edges[0])) - Math.log10(edges[0])) / (Math.log10(edges[BINS]) - Math.log10(edges[0]))) * (x1 - x0)
      : x0 + ((v - edges[0]) / (edges[BINS] - edges[0])) * (x1 - x0);
  const yv = (c: number) => y0 - (c / max) * (y0 - y1);
  const parts: string[] = [];
  const yStep = Math.max(1, niceStep(max, 4));
  for (let c = 0; c <= max; c += yStep) {
    parts.push(`<line x1="${x0}" y1="${f(yv(c))}" x2="${x1}" y2="${f(yv(c))}" stroke="${GRID}"/>`);
    parts.push(`<text x="${x0 - 6}" y="${f(yv(c) + 4)}" text-anchor="end" fill="${GREY}">${c}</text>`);
  }
  const bw = (x1 - x0) / BINS;
  parts.push(
    `<g fill="${BLUE}">${counts
      .map((c, i) => (c ? `<rect x="${f(x0 + i * bw + 0.5)}" y="${f(yv(c))}" width="${f(Math.max(bw - 1, 1))}" height="${f(y0 - yv(c))}"><title>${esc(`${secondsLabel(edges[i])} – ${secondsLabel(edges[i + 1])}: ${c}`)}</title></rect>` : ''))
      .join('')}</g>`,
  );
  // X ticks.
  const ticks: number[] = [];
  if (log) {
    for (let d = Math.ceil(Math.log10(edges[0])); d <= Math.floor(Math.log10(edges[BINS])); d++) ticks.push(10 ** d);
  } else {
    const step = niceStep(edges[BINS] - edges[0], 8);
    for (let v = Math.ceil(edges[0] / step) * step; v <= edges[BINS] + 1e-9; v += step) ticks.push(v);
  }
  for (const v of ticks) {
    parts.push(`<line x1="${f(xv(v))}" y1="${y0}" x2="${f(xv(v))}" y2="${y0 + 4}" stroke="${GREY}"/>`);
    parts.push(`<text x="${f(xv(v))}" y="${y0 + 16}" text-anchor="middle" fill="${GREY}">${esc(secondsLabel(v))}</text>`);
  }
  parts.push(`<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="${GREY}"/>`);
  parts.push(`<text x="${(x0 + x1) / 2}" y="${H - 6}" text-anchor="middle" fill="${GREY}">gap to the previous event${log ? ' (log scale)' : ''}</text>`);
  parts.push(`<text x="14" y="${f((y0 + y1) / 2)}" transform="rotate(-90 14 ${f((y0 + y1) / 2)})" text-anchor="middle" fill="${GREY}">gaps</text>`);
  if (period !== null && period > 0 && period >= edges[0] && period <= edges[BINS]) {
    const xp = xv(period);
    parts.push(`<line x1="${f(xp)}" y1="${y1}" x2="${f(xp)}" y2="${y0}" stroke="${RED}" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${f(Math.min(xp + 4, x1 - 120))}" y="${y1 + 10}" fill="${RED}">period ${esc(secondsLabel(period))}</text>`);
  }
  parts.push(`<text x="${x1}" y="16" text-anchor="end" fill="${GREY}">${gaps.length} gaps, median ${esc(secondsLabel(median))}</text>`);
  return { svg: frame(title, H, parts.join('\n'), `${title}: ${gaps.length} gaps`), summary: { gaps: gaps.length, scale: log ? 'log' : 'linear', median } };
}
