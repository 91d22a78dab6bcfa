// Time helpers for the generator: integer microseconds since the epoch everywhere (exact, no
// float rounding in output), wall-clock rules in IANA time zones (active hours, "02:00 local"),
// and the text forms the log formats use.

export const US_PER_MS = 1000;
export const US_PER_S = 1_000_000;
export const US_PER_MIN = 60 * US_PER_S;
export const US_PER_HOUR = 60 * US_PER_MIN;
export const US_PER_DAY = 24 * US_PER_HOUR;

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** An ISO 8601 time → microseconds since the epoch. */
export function isoToUs(iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new Error(`"${iso}" is not an ISO 8601 time`);
  return ms * 1000;
}

export function usToIso(us: number): string {
  const ms = Math.floor(us / 1000);
  const base = new Date(ms).toISOString(); // …T10:00:00.250Z
  const micro = String(Math.floor(us) % 1000).padStart(3, '0');
  return `${base.slice(0, 23)}${micro}Z`;
}

/** "HH:MM" → minutes after midnight. */
export function parseClock(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m || +m[1] > 24 || +m[2] > 59 || (+m[1] === 24 && +m[2] !== 0)) throw new Error(`"${hhmm}" is not a time of day (HH:MM)`);
  return +m[1] * 60 + +m[2];
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Checks a time-zone name; throws with a readable message. */
export function checkTimeZone(tz: string): void {
  try {
    formatter(tz);
  } catch {
    throw new Error(`"${tz}" is not a known time zone (use an IANA name such as Europe/Berlin, or UTC)`);
  }
}

/**
 * Offset of a zone from UTC in minutes at an instant (local = UTC + offset). Offsets change at
 * most on quarter hours, so the answer is cached per UTC quarter hour.
 */
export function zoneOffsetMin(tz: string, utcMs: number): number {
  if (tz === 'UTC' || tz === 'Etc/UTC') return 0;
  const q = Math.floor(utcMs / 900_000);
  const key = `${tz}|${q}`;
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  const at = q * 900_000;
  const parts = formatter(tz).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const off = Math.round((local - at) / 60_000);
  if (offsetCache.size > 200_000) offsetCache.clear();
  offsetCache.set(key, off);
  return off;
}

export interface LocalTime {
  /** Days since 1970-01-01 of the local calendar date. */
  dayNumber: number;
  minuteOfDay: number;
  weekday: number; // 0 = Sunday
}

export function localTime(tz: string, utcMs: number): LocalTime {
  const localMs = utcMs + zoneOffsetMin(tz, utcMs) * 60_000;
  const dayNumber = Math.floor(localMs / 86_400_000);
  const minuteOfDay = Math.floor((localMs - dayNumber * 86_400_000) / 60_000);
  return { dayNumber, minuteOfDay, weekday: (((dayNumber + 4) % 7) + 7) % 7 };
}

/** UTC milliseconds of a local wall-clock time (a time skipped by DST lands an hour later). */
export function utcFromLocal(tz: string, dayNumber: number, minuteOfDay: number): number {
  const localMs = dayNumber * 86_400_000 + minuteOfDay * 60_000;
  let guess = localMs - zoneOffsetMin(tz, localMs) * 60_000;
  guess = localMs - zoneOffsetMin(tz, guess) * 60_000;
  return guess;
}

/** Hours of the day (and days of the week) in which something happens, in a time zone. */
export interface ActiveHours {
  from: string;
  to: string;
  days?: Weekday[];
  timeZone?: string;
}

export class ActiveWindow {
  /** Minutes after local midnight. */
  readonly from: number;
  readonly to: number;
  private readonly days: Set<number>;
  readonly tz: string;

  constructor(readonly spec: ActiveHours, defaultTz: string) {
    this.from = parseClock(spec.from);
    this.to = parseClock(spec.to);
    this.tz = spec.timeZone ?? defaultTz;
    checkTimeZone(this.tz);
    this.days = new Set((spec.days ?? WEEKDAYS).map((d) => {
      const i = WEEKDAYS.indexOf(d);
      if (i < 0) throw new Error(`"${d}" is not a weekday (sun, mon, …, sat)`);
      return i;
    }));
  }

