// The clock-schedule test (detection.md, item 4; MITRE T1029 scheduled transfer). Cron jobs,
// Windows scheduled tasks, backups and timed exfiltration keep their time of day (or of the hour,
// or of the week) even when runs are missed, so their start times have a tight phase within the
// cycle although their gaps may be 1, 2 or 3 days. A renewal test needs many gaps; the phase test
// needs three starts: three nightly transfers at 03:10 ± 4 min are already strong evidence.
//
// Phases are taken on the wall clock of a time zone, so a job at 03:10 Europe/Berlin stays at
// 03:10 across a daylight-saving change (in UTC it jumps by an hour).

import { median } from './quantiles.js';
import { clamp, formatLogP } from './stats.js';

/** Cycles tested: an hour, a day, a week (seconds). */
export const SCHEDULE_CYCLES: readonly number[] = [3600, 86_400, 604_800];
/** Starts needed before a phase means anything. */
export const MIN_STARTS = 3;
/** A phase is tight when its circular SD is at most max(5 min, 1 % of the cycle). */
export const MIN_TOLERANCE = 300;
export const TOLERANCE_SHARE = 0.01;
/** A schedule fires at most this many times per active cycle. */
export const MAX_PER_CYCLE = 2;
/** And its phases must be non-uniform by Rayleigh's test at this level. */
export const MAX_RAYLEIGH_P = 0.05;
/** Phases finer than this cannot be told apart (clock skew, job start-up); seconds. */
export const MIN_PHASE_SD = 60;

export interface ScheduleOptions {
  /** IANA zone for wall-clock phases (e.g. "Europe/Berlin"); UTC is always tested as well. */
  timeZone?: string;
}

/** The part of an episode the schedule test reads. */
export interface Span {
  start: number;
  end: number;
}

export interface ScheduleFit {
  /** Cycle length T, seconds. */
  cycle: number;
  /** "UTC" or the IANA zone whose wall clock the phase is read on. */
  zone: string;
  /** Session starts (episodes split by silence ≥ min(1 h, T/4)). */
  starts: number;
  /** Mean phase: seconds into the cycle (the week starts Monday 00:00). */
  phase: number;
  /** Wall-clock phase without the zone: "xx:10", "03:10", "Mon 03:10" (Finding.clock.at). */
  at: string;
  /** The same with the zone: "xx:10 UTC", "03:10 Europe/Berlin", "Mon 03:10 UTC". */
  label: string;
  /** Mean resultant length |Σ e^{iφ}| / n, 0..1. */
  resultant: number;
  rayleighP: number;
  /** Circular standard deviation of the starts, seconds. */
  sd: number;
  /** max(5 min, 1 % of T). */
  tolerance: number;
  /**
   * ln of the chance that n uniform phases fall in an arc as narrow as the observed one
   * (n·a^{n−1}, a = √12·SD/T, the width of a uniform with that SD), before adjustment.
   */
  logTightP: number;
  /** Cycles from the first to the last start, and those with at least one start. */
  cyclesSpanned: number;
  activeCycles: number;
  /** Mean episodes and sessions per active cycle. */
  episodesPerCycle: number;
  sessionsPerCycle: number;
  /** Median session length (first start to last start of its episodes), seconds. */
  medianSession: number;
  tight: boolean;
  schedule: boolean;
}

export interface ScheduleResult {
  /** The schedule with the longest cycle (then the tightest phase); null when none. */
  best: ScheduleFit | null;
  /** Every cycle × zone evaluated (with at least 3 starts). */
  fits: ScheduleFit[];
  /** Fits evaluated: the Bonferroni factor for logTightP. */
  tests: number;
  /** ln p of `best` after the Bonferroni adjustment; 0 without a schedule. */
  logPAdjusted: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

/** True when Intl knows the zone. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Seconds to add to UTC epoch seconds to get the wall clock of `zone` at instant t
 * (DST-aware, from Intl: +7200 for Europe/Berlin in summer, +3600 in winter).
 * Cached per zone and quarter hour, the finest granularity any zone changes offset at.
 */
export function zoneOffset(t: number, zone: string): number {
  if (zone === 'UTC') return 0;
  const key = `${zone}|${Math.floor(t / 900)}`;
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  let fmt = formatters.get(zone);
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, fmt);
  }
  const ms = Math.floor(t) * 1000;
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const offset = Math.round((wall - ms) / 1000);
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

