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
  return `${(s / 86400).toFixed(1)} d`;
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