  isActive(utcMs: number): boolean {
    const lt = localTime(this.tz, utcMs);
    if (this.from <= this.to) {
      return this.days.has(lt.weekday) && lt.minuteOfDay >= this.from && lt.minuteOfDay < this.to;
    }
    // Wraps midnight (e.g. 22:00–06:00): the part after midnight belongs to the previous day.
    if (lt.minuteOfDay >= this.from) return this.days.has(lt.weekday);
    if (lt.minuteOfDay < this.to) return this.days.has((lt.weekday + 6) % 7);
    return false;
  }

  /** The first active instant at or after `utcMs` (Infinity if none within two weeks). */
  nextActive(utcMs: number): number {
    if (this.isActive(utcMs)) return utcMs;
    const today = localTime(this.tz, utcMs).dayNumber;
    for (let d = -1; d <= 15; d++) {
      const start = utcFromLocal(this.tz, today + d, this.from);
      if (start >= utcMs && this.isActive(start)) return start;
    }
    return Infinity;
  }
}

/** Intersection of several windows: the first instant ≥ t at which all are active. */
export function nextActiveAll(windows: ActiveWindow[], utcMs: number): number {
  let t = utcMs;
  for (let iter = 0; iter < 64; iter++) {
    let moved = false;
    for (const w of windows) {
      const n = w.nextActive(t);
      if (n === Infinity) return Infinity;
      if (n > t) {
        t = n;
        moved = true;
      }
    }
    if (!moved) return t;
  }
  return Infinity;
}

const ZEROS = '000000';

function pad(n: number, w: number): string {
  const s = String(n);
  return s.length >= w ? s : ZEROS.slice(0, w - s.length) + s;
}

/** Zeek's `time` / `interval` text: seconds with exactly six decimals. */
export function zeekSeconds(us: number): string {
  const neg = us < 0;
  const a = Math.abs(Math.round(us));
  const s = Math.floor(a / US_PER_S);
  const f = a - s * US_PER_S;
  return `${neg ? '-' : ''}${s}.${pad(f, 6)}`;
}

/** A double as Zeek's JSON writer prints it: shortest form, whole numbers with ".0". */
export function jsonDouble(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/** Zeek's #open / #close stamp: YYYY-MM-DD-HH-MM-SS (UTC here, for reproducibility). */
export function zeekStamp(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}-${pad(d.getUTCHours(), 2)}-${pad(d.getUTCMinutes(), 2)}-${pad(d.getUTCSeconds(), 2)}`;
}

/** "+0000" / "-0500" → minutes. */
export function parseUtcOffset(s: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(s);
  if (!m) throw new Error(`"${s}" is not a UTC offset like +0000 or -0500`);
  return (m[1] === '-' ? -1 : 1) * (+m[2] * 60 + +m[3]);
}

const eveCache = new Map<number, [string, string]>();

/** Suricata's timestamp text: local time with microseconds and a numeric offset. */
export function eveTime(us: number, offsetMin: number): string {
  const local = Math.round(us) + offsetMin * US_PER_MIN;
  const sec = Math.floor(local / US_PER_S);
  const micro = local - sec * US_PER_S;
  // The date-and-second part repeats for many events: cache it per (second, offset).
  const key = sec * 2048 + offsetMin + 1024;
  let parts = eveCache.get(key);
  if (parts === undefined) {
    const d = new Date(sec * 1000);
    const sign = offsetMin < 0 ? '-' : '+';
    const ao = Math.abs(offsetMin);
    parts = [
      `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:` +
        `${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.`,
      `${sign}${pad(Math.floor(ao / 60), 2)}${pad(ao % 60, 2)}`,
    ];
    if (eveCache.size > 50_000) eveCache.clear();
    eveCache.set(key, parts);
  }
  return `${parts[0]}${pad(micro, 6)}${parts[1]}`;
}
