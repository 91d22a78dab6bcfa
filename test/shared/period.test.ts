// The renewal test. Exact cases are worked out in the comments; behavioural cases use seeded
// beacons (jitter, missed beats), Poisson arrivals and browsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  analyzePeriod,
  explainPeriod,
  logHistogramMode,
  poissonInlierProbability,
  timingStrength,
  TOLERANCE_GRID,
  type PeriodResult,
} from '../../shared/scoring/period.js';
import { Z95 } from '../../shared/scoring/stats.js';
import { beacon, browsing, DAY, HOUR, hoursOf, MONDAY, poisson } from './scoring-fixtures.js';

const B = MONDAY;

function close(actual: number, expected: number, tol = 1e-9, msg?: string) {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    msg ?? `${actual} is not within ${tol} of ${expected}`,
  );
}

function periodOf(times: number[], awakeHours?: Set<number>): PeriodResult {
  const r = analyzePeriod(times, { awakeHours });
  assert.ok(r, 'expected a period result');
  return r;
}

/** Σ of (τ, K) multiples in the grid: 6 + 6 + 4 + 3 + 1 = 20 hypotheses per candidate. */
const PER_CANDIDATE = TOLERANCE_GRID.reduce((a, t) => a + t.maxMultiple, 0);

test('poissonInlierProbability: windows |d − kP| ≤ kτP, clipped where round(d/P) changes', () => {
  // P = μ = 60, τ = 0.05, K = 6: windows [57k, 63k] never reach the rounding edges (k ± 0.5)·60.
  let expected = 0;
  for (let k = 1; k <= 6; k++) expected += Math.exp(-0.95 * k) - Math.exp(-1.05 * k);
  close(poissonInlierProbability(60, 0.05, 6, 60), expected);
  close(expected, 0.0912, 1e-3); // 0.0368 + 0.0271 + 0.0150 + 0.0074 + 0.0034 + 0.0015
  // τ = 0.3, K = 3: k = 1 → [42, 78]; k = 2 → [84, 156] ∩ [90, 150]; k = 3 → [126, 234] ∩ [150, 210].
  const e = (x: number) => Math.exp(-x / 60);
  close(poissonInlierProbability(60, 0.3, 3, 60), e(42) - e(78) + (e(90) - e(150)) + (e(150) - e(210)));
  // K = 1, τ = 0.5: [30, 90].
  close(poissonInlierProbability(60, 0.5, 1, 60), e(30) - e(90));
});

test('four events 60 s apart: every statistic by hand', () => {
  // Gaps 60, 60, 60. Candidates: median 60, log-histogram mode 60 (all equal: the value itself,
  // a duplicate), median/2 = 30 → 2 candidates × 20 hypotheses = 40 tests.
  // Every τ fits all 3 gaps with k = 1 (K' = 1); the tightest τ has the smallest null window
  // p0 = e^−0.95 − e^−1.05 = 0.036803 (μ = 60), so τ = 0.05 wins: logP = 3 ln p0.
  const r = periodOf([B, B + 60, B + 120, B + 180]);
  const p0 = Math.exp(-0.95) - Math.exp(-1.05);
  assert.equal(r.period, 60);
  assert.equal(r.tau, 0.05);
  assert.equal(r.maxMultiple, 1);
  assert.equal(r.gaps, 3);
  assert.equal(r.inliers, 3);
  assert.equal(r.maskedGaps, 0);
  assert.equal(r.earlyFraction, 0);
  assert.equal(r.missedBeats, 0);
  assert.equal(r.jitter, 0);
  assert.equal(r.jitterOneSided, 0);
  assert.equal(r.sleep, 60);
  assert.equal(r.coverage, 1);
  assert.deepEqual(r.candidates, [60, 30]);
  assert.equal(r.tests, 2 * PER_CANDIDATE);
  close(r.nullInlierProbability, p0);
  close(r.logP, 3 * Math.log(p0));
  close(r.logPAdjusted, 3 * Math.log(p0) + Math.log(40));
  close(r.pAdjusted, 40 * p0 ** 3); // = 0.00199
  // Wilson with f = 1: n/(n + z²) = 3/(3 + 2.7055) = 0.5258; no early gaps → regularity the same.
  close(r.inlierLower, 3 / (3 + Z95 * Z95));
  close(r.regularity, 3 / (3 + Z95 * Z95));
  // Strength: (0.5258 − 0.3)/0.6 = 0.376 times −log10(0.00199)/4 = 0.675 → 0.254.
  close(r.strength, ((r.regularity - 0.3) / 0.6) * (-Math.log10(40 * p0 ** 3) / 4));
  assert.equal(r.periodic, true);
  assert.equal(explainPeriod(r), '3 of 3 intervals fit 1.0 min ± 0 % (p = 0.002)');
});

