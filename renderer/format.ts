// Display formatting shared by the views. Pure functions, no DOM.
import { interpolateRgbBasis } from 'd3';
import type { Category, Finding } from '../shared/types.js';

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatInt(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : intFmt.format(n);
}

/** Seconds → "850 ms", "11.5 s", "5.0 min", "2.0 h", "1.5 d". */
export function formatPeriod(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes → "0 B", "812 B", "12.4 kB", "3.1 MB" (decimal units). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (Math.abs(n) < 1000) return `${Math.round(n)} B`;
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < BYTE_UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${BYTE_UNITS[i]}`;
}

/** Short byte labels for axes: "0", "10", "1k", "100k", "1M". */
export function formatBytesShort(n: number): string {
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  const units = ['', 'k', 'M', 'G', 'T', 'P'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  const s = Number.isInteger(v) ? String(v) : v.toFixed(1).replace(/\.0$/, '');
  return `${s}${units[i]}`;
}

/** ISO time → "1970-01-01 00:00:19" (UTC, seconds). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** The span between two ISO times, human: "45 min", "3.2 h". */
export function formatSpan(startIso: string | null | undefined, endIso: string | null | undefined): string {
  if (!startIso || !endIso) return '—';
  const s = (new Date(endIso).getTime() - new Date(startIso).getTime()) / 1000;
  if (!Number.isFinite(s)) return '—';
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400) return `${(s / 3600).toFixed(1)} h`;
  if (s < 2 * 365 * 86400) return `${(s / 86400).toFixed(1)} d`;
  return `${(s / (365.25 * 86400)).toFixed(1)} years`;
}

/** "41.108.179.197:1177", "[fd00::1]:53", or the host alone when there is no port. */
export function hostPort(host: string, port: number | null | undefined): string {
  if (port === null || port === undefined) return host;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The key's port, or else the busiest destination port of the pair (marked with "mostly"). */
export function portProto(f: Pick<Finding, 'port' | 'proto' | 'dstPorts'>): string {
  if (f.port === undefined && f.dstPorts?.length) {
    const top = f.dstPorts[0];
    const p = `${top.port ?? ''}${top.proto ? `/${top.proto}` : ''}`;
    return f.dstPorts.length > 1 ? `${p} +${f.dstPorts.length - 1}` : p || '—';
  }
  const port = f.port === undefined || f.port === null ? '' : String(f.port);
  const proto = f.proto ?? '';
  if (port && proto) return `${port}/${proto}`;
  return port || proto || '—';
}

export function formatScore(score: number): string {
  return Number.isFinite(score) ? score.toFixed(2) : '—';
}

/** Signed contribution: "+0.31", "−0.08" (true minus sign). */
export function formatContribution(c: number): string {
  if (!Number.isFinite(c)) return '—';
  const s = Math.abs(c).toFixed(2);
  if (c > 0) return `+${s}`;
  if (c < 0) return `\u2212${s}`;
  return s;
}

const scoreInterp = interpolateRgbBasis(['#4f6d8a', '#5f8f8a', '#c9a23a', '#e0703a', '#e5484d']);

/** Score 0..1 → bar color: slate blue (low) through amber to red (high). */
export function scoreColor(score: number): string {
  const s = Math.max(0, Math.min(1, Number.isFinite(score) ? score : 0));
  return scoreInterp(s);
}

export const CATEGORY_LABEL: Record<Category, string> = {
  beacon: 'beacon',
  'scheduled-transfer': 'scheduled transfer',
  'fleet-schedule': 'fleet schedule',
  strobe: 'strobe',
  'long-connection': 'long connection',
  'dns-tunnel': 'DNS tunnel',
};

export function categoryLabel(c: string): string {
  return (CATEGORY_LABEL as Record<string, string>)[c] ?? c;
}

/** Epoch ms → "2025-05-06 14:03:07" in UTC (or the given IANA zone). */
export function formatMs(ms: number | null | undefined, zone = 'UTC', withSeconds = true): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (zone === 'UTC') {
    const iso = new Date(ms).toISOString();
    return withSeconds ? iso.slice(0, 19).replace('T', ' ') : iso.slice(0, 16).replace('T', ' ');
  }
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: withSeconds ? '2-digit' : undefined,
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}${withSeconds ? `:${get('second')}` : ''}`;
}

/** 0.2 → "20 %", 0.034 → "3.4 %". */
export function formatPercent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const p = x * 100;
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)} %`;
}

/** Seconds for axes: "0", "500 ms", "30 s", "5 min", "2 h", "1 d". */
export function formatSecondsShort(s: number): string {
  if (s === 0) return '0';
  if (s < 1) return `${+(s * 1000).toPrecision(2)} ms`;
  if (s < 60) return `${+s.toPrecision(3)} s`;
  if (s < 3600) return `${+(s / 60).toPrecision(3)} min`;
  if (s < 86400) return `${+(s / 3600).toPrecision(3)} h`;
  return `${+(s / 86400).toPrecision(3)} d`;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/g;

/** Share of characters that are control characters or replacement marks (binary-looking text). */
export function binaryShare(s: string): number {
  if (!s) return 0;
  return (s.match(CONTROL)?.length ?? 0) / s.length;
}

/** Control characters made visible as \xNN (and U+FFFD as \ufffd), so nothing invisible hides in a cell. */
export function escapeControls(s: string): string {
  return s.replace(CONTROL, (c) => (c === '\ufffd' ? '\\ufffd' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** Cuts text for a cell: at most `max` characters with an ellipsis, never splitting a surrogate pair. */
export function truncateText(s: string, max: number): { text: string; cut: boolean } {
  const chars = Array.from(s);
  if (chars.length <= max) return { text: s, cut: false };
  return { text: `${chars.slice(0, Math.max(1, max - 1)).join('')}…`, cut: true };
}

/** The source of a finding as one string ("10.0.0.5", or "3 hosts" for a fleet). */
export function sourceLabel(f: Pick<Finding, 'src' | 'hosts'>): string {
  return f.hosts && f.hosts.length > 1 ? `${f.hosts.length} hosts` : f.src;
}