/** Rayleigh test p-value for resultant R (unnormalized) of n phases (Zar's approximation). */
export function rayleighP(R: number, n: number): number {
  if (n <= 0) return 1;
  return clamp(Math.exp(Math.sqrt(1 + 4 * n + 4 * (n * n - R * R)) - (1 + 2 * n)), 0, 1);
}

/** Circular SD in seconds of a cycle T from the mean resultant length r = R/n. */
export function circularSd(r: number, T: number): number {
  if (r >= 1) return 0;
  if (r <= 0) return Infinity;
  return (Math.sqrt(-2 * Math.log(r)) * T) / (2 * Math.PI);
}

// Monday 1970-01-05 is 4 days after the epoch (a Thursday); shifting by 3 days puts week
// boundaries on Monday 00:00 local time.
const WEEK_SHIFT = 3 * 86_400;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Wall clock of a phase, to the minute: "xx:10" (hour), "03:10" (day), "Mon 03:10" (week). */
export function phaseClock(phase: number, T: number): string {
  const minutes = Math.round(phase / 60) % Math.round(T / 60);
  const hh = String(Math.floor(minutes / 60) % 24).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  if (T <= 3600) return `xx:${mm}`;
  if (T <= 86_400) return `${hh}:${mm}`;
  return `${WEEKDAYS[Math.floor(minutes / 1440) % 7]} ${hh}:${mm}`;
}

/** phaseClock plus the zone: "03:10 UTC", "02:00 Europe/Berlin". */
export function phaseLabel(phase: number, T: number, zone: string): string {
  return `${phaseClock(phase, T)} ${zone}`;
}

function fitCycle(episodes: readonly Span[], T: number, zone: string): ScheduleFit | null {
  // Sessions: episodes split by silence of at least min(1 h, T/4), so a transfer made of several
  // connections over minutes has one start (T/4 keeps an hourly job's runs apart).
  const silence = Math.min(3600, T / 4);
  const sessions: Span[] = [];
  for (const e of episodes) {
    const last = sessions[sessions.length - 1];
    if (last !== undefined && e.start - last.end < silence) last.end = Math.max(last.end, e.end);
    else sessions.push({ start: e.start, end: e.end });
  }
  const n = sessions.length;
  if (n < MIN_STARTS) return null;

  const local = (t: number) => t + zoneOffset(t, zone) + (T === 604_800 ? WEEK_SHIFT : 0);
  let C = 0;
  let S = 0;
  const sessionCycles = new Set<number>();
  for (const s of sessions) {
    const lt = local(s.start);
    const phi = (2 * Math.PI * (((lt % T) + T) % T)) / T;
    C += Math.cos(phi);
    S += Math.sin(phi);
    sessionCycles.add(Math.floor(lt / T));
  }
  const episodeCounts = new Map<number, number>();
  for (const e of episodes) {
    const c = Math.floor(local(e.start) / T);
    episodeCounts.set(c, (episodeCounts.get(c) ?? 0) + 1);
  }
  const R = Math.hypot(C, S);
  const r = Math.min(1, R / n);
  const sd = circularSd(r, T);
  const phase = ((((Math.atan2(S, C) / (2 * Math.PI)) * T) % T) + T) % T;
  const tolerance = Math.max(MIN_TOLERANCE, TOLERANCE_SHARE * T);
  const arc = (Math.sqrt(12) * Math.max(sd, MIN_PHASE_SD)) / T;
  // n·a^{n−1} is exact for a ≤ 1/2 (all n points within some arc a of the circle).
  const logTightP = arc >= 0.5 ? 0 : Math.min(0, Math.log(n) + (n - 1) * Math.log(arc));
  const pR = rayleighP(R, n);
  const firstCycle = Math.floor(local(sessions[0].start) / T);
  const lastCycle = Math.floor(local(sessions[n - 1].start) / T);
  const activeCycles = sessionCycles.size;
  const episodesPerCycle = episodes.length / episodeCounts.size;
  const sessionsPerCycle = n / activeCycles;
  const medianSession = median(sessions.map((s) => s.end - s.start));
  const tight = sd <= tolerance;
  // A schedule fires once or twice per cycle: either few episodes, or one short session (a
  // backup that opens many connections in two minutes). A beacon running all day has neither.
  const schedule =
    tight &&
    pR <= MAX_RAYLEIGH_P &&
    sessionsPerCycle <= MAX_PER_CYCLE &&
    (episodesPerCycle <= MAX_PER_CYCLE || medianSession <= tolerance);
  return {
    cycle: T,
    zone,
    starts: n,
    phase,
    at: phaseClock(phase, T),
    label: phaseLabel(phase, T, zone),
    resultant: r,
    rayleighP: pR,
    sd,
    tolerance,
    logTightP,
    cyclesSpanned: lastCycle - firstCycle + 1,
    activeCycles,
    episodesPerCycle,
    sessionsPerCycle,
    medianSession,
    tight,
    schedule,
  };
}