test('unsorted input, duplicates (zero gaps) and non-finite times give the same result', () => {
  const sorted = periodOf([B, B + 60, B + 120, B + 180]);
  const messy = periodOf([B + 180, B + 60, B, B + 120, B + 60, B + 120, NaN]);
  assert.deepEqual(messy, sorted);
});

test('fewer than 3 positive gaps: null', () => {
  assert.equal(analyzePeriod([]), null);
  assert.equal(analyzePeriod([B, B + 60, B + 120]), null);
  assert.equal(analyzePeriod([B, B + 60, B + 60, B + 120, B + 120]), null); // 3 distinct times
});

test('one huge gap counts against the beacon unless the host slept through it', () => {
  // Gaps: 60 × 4, 36 000 (10 h), 60 × 2 → 7 gaps; the 10 h gap is k = 600 > K: an outlier.
  const times = [0, 60, 120, 180, 240, 36_240, 36_300, 36_360].map((o) => B + o);
  const open = periodOf(times);
  assert.equal(open.period, 60);
  assert.equal(open.gaps, 7);
  assert.equal(open.inliers, 6);
  assert.equal(open.maskedGaps, 0);
  close(open.inlierFraction, 6 / 7);
  // Coverage: 7 gaps over 36 360 s of counted time at 60 s per beat = 7 / 606.
  close(open.coverage, 7 / 606);
  // The host was seen only in hours 0 and 10: hours 1–9 (9 h ≥ max(2 h, 2P)) asleep → masked.
  const masked = periodOf(times, hoursOf(times));
  assert.equal(masked.maskedGaps, 1);
  assert.equal(masked.gaps, 6);
  assert.equal(masked.inliers, 6);
  assert.equal(masked.coverage, 1);
  assert.ok(masked.regularity > open.regularity);
  assert.match(explainPeriod(masked), /, 1 gap while the host slept not counted$/);
});

test('an idle host whose only traffic is the beacon is not masked away', () => {
  // 4-hourly beacon; the host is "awake" only in the hours of its own check-ins, so 3 asleep
  // hours lie inside every gap. 3 h < 2P = 8 h: the silence is the beacon's own, nothing masked.
  const times = beacon({ period: 4 * HOUR, count: 30, start: B + 600 });
  const r = periodOf(times, hoursOf(times));
  assert.equal(r.maskedGaps, 0);
  assert.equal(r.gaps, 29);
  assert.equal(r.period, 4 * HOUR);
});

test('logHistogramMode finds the busiest gap size', () => {
  const gaps = [...new Array(20).fill(60), 10, 11, 500, 3000, 120, 119];
  const mode = logHistogramMode(gaps);
  assert.ok(Math.abs(mode / 60 - 1) < 0.06, `mode ${mode}`);
  assert.equal(logHistogramMode([5, 5, 5]), 5);
  assert.ok(Number.isNaN(logHistogramMode([])));
});

test('timingStrength: 0 below regularity 0.3 or without significance, 1 at 0.9 and p ≤ 1e-4', () => {
  assert.equal(timingStrength(0.3, -100), 0);
  assert.equal(timingStrength(0.95, 0), 0);
  assert.equal(timingStrength(0.9, -4 * Math.LN10), 1);
  close(timingStrength(0.6, -2 * Math.LN10), 0.5 * 0.5);
});

// ---- behavioural (seeded) -----------------------------------------------------------------------

test('60 s beacon, no jitter, 2 days: exact period, near-perfect regularity', () => {
  const r = periodOf(beacon({ period: 60, span: 2 * DAY }));
  assert.equal(r.periodic, true);
  close(r.period, 60, 1e-9);
  assert.equal(r.tau, 0.05);
  assert.ok(r.regularity > 0.99);
  assert.equal(r.strength, 1);
});

test('60 s beacon, 30 % one-sided jitter: P ≈ 51 s (the mean sleep), J ≈ 30 %, sleep ≈ 60 s', () => {
  const r = periodOf(beacon({ period: 60, span: 2 * DAY, jitter: 0.3, seed: 11 }));
  assert.equal(r.periodic, true);
  assert.ok(Math.abs(r.period - 51) < 1.5, `P ${r.period}`);
  assert.ok(Math.abs(r.jitterOneSided - 0.3) < 0.03, `J ${r.jitterOneSided}`);
  assert.ok(Math.abs(r.sleep - 60) < 1, `sleep ${r.sleep}`);
  assert.ok(r.regularity > 0.95);
  assert.match(explainPeriod(r), /^\d+ of \d+ intervals fit 5\d\.\d s ± 1[6-9] %/);
});

test('60 s beacon, 50 % jitter one-sided and symmetric: still periodic', () => {
  const one = periodOf(beacon({ period: 60, span: 2 * DAY, jitter: 0.5, seed: 12 }));
  assert.equal(one.periodic, true);
  assert.ok(one.regularity > 0.7, `one-sided regularity ${one.regularity}`);
  assert.ok(one.period > 40 && one.period < 50, `one-sided P ${one.period}`);
  const sym = periodOf(beacon({ period: 60, span: 2 * DAY, jitter: 0.5, mode: 'symmetric', seed: 13 }));
  assert.equal(sym.periodic, true);
  assert.ok(Math.abs(sym.period - 60) < 2, `symmetric P ${sym.period}`);
  assert.ok(Math.abs(sym.jitterSymmetric - 0.5) < 0.05, `symmetric J ${sym.jitterSymmetric}`);
  assert.ok(sym.regularity > 0.9);
});

