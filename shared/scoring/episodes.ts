// Episodes: the connections of one key that belong to one check-in, merged into one event.
// C2 frameworks open 2–3 connections per check-in within ~0–5 s (a TLS session, a task fetch, a
// result post), and a duplicate log line gives two connections at the same instant. Counting
// each as a beat would fill the gap list with tiny gaps that look like "early" arrivals and
// hide the period, so they are merged first (detection.md, item 2). The window must not swallow
// a fast beacon, though: real beacons run every 2.2 s and 3.5 s.

import { quickMedian } from './stats.js';

export interface Episode {
  /** First connection start, epoch seconds. */
  start: number;
  /** Last connection start in the episode, epoch seconds. */
  end: number;
  /** Connections merged into this episode. */
  count: number;
  /** Sum of the known byte counts; null when every connection's count is unknown. */
  bytesOut: number | null;
  bytesIn: number | null;
}

/** The merge window never exceeds this (seconds): the design's "within ~0–5 s". */
export const MAX_MERGE_WINDOW = 5;
/** Without a burst cluster, merge only gaps below this share of the median gap. */
export const FALLBACK_FRACTION = 0.2;
/** A burst cluster must be separated from the check-in gaps by at least this ratio. */
export const MIN_SPLIT_RATIO = 3;
/** Bursts must make up at least this share of the gaps to be worth a split... */
export const MIN_BURST_SHARE = 0.1;
/** ...and the gaps between check-ins at least this share (bursts of up to ~25 connections). */
export const MIN_CHECKIN_SHARE = 0.04;

/**
 * Picks the burst-merge window ε (seconds) from the data.
 *
 * Rule, on the sorted positive gaps g[0] ≤ … ≤ g[n−1] (zero gaps are duplicates and merge anyway):
 * 1. A split after g[i] is a burst split when
 *    - g[i] ≤ 5 s (bursts live within ~0–5 s),
 *    - g[i+1] / g[i] ≥ 3 (a clear gulf between the two clusters),
 *    - the lower cluster holds ≥ 10 % of the gaps (bursts are a habit, not one accident), and
 *    - the upper cluster holds ≥ 4 % of the gaps and at least 2 of them (the check-in gaps; this
 *      is what keeps a 2.2 s beacon whole when a laptop's nights add a few huge gaps: those are
 *      far below 4 %).
 *    The highest such split wins, so every sub-5 s level of a burst (a duplicate at 1 ms, a
 *    second request at 0.5 s, a third at 2 s) is merged, not just the lowest one.
 *    ε = min(5 s, √(g[i]·g[i+1])): the geometric midpoint between the clusters.
 * 2. Otherwise ε = min(5 s, 0.2 × median gap): regular gaps are never merged (a 2.2 s beacon gets
 *    ε = 0.44 s; even 50 % jitter keeps its gaps ≥ 1.1 s), and a slow key merges only
 *    near-duplicates.
 * 3. No positive gap at all: 0 (identical timestamps still merge).
 *
 * `times` may be in any order; non-finite values are ignored. O(n log n).
 */
export function chooseMergeWindow(times: readonly number[]): number {
  const finite = times.filter((t) => Number.isFinite(t));
  const sorted = Float64Array.from(finite).sort();
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i] - sorted[i - 1];
    if (d > 0) gaps.push(d);
  }
  const n = gaps.length;
  if (n === 0) return 0;
  const g = Float64Array.from(gaps).sort();

  for (let i = n - 2; i >= 0; i--) {
    if (g[i] > MAX_MERGE_WINDOW) continue;
    const lower = i + 1;
    const upper = n - lower;
    if (g[i + 1] / g[i] < MIN_SPLIT_RATIO) continue;
    if (lower < MIN_BURST_SHARE * n) continue;
    if (upper < 2 || upper < MIN_CHECKIN_SHARE * n) continue;
    return Math.min(MAX_MERGE_WINDOW, Math.sqrt(g[i] * g[i + 1]));
  }
  return Math.min(MAX_MERGE_WINDOW, FALLBACK_FRACTION * quickMedian(g));
}

/**
 * Merges connections closer than `eps` seconds to the previous connection (single linkage, so a
 * burst of 3 connections 2 s apart is one episode with ε = 5 s) into episodes, sorted by start.
 * Identical timestamps always merge, even with ε = 0. Byte counts are summed over the known
 * values; an episode whose counts are all unknown (null, NaN, negative) has null. Input may be
 * in any order; connections with a non-finite time are dropped (they cannot be placed).
 */
export function mergeEpisodes(
  times: readonly number[],
  bytesOut: readonly (number | null)[],
  bytesIn: readonly (number | null)[],
  eps: number,
): Episode[] {
  if (bytesOut.length !== times.length || bytesIn.length !== times.length) {
    throw new RangeError(
      `mergeEpisodes: ${times.length} times but ${bytesOut.length} bytesOut and ${bytesIn.length} bytesIn`,
    );
  }
  const order: number[] = [];
  for (let i = 0; i < times.length; i++) if (Number.isFinite(times[i])) order.push(i);
  order.sort((a, b) => times[a] - times[b] || a - b);

  const episodes: Episode[] = [];
  let cur: Episode | null = null;
  let prev = -Infinity;
  for (const i of order) {
    const t = times[i];
    const out = known(bytesOut[i]);
    const inb = known(bytesIn[i]);
    const gap = t - prev;
    if (cur !== null && (gap <= 0 || gap < eps)) {
      cur.end = t;
      cur.count++;
      if (out !== null) cur.bytesOut = (cur.bytesOut ?? 0) + out;
      if (inb !== null) cur.bytesIn = (cur.bytesIn ?? 0) + inb;
    } else {
      cur = { start: t, end: t, count: 1, bytesOut: out, bytesIn: inb };
      episodes.push(cur);
    }
    prev = t;
  }
  return episodes;
}

function known(b: number | null | undefined): number | null {
  return b === null || b === undefined || !Number.isFinite(b) || b < 0 ? null : b;
}