/**
 * Tests episodes (any order; only start and end are read) for a clock schedule with a cycle of
 * an hour, a day or a week, in UTC and in `timeZone` when given and valid (an unknown zone is
 * ignored rather than failing the whole scan). O(n log n).
 */
export function analyzeSchedule(episodes: readonly Span[], options: ScheduleOptions = {}): ScheduleResult {
  const sorted = episodes.filter((e) => Number.isFinite(e.start)).slice().sort((a, b) => a.start - b.start);
  const zones = ['UTC'];
  const tz = options.timeZone;
  if (tz !== undefined && tz !== '' && tz !== 'UTC' && isValidTimeZone(tz)) zones.push(tz);

  const fits: ScheduleFit[] = [];
  for (const T of SCHEDULE_CYCLES) {
    for (const zone of zones) {
      const f = fitCycle(sorted, T, zone);
      if (f !== null) fits.push(f);
    }
  }
  const tests = fits.length;
  let best: ScheduleFit | null = null;
  for (const f of fits) {
    if (!f.schedule) continue;
    if (
      best === null ||
      f.cycle > best.cycle ||
      // Same cycle: the tighter zone; on a tie (no DST change in the data) the configured zone,
      // because that is the clock the analyst reads.
      (f.cycle === best.cycle && (f.sd < best.sd - 1 || (Math.abs(f.sd - best.sd) <= 1 && f.zone !== 'UTC')))
    ) {
      best = f;
    }
  }
  const logPAdjusted = best === null ? 0 : Math.min(0, best.logTightP + Math.log(tests));
  return { best, fits, tests, logPAdjusted };
}

const CYCLE_WORDS: Record<number, [string, string]> = {
  3600: ['hour', 'hours'],
  86_400: ['day', 'days'],
  604_800: ['week', 'weeks'],
};

/**
 * The schedule sentence, e.g. "3 starts at 03:10 Europe/Berlin ± 2.3 min on 3 of 3 days
 * (Rayleigh p = 0.034, p ≈ 1e-4 for so tight a phase)".
 */
export function explainSchedule(r: ScheduleResult): string {
  const f = r.best;
  if (f === null) return 'no clock schedule';
  const [one, many] = CYCLE_WORDS[f.cycle] ?? ['cycle', 'cycles'];
  const sd = f.sd < 60 ? `${Math.round(f.sd)} s` : `${(f.sd / 60).toFixed(1)} min`;
  return (
    `${f.starts} starts at ${f.label} ± ${sd} on ${f.activeCycles} of ${f.cyclesSpanned} ` +
    `${f.cyclesSpanned === 1 ? one : many} (Rayleigh p = ${Number(f.rayleighP.toPrecision(2))}, ` +
    `${formatLogP(r.logPAdjusted)} for so tight a phase)`
  );
}
