// Strict coercion of raw log values (TSV strings or JSON values) into normalized cells. A value
// that cannot be what its field says throws RowError: the line is rejected with that reason,
// never silently coerced.

export class RowError extends Error {}

const EPOCH_RE = /^(-?)(\d+)(?:\.(\d*))?$/;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch seconds given as a decimal string → exact microseconds. */
function epochStringToMicros(neg: string, int: string, frac: string | undefined): bigint {
  const f = ((frac ?? '') + '000000').slice(0, 6);
  const v = BigInt(int) * 1_000_000n + BigInt(f);
  return neg ? -v : v;
}

/** Numeric epoch values: seconds, or (by magnitude) milliseconds / microseconds / nanoseconds. */
function epochNumberToMicros(n: number): bigint {
  const a = Math.abs(n);
  if (a >= 1e17) return BigInt(Math.round(n / 1000));
  if (a >= 1e14) return BigInt(Math.round(n));
  if (a >= 1e11) return BigInt(Math.round(n * 1000));
  return BigInt(Math.round(n * 1e6));
}

export interface TimeParse {
  micros: bigint;
  /** True when an ISO time had no offset and was read as UTC. */
  assumedUtc: boolean;
}

/**
 * A time as Zeek or Suricata write it: epoch seconds (number or string, any precision), integer
 * epoch milliseconds, or ISO 8601 with `Z`, `+hh:mm`, `+hhmm` or no offset (read as UTC).
 */
export function parseTime(v: unknown, field = 'ts'): TimeParse {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RowError(`${field} is not a time`);
    return { micros: epochNumberToMicros(v), assumedUtc: false };
  }
  if (typeof v !== 'string' || v === '') throw new RowError(`${field} is missing or not a time`);
  const s = v.trim();
  const e = EPOCH_RE.exec(s);
  if (e) {
    if (!e[3] && e[2].length >= 12) return { micros: epochNumberToMicros(Number(s)), assumedUtc: false };
    return { micros: epochStringToMicros(e[1], e[2], e[3]), assumedUtc: false };
  }
  const m = ISO_RE.exec(s);
  if (!m) throw new RowError(`${field} "${clip(s)}" is not a time`);
  const [, y, mo, d, h, mi, se, frac, off] = m;
  const Y = +y, M = +mo, D = +d, H = +h, MI = +mi, S = +se;
  if (M < 1 || M > 12 || D < 1 || D > daysInMonth(Y, M) || H > 23 || MI > 59 || S > 60) {
    throw new RowError(`${field} "${clip(s)}" is not a valid date`);
  }
  let secs = BigInt(Math.floor(Date.UTC(Y, M - 1, D, H, MI, S) / 1000));
  if (off && off !== 'Z') {
    const sign = off[0] === '-' ? -1n : 1n;
    const digits = off.slice(1).replace(':', '');
    const offMin = BigInt(+digits.slice(0, 2) * 60 + +digits.slice(2, 4));
    secs -= sign * offMin * 60n;
  }
  const micros = secs * 1_000_000n + BigInt(((frac ?? '') + '000000').slice(0, 6));
  return { micros, assumedUtc: !off };
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function clip(s: string, n = 40): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/** Non-negative integer (Zeek `count`). */
export function parseCount(v: unknown, field: string): bigint | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) throw new RowError(`${field} "${v}" is not a count`);
    return BigInt(v);
  }
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  throw new RowError(`${field} "${clip(String(v))}" is not a count`);
}

export function parsePort(v: unknown, field: string): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new RowError(`${field} "${clip(String(v))}" is not a port (0–65535)`);
  return n;
}

export function parseInterval(v: unknown, field: string): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d*)?(e[+-]?\d+)?$/i.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new RowError(`${field} "${clip(String(v))}" is not a number of seconds`);
  return n;
}

const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_RE = /^[0-9a-fA-F:.]+(%[\w.-]+)?$/;

/** An address, required: IPv4 dotted quad or IPv6 (lower-cased). */
export function parseAddr(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') throw new RowError(`${field} is missing`);
  const m = IPV4_RE.exec(v);
  if (m) {
    if (m.slice(1).some((o) => +o > 255)) throw new RowError(`${field} "${clip(v)}" is not an IP address`);
    return v;
  }
  if (v.includes(':') && IPV6_RE.test(v)) return v.toLowerCase();
  throw new RowError(`${field} "${clip(v)}" is not an IP address`);
}

export function parseString(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(String).join(',');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function parseBool(v: unknown, field: string): boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  if (v === 'T' || v === 'true') return true;
  if (v === 'F' || v === 'false') return false;
  throw new RowError(`${field} "${clip(String(v))}" is not a bool`);
}

/** A Zeek set/vector: a JSON array or the reader's already-split list; null when unset. */
export function parseStringList(v: unknown): string[] | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  if (typeof v === 'string') return v === '' ? [] : [v];
  return [String(v)];
}
