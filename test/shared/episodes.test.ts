// Episodes: burst merging. Exact cases first (the rule of chooseMergeWindow written out per
// case), then seeded beacons: bursts must collapse, fast beacons must not.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { chooseMergeWindow, mergeEpisodes, MAX_MERGE_WINDOW } from '../../shared/scoring/episodes.js';
import { beacon, HOUR, MONDAY } from './scoring-fixtures.js';

const B = MONDAY;
const nulls = (n: number) => new Array<number | null>(n).fill(null);

test('chooseMergeWindow: no positive gap gives 0', () => {
  assert.equal(chooseMergeWindow([]), 0);
  assert.equal(chooseMergeWindow([B]), 0);
  assert.equal(chooseMergeWindow([B, B, B]), 0);
  assert.equal(chooseMergeWindow([NaN, B, Infinity]), 0);
});

test('chooseMergeWindow: regular gaps merge only below 0.2 × median, at most 5 s', () => {
  // Gaps 60, 60, 60: no split (ratio 1); 0.2 × 60 = 12 → capped at 5.
  assert.equal(chooseMergeWindow([B, B + 60, B + 120, B + 180]), 5);
  // Gaps 2 s: 0.2 × 2 = 0.4 (a 2.2 s beacon must not be merged).
  assert.equal(chooseMergeWindow([B, B + 2, B + 4, B + 6, B + 8]), 0.4);
  // Gaps 3.5 s (exact in binary): 0.7.
  assert.equal(chooseMergeWindow([0, 3.5, 7, 10.5, 14].map((o) => B + o)), 0.2 * 3.5);
});

test('chooseMergeWindow: a burst cluster sets ε at the geometric midpoint, capped at 5 s', () => {
  // Check-ins every 8 s, each with a second connection 0.25 s later: gaps 0.25 (×5) and 7.75 (×4).
  // Split after 0.25: ratio 31 ≥ 3, bursts 5/9 ≥ 10 %, check-in gaps 4/9 ≥ 4 % → ε = √(0.25 · 7.75).
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push(B + 8 * i, B + 8 * i + 0.25);
  assert.equal(chooseMergeWindow(times), Math.sqrt(0.25 * 7.75));
  // Every 60 s with extra connections at +0.5 and +2: gaps 0.5, 1.5 (×10 each) and 58 (×9).
  // The highest split (1.5 | 58) wins: √(1.5 · 58) = 9.3 → capped at 5.
  const bursts: number[] = [];
  for (let i = 0; i < 10; i++) bursts.push(B + 60 * i, B + 60 * i + 0.5, B + 60 * i + 2);
  assert.equal(chooseMergeWindow(bursts), MAX_MERGE_WINDOW);
});

test('chooseMergeWindow: one huge gap is not a burst split; unsorted input is sorted first', () => {
  // Gaps 60, 60, 60, 36000: the lower cluster (60 s) is above 5 s → fallback 0.2 × 60 → 5.
  assert.equal(chooseMergeWindow([B, B + 60, B + 120, B + 180, B + 36_180]), 5);
  // 2 s beacon, 100 gaps, then one 10 h gap: the "check-in cluster" would be 1 gap of 101 (< 4 %),
  // so no split: 0.2 × median(2) = 0.4.
  const t = Array.from({ length: 101 }, (_, i) => B + 2 * i);
  t.push(B + 200 + 10 * HOUR);
  assert.equal(chooseMergeWindow(t), 0.4);
  assert.equal(chooseMergeWindow(t.slice().reverse()), 0.4);
});

test('mergeEpisodes: identical timestamps merge even with ε = 0; unsorted input; byte sums', () => {
  const eps = mergeEpisodes([B + 20, B + 10, B + 10], [5, 100, 50], [7, 1, 2], 0);
  assert.deepEqual(eps, [
    { start: B + 10, end: B + 10, count: 2, bytesOut: 150, bytesIn: 3 },
    { start: B + 20, end: B + 20, count: 1, bytesOut: 5, bytesIn: 7 },
  ]);
});

test('mergeEpisodes: null, NaN and negative bytes are unknown; an all-unknown episode is null', () => {
  const eps = mergeEpisodes([B, B + 1, B + 100], [100, null, NaN], [null, -5, 7], 2);
  assert.deepEqual(eps, [
    { start: B, end: B + 1, count: 2, bytesOut: 100, bytesIn: null },
    { start: B + 100, end: B + 100, count: 1, bytesOut: null, bytesIn: 7 },
  ]);
});

test('mergeEpisodes: single linkage, strict ε, non-finite times dropped, length check', () => {
  // 0, 4, 8 chain (each < 5 from the previous) although 8 − 0 > 5; 13 is exactly 5 after 8: not merged.
  const eps = mergeEpisodes([B, B + 4, B + 8, B + 13, NaN], nulls(5), nulls(5), 5);
  assert.deepEqual(
    eps.map((e) => [e.start - B, e.end - B, e.count]),
    [
      [0, 8, 3],
      [13, 13, 1],
    ],
  );
  assert.throws(() => mergeEpisodes([B, B + 1], [1], [1, 2], 5), RangeError);
  assert.deepEqual(mergeEpisodes([], [], [], 5), []);
});

test('bursts of 2–3 connections per check-in collapse to one episode per check-in', () => {
  for (const jitter of [0, 0.3]) {
    // Each check-in: the beat plus 1–2 connections 0.05–2 s apart (so 2–3 per check-in).
    const checkins = 1000;
    const times = beacon({ period: 60, count: checkins, jitter, burst: 2, seed: 7 });
    assert.ok(times.length > 2 * checkins);
    const eps = chooseMergeWindow(times);
    assert.ok(eps > 4 && eps <= 5, `ε = ${eps}`);
    const episodes = mergeEpisodes(times, nulls(times.length), nulls(times.length), eps);
    assert.equal(episodes.length, checkins, `jitter ${jitter}`);
    assert.ok(episodes.every((e) => e.count >= 2 && e.count <= 3));
  }
});

test('fast beacons stay whole: 2.2 s (297 events) and 3.5 s, with and without jitter', () => {
  for (const [period, jitter] of [
    [2.2, 0],
    [2.2, 0.3],
    [3.5, 0],
    [3.5, 0.5],
  ]) {
    const times = beacon({ period, count: 297, jitter, seed: 3 });
    const eps = chooseMergeWindow(times);
    assert.ok(eps < (1 - jitter) * period, `ε ${eps} for ${period} s, jitter ${jitter}`);
    assert.equal(mergeEpisodes(times, nulls(297), nulls(297), eps).length, 297);
  }
});