test('30 % missed beats: period kept, missed beats counted, coverage ≈ 70 %', () => {
  const r = periodOf(beacon({ period: 60, span: 2 * DAY, miss: 0.3, seed: 14 }));
  assert.equal(r.periodic, true);
  close(r.period, 60, 1e-9);
  assert.ok(r.maxMultiple >= 3);
  // Missed / inliers ≈ m / (1 − m) = 0.43 for m = 0.3.
  assert.ok(Math.abs(r.missedBeats / r.inliers - 0.43) < 0.05, `missed ${r.missedBeats} of ${r.inliers}`);
  assert.ok(Math.abs(r.coverage - 0.7) < 0.03, `coverage ${r.coverage}`);
  // Jitter and missed beats together.
  const both = periodOf(beacon({ period: 60, span: 2 * DAY, miss: 0.3, jitter: 0.5, mode: 'symmetric', seed: 15 }));
  assert.equal(both.periodic, true);
  assert.ok(Math.abs(both.period - 60) < 3, `P ${both.period}`);
});

test('fast beacons: 2.2 s (297 events) and 3.5 s keep their period', () => {
  const fast = periodOf(beacon({ period: 2.2, count: 297, seed: 16 }));
  assert.equal(fast.periodic, true);
  close(fast.period, 2.2, 1e-6);
  assert.equal(fast.gaps, 296);
  const jittered = periodOf(beacon({ period: 3.5, count: 300, jitter: 0.1, mode: 'symmetric', seed: 17 }));
  assert.equal(jittered.periodic, true);
  assert.ok(Math.abs(jittered.period - 3.5) < 0.05, `P ${jittered.period}`);
});

test('hourly and 4-hourly beacons', () => {
  const hourly = periodOf(beacon({ period: HOUR, span: 3 * DAY, jitter: 0.1, mode: 'symmetric', seed: 18 }));
  assert.equal(hourly.periodic, true);
  assert.ok(Math.abs(hourly.period / HOUR - 1) < 0.03, `P ${hourly.period}`);
  const four = periodOf(beacon({ period: 4 * HOUR, span: 7 * DAY, jitter: 0.2, mode: 'symmetric', seed: 19 }));
  assert.equal(four.periodic, true);
  assert.ok(Math.abs(four.period / (4 * HOUR) - 1) < 0.05, `P ${four.period}`);
});

test('a sleeping laptop (beacon 08:00–18:00 only) is not penalised when its awake hours are known', () => {
  const times: number[] = [];
  for (let d = 0; d < 5; d++) {
    times.push(...beacon({ period: 60, span: 10 * HOUR, jitter: 0.3, start: B + d * DAY + 8 * HOUR + 17.5, seed: 20 + d }));
  }
  const awake = hoursOf(times); // 08..17 each day
  const open = periodOf(times);
  const masked = periodOf(times, awake);
  assert.equal(masked.maskedGaps, 4); // the 4 nights
  assert.ok(masked.coverage > 0.95, `masked coverage ${masked.coverage}`);
  assert.ok(open.coverage < 0.5, `unmasked coverage ${open.coverage}`);
  assert.ok(masked.regularity >= open.regularity);
  assert.equal(masked.periodic, true);
});

test('Poisson arrivals are not periodic, at any rate', () => {
  for (const mean of [2, 10, 60, 600, 3 * HOUR]) {
    for (let seed = 1; seed <= 4; seed++) {
      const r = analyzePeriod(poisson(mean, 1000, seed * 101));
      assert.ok(r);
      assert.equal(r.periodic, false, `mean ${mean} seed ${seed}: ${explainPeriod(r)}`);
      assert.ok(r.regularity < 0.5, `mean ${mean} seed ${seed}: regularity ${r.regularity}`);
    }
  }
});

test('bursty browsing is not periodic', () => {
  for (let seed = 1; seed <= 4; seed++) {
    const r = analyzePeriod(browsing(2 * DAY, seed));
    assert.ok(r);
    assert.equal(r.periodic, false, `seed ${seed}: ${explainPeriod(r)}`);
  }
});

test('4 regular check-ins are much weaker evidence than 400 of the same quality', () => {
  const few = periodOf(beacon({ period: 60, count: 4 }));
  const many = periodOf(beacon({ period: 60, count: 400 }));
  assert.ok(few.regularity < 0.55 && many.regularity > 0.99);
  assert.ok(few.strength < 0.3 && many.strength === 1);
  assert.ok(few.logPAdjusted > many.logPAdjusted);
});
