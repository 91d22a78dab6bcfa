// One key (one source → destination stream of events) in, one score out: episodes → period →
// schedule → size → fusion. Pure and synchronous; the engine gathers the events and context.

import { chooseMergeWindow, mergeEpisodes, type Episode } from './episodes.js';
import { fuse, type Fusion, type FusionContext } from './fusion.js';
import { analyzePeriod, type PeriodResult } from './period.js';
import { analyzeSchedule, type ScheduleResult } from './schedule.js';
import { analyzeSize, type SizeResult } from './size.js';

export type { Episode } from './episodes.js';
export type { Fusion, FusionContext, KeyCategory, PairDirection } from './fusion.js';
export type { PeriodResult } from './period.js';
export type { ScheduleFit, ScheduleResult } from './schedule.js';
export type { SizeResult } from './size.js';

export type KeyContext = FusionContext;

export interface KeyInput {
  /** Event start times, epoch seconds (float; sub-second precision matters), any order. */
  times: number[];
  /** Bytes out / in per event, same length as times; null = unknown. */
  bytesOut: (number | null)[];
  bytesIn: (number | null)[];
  /** Hour indices floor(t / 3600) in which the source host sent any traffic. */
  awakeHours?: Set<number>;
  /** IANA zone for the clock-schedule test (UTC is always tested too). */
  timeZone?: string;
  context: KeyContext;
}

export interface KeyScore extends Fusion {
  /** Events with a usable time. */
  connections: number;
  /** Episodes (check-ins) after merging bursts. */
  checkins: number;
  /** The burst-merge window used, seconds. */
  mergeWindow: number;
  firstSeen: number;
  lastSeen: number;
  /** Sums of the known byte counts; null when none is known. */
  bytesOut: number | null;
  bytesIn: number | null;
  timing: PeriodResult | null;
  schedule: ScheduleResult;
  size: SizeResult;
}

/** Fewer check-ins than this cannot show any rhythm (the schedule test needs three starts). */
export const MIN_CHECKINS = 3;
/** Once a period P is known, bursts may be merged over min(30 s, 5 % of P) (design item 2). */
export const MAX_PERIOD_MERGE = 30;
/** Below this period (seconds) a rhythm counts only with strobe volume. */
export const MIN_BEACON_PERIOD = 1;
export const STROBE_SUBSECOND_CHECKINS = 1000;
/** A rhythm must last this long (seconds, first to last check-in) to count. */
export const MIN_RHYTHM_SPAN = 45;
export const PERIOD_MERGE_SHARE = 0.05;
/** A periodic fit covering fewer of its expected beats than this is a burst pattern. */
export const BURST_COVERAGE = 0.2;

/**
 * Scores one key. Null when it has fewer than 3 check-ins after merging (nothing to say).
 * Throws RangeError when the byte arrays do not match the times.
 */
export function scoreKey(input: KeyInput): KeyScore | null {
  const { times, bytesOut, bytesIn } = input;
  if (bytesOut.length !== times.length || bytesIn.length !== times.length) {
    throw new RangeError(
      `scoreKey: ${times.length} times but ${bytesOut.length} bytesOut and ${bytesIn.length} bytesIn`,
    );
  }
  const connections = times.reduce((n, t) => (Number.isFinite(t) ? n + 1 : n), 0);
  let eps = chooseMergeWindow(times);
  let episodes = mergeEpisodes(times, bytesOut, bytesIn, eps);
  if (episodes.length < MIN_CHECKINS) return null;

  const periodOptions = { awakeHours: input.awakeHours };
  let timing = analyzePeriod(starts(episodes), periodOptions);

  // Design item 2: once a period P is known, connections within min(30 s, 5 % of P) are one
  // check-in (a slow job whose connections spread over 10–30 s). Two wider windows are tried:
  // min(30 s, 5 % of P) for the period found, and 30 s, which reveals slow periods hidden by
  // their own bursts (an hourly check-in of 3 connections 10 s apart first looks like a 10 s
  // rhythm). A trial counts only if its own period justifies its window (w ≤ 5 % of the new P).
  const windows = new Set<number>([MAX_PERIOD_MERGE]);
  if (timing !== null && timing.periodic) windows.add(Math.min(MAX_PERIOD_MERGE, PERIOD_MERGE_SHARE * timing.period));
  for (const w of windows) {
    if (w <= eps || !hasGapBelow(episodes, w)) continue;
    const merged = mergeEpisodes(times, bytesOut, bytesIn, w);
    if (merged.length < MIN_CHECKINS) continue;
    const retimed = analyzePeriod(starts(merged), periodOptions);
    if (retimed === null || !retimed.periodic || w > PERIOD_MERGE_SHARE * retimed.period + 1e-9) continue;
    // A rhythm that covers under 20 % of its own expected beats lives inside bursts (5
    // connections 6 s apart once a night): the wider merge replaces it. A sustained rhythm is
    // replaced only by a stronger one (a 2.2 s beacon must not turn into "daily" sessions).
    const sustained = timing !== null && timing.periodic && timing.coverage >= BURST_COVERAGE ? timing : null;
    if (sustained === null || stronger(retimed, sustained)) {
      eps = w;
      episodes = merged;
      timing = retimed;
    }
  }

  // A handful of connections opened within a second (a browser's parallel fetches) has a
  // "period" of milliseconds: that is a burst, not a rhythm. Sub-second rhythms need strobe volume.
  // Likewise a rhythm that lasts only seconds (15 range requests of one download, 1 s apart)
  // is a transfer, not a check-in schedule: a beacon keeps its rhythm for at least a minute.
  const span = episodes[episodes.length - 1].start - episodes[0].start;
  if (
    timing !== null &&
    ((timing.period < MIN_BEACON_PERIOD && episodes.length < STROBE_SUBSECOND_CHECKINS) || span < MIN_RHYTHM_SPAN)
  ) {
    timing = { ...timing, periodic: false, strength: 0 };
  }

  const schedule = analyzeSchedule(episodes, { timeZone: input.timeZone });
  const size = analyzeSize(episodes);
  const fusion = fuse({
    timing,
    schedule,
    size,
    connections,
    checkins: episodes.length,
    context: input.context,
  });
  return {
    ...fusion,
    connections,
    checkins: episodes.length,
    mergeWindow: eps,
    firstSeen: episodes[0].start,
    lastSeen: episodes[episodes.length - 1].end,
    bytesOut: size.totalOut,
    bytesIn: size.totalIn,
    timing,
    schedule,
    size,
  };
}

/** Greater timing strength, or equal strength and a smaller p-value. */
function stronger(a: PeriodResult, b: PeriodResult): boolean {
  if (a.strength > b.strength + 1e-9) return true;
  return a.strength >= b.strength - 1e-9 && a.logPAdjusted < b.logPAdjusted;
}

/** True when some episode starts less than `w` seconds after the previous one ended. */
function hasGapBelow(episodes: readonly Episode[], w: number): boolean {
  for (let i = 1; i < episodes.length; i++) if (episodes[i].start - episodes[i - 1].end < w) return true;
  return false;
}

function starts(episodes: readonly Episode[]): number[] {
  return episodes.map((e) => e.start);
}
