// Exact-value tests for the RITA v5.1.1 baseline. Expected numbers come either from RITA's own Go
// tests (analysis/beacons_test.go, marked "golden") or from hand calculations written out next to
// each case, so a regression shows up as a changed number, not a vague "score went down".
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  formatBytes,
  formatSeconds,
  ritaBeaconScore,
  ritaFinalScore,
  ritaHistogram,
  ritaReasons,
  ritaStatScore,
  ritaThreatScore,
  type RitaInput,
  type RitaScore,
} from '../../shared/scoring/rita.js';
import { mad, median, tukeyHinges } from '../../shared/scoring/quantiles.js';

// An arbitrary epoch second; every case is written as offsets from it so the arithmetic in the
// comments stays small.
const B = 1_517_338_924;

/** Timestamps B + offsets, constant bytes, window [B + w0, B + w1]. */
function input(offsets: number[], w0: number, w1: number, bytes = 100, prevalence?: number): RitaInput {
  return {
    timestamps: offsets.map((o) => B + o),
    bytes: offsets.map(() => bytes),
    windowStart: B + w0,
    windowEnd: B + w1,
    prevalence,
  };
}

/** Offsets whose consecutive differences are `intervals`, starting at 0. */
function cumulative(intervals: number[]): number[] {
  const out = [0];
  for (const d of intervals) out.push(out[out.length - 1] + d);
  return out;
}

/** `counts[i]` connections in bin i of a 2400 s window (100 s bins), one second apart from i*100 + first. */
function binned(counts: number[], first = 0): number[] {
  const out: number[] = [];
  counts.forEach((c, i) => {
    for (let j = 0; j < c; j++) out.push(i * 100 + first + j);
  });
  return out;
}

function score(inp: RitaInput): RitaScore {
  const s = ritaBeaconScore(inp);
  assert.ok(s, 'expected a score, got null');
  return s;
}

// ---- quantiles.ts ----------------------------------------------------------------------------

test('quantiles: Tukey hinges for odd n leave the middle element out of both halves', () => {
  // RITA's "random intervals": sorted 1 2 25 42 | 90 | 299 500 1500 4975.
  // Q1 = median(1, 2, 25, 42) = 13.5, Q2 = 90, Q3 = median(299, 500, 1500, 4975) = 1000.
  assert.deepEqual(tukeyHinges([1, 299, 25, 4975, 90, 2, 42, 500, 1500]), { q1: 13.5, q2: 90, q3: 1000 });
  // n = 3: the halves are the single extremes.
  assert.deepEqual(tukeyHinges([600, 1100, 700]), { q1: 600, q2: 700, q3: 1100 });
  // n = 5: 1 2 | 3 | 4 100 -> Q1 = 1.5, Q3 = 52.
  assert.deepEqual(tukeyHinges([100, 4, 3, 2, 1]), { q1: 1.5, q2: 3, q3: 52 });
  // n = 1 has empty halves; all three are the value.
  assert.deepEqual(tukeyHinges([7]), { q1: 7, q2: 7, q3: 7 });
});

test('quantiles: Tukey hinges for even n split into two equal halves', () => {
  // 1..10: halves 1-5 and 6-10 -> Q1 = 3, Q2 = (5 + 6) / 2 = 5.5, Q3 = 8 (RITA's "simple number list").
  assert.deepEqual(tukeyHinges([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]), { q1: 3, q2: 5.5, q3: 8 });
  // n = 4: halves (1, 2) and (3, 4), each averaged.
  assert.deepEqual(tukeyHinges([4, 1, 3, 2]), { q1: 1.5, q2: 2.5, q3: 3.5 });
  // n = 2: each half is one element.
  assert.deepEqual(tukeyHinges([9, 1]), { q1: 1, q2: 5, q3: 9 });
  const empty = tukeyHinges([]);
  assert.ok(Number.isNaN(empty.q1) && Number.isNaN(empty.q2) && Number.isNaN(empty.q3));
});

test('quantiles: median and MAD, without reordering the caller array', () => {
  const values = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
  const copy = values.slice();
  assert.equal(median(values), 5.5); // even count: mean of 5 and 6
  assert.equal(median([3, 1, 2]), 2);
  // |x - 5.5| = 4.5 3.5 2.5 1.5 0.5 0.5 1.5 2.5 3.5 4.5 -> median 2.5 (RITA's value).
  assert.equal(mad(values), 2.5);
  // |x - 100| for 98 99 99 100 100 100 101 101 102 = 2 1 1 0 0 0 1 1 2 -> median 1.
  assert.equal(mad([98, 99, 99, 100, 100, 100, 101, 101, 102]), 1);
  assert.deepEqual(values, copy);
  assert.ok(Number.isNaN(median([])));
  assert.ok(Number.isNaN(mad([])));
});

// ---- golden values from RITA's tests -----------------------------------------------------------

test('golden: intervals 98,99,99,100,100,100,101,101,102 give timestamp score 0.995', () => {
  // Q1 99, Q2 100, Q3 101: IQR 2 < 10 so skew = 0 -> 1; MAD 1 -> (100 - 1)/100 = 0.99;
  // (1 + 0.99)/2 = 0.995.
  const s = score(input(cumulative([98, 99, 99, 100, 100, 100, 101, 101, 102]), 0, 900));
  assert.equal(s.timestamp, 0.995);
  assert.equal(s.medianInterval, 100);
  assert.equal(s.intervalMad, 1);
  assert.equal(s.intervalSkew, 0);
});

test('golden: perfectly regular 60 s gives timestamp score 1', () => {
  const s = score(input(cumulative(Array(9).fill(60)), 0, 540));
  assert.equal(s.timestamp, 1);
  assert.equal(s.medianInterval, 60);
  assert.equal(s.intervalMad, 0);
});

test('golden: alternating 98/300 gives timestamp score 0.746', () => {
  // RITA's 11 timestamps: intervals 98,300 five times each. Q1 98, Q2 (98+300)/2 = 199, Q3 300:
  // numerator 98 + 300 - 398 = 0 -> skew 0 -> 1. Every |x - 199| = 101 -> MAD 101 ->
  // (199 - 101)/199 = 0.49246; (1 + 0.49246)/2 = 0.74623 -> 0.746.
  const s = score(input(cumulative([98, 300, 98, 300, 98, 300, 98, 300, 98, 300]), 0, 1990));
  assert.equal(s.timestamp, 0.746);
  assert.equal(s.medianInterval, 199);
  assert.equal(s.intervalMad, 101);
  assert.equal(s.intervalSkew, 0);
});

test('golden: RITA random intervals give timestamp score 0.083', () => {
  // Intervals 1 299 25 4975 90 2 42 500 1500: Q1 13.5, Q2 90, Q3 1000 -> skew 833.5/986.5 =
  // 0.8449 -> 0.1551; MAD 89 -> 1/90 = 0.0111; mean 0.0831 -> 0.083.
  const s = score(input(cumulative([1, 299, 25, 4975, 90, 2, 42, 500, 1500]), 0, 7434));
  assert.equal(s.timestamp, 0.083);
  assert.equal(s.intervalSkew, 833.5 / 986.5);
  assert.equal(s.intervalMad, 89);
});

test('golden: RITA data-size cases (0.995, 0.008, all zeros 0.5)', () => {
  assert.equal(ritaStatScore([98, 99, 99, 100, 100, 100, 101, 101, 102], 0).score, 0.995);
  // Q1 22, Q2 2525, Q3 311769.5 -> skew 306741.5/311747.5 = 0.98394 -> 0.01606;
  // MAD 2523 -> 2/2525 = 0.00079; mean 0.00843 -> 0.008.
  const random = ritaStatScore([524885, 1, 5000, 98654, 50, 41, 965842, 3], 0);
  assert.deepEqual(random, { score: 0.008, median: 2525, mad: 2523, skew: 306741.5 / 311747.5 });
  // Median 0 < 1 so the MAD half takes the default, 0 for bytes: (1 + 0)/2.
  assert.equal(ritaStatScore(Array(10).fill(0), 0).score, 0.5);
  // Boundaries: an IQR of exactly 10 trusts the skew, 9 does not. [0, 2, 10]: Q1 0, Q2 2, Q3 10
  // -> skew (0 + 10 - 4)/10 = 0.6 -> 0.4; |x - 2| = 2 0 8 -> MAD 2 -> (2 - 2)/2 = 0 -> 0.2.
  assert.deepEqual(ritaStatScore([0, 2, 10], 1), { score: 0.2, median: 2, mad: 2, skew: 0.6 });
  assert.deepEqual(ritaStatScore([0, 2, 9], 1), { score: 0.5, median: 2, mad: 2, skew: 0 });
  // A median of exactly 1 uses MAD/median (1 - 0/1 = 1), not the default (0 for bytes).
  assert.equal(ritaStatScore([1, 1, 1, 1], 0).score, 1);
  // RITA's "Q2 == Q3" and "Q1 == Q2" cases: skew is not trusted, stays 0.
  assert.equal(ritaStatScore([1, 1, 2, 2, 2, 2], 1).skew, 0);
  assert.equal(ritaStatScore([7, 8, 7, 8, 7, 8, 7, 8, 7], 1).score, 1);

  // The same through ritaBeaconScore on orig_ip_bytes.
  const offsets = cumulative(Array(7).fill(60));
  const s = score({ ...input(offsets, 0, 420), bytes: [524885, 1, 5000, 98654, 50, 41, 965842, 3] });
  assert.equal(s.dataSize, 0.008);
  assert.equal(s.medianBytes, 2525);
  assert.equal(s.bytesMad, 2523);
});

test('golden: one connection per hour for 24 h gives histogram score 1 (full record)', () => {
  // RITA's window is 24 h; connections at 0 h .. 23 h, one per 3600 s bin.
  // timestamp: 23 intervals of 3600 -> 1. data size: all 500 -> 1.
  // histogram: 24 bins of 1 -> CV 0 -> 1; bimodal: binSize ceil(1 * 0.05) = 1, one level with
  // 24 bars -> 24/23 capped at 1.
  // duration: 24 bins >= 6; coverage ceil(82800/86400 * 1000)/1000 = ceil(958.33)/1000 = 0.959;
  // longest run 24 (capped at 24) -> 24/12 capped at 1; max = 1.
  // beacon 1 -> final 60 + (100 - 90)/10 * 20 = 80 -> 0.8.
  const s = score(input(Array.from({ length: 24 }, (_, k) => k * 3600), 0, 86_400, 500));
  assert.deepEqual(s, {
    timestamp: 1,
    dataSize: 1,
    histogram: 1,
    duration: 1,
    beacon: 1,
    final: 0.8,
    medianInterval: 3600,
    intervalMad: 0,
    intervalSkew: 0,
    medianBytes: 500,
    bytesMad: 0,
    bytesSkew: 0,
    histogramCv: 0,
    bimodalFit: 1,
    nonEmptyBins: 24,
    coverage: 0.959,
    longestRun: 24,
    distinctTimestamps: 24,
    connections: 24,
    prevalenceModifier: 0,
  });
});

// ---- edge cases ---------------------------------------------------------------------------------

test('exactly 4 connections: the minimum RITA scores', () => {
  // Window 2400 s -> 100 s bins. Offsets 0, 600, 1300, 2400; bytes 100..400.
  // timestamp: intervals 600 700 1100 (n = 3): Q1 600, Q2 700, Q3 1100, IQR 500 >= 10 ->
  //   skew (600 + 1100 - 1400)/500 = 0.6 -> 0.4; |x - 700| = 100 0 400 -> MAD 100 ->
  //   600/700 = 0.85714; (0.4 + 0.85714)/2 = 0.62857 -> 0.629.
  // data size: Q1 150, Q2 250, Q3 350 -> skew 0 -> 1; |x - 250| = 150 50 50 150 -> MAD 100 ->
  //   150/250 = 0.6; (1 + 0.6)/2 = 0.8.
  // histogram: bins 0, 6, 13 and 23 (2400 is the window end) hold 1 each: mean 1/6, sd sqrt(5)/6,
  //   CV sqrt(5) = 2.236 > 1 -> 0; 4 bins < 11 -> no bimodal -> 0.
  // duration: 4 bins < 6 -> 0 (coverage still reported: 2400/2400 = 1; bins 23 and 0 touch across
  //   the wrap, so the longest run is 2).
  // beacon: 0.25 * (0.629 + 0.8 + 0 + 0) = 0.35725 -> 0.357 -> below 0.5 -> final 0.
  const s = score({ ...input([0, 600, 1300, 2400], 0, 2400), bytes: [100, 200, 300, 400] });
  assert.ok(Math.abs(s.histogramCv - Math.sqrt(5)) < 1e-12);
  assert.deepEqual(
    { ...s, histogramCv: 0 },
    {
      timestamp: 0.629,
      dataSize: 0.8,
      histogram: 0,
      duration: 0,
      beacon: 0.357,
      final: 0,
      medianInterval: 700,
      intervalMad: 100,
      intervalSkew: 300 / 500,
      medianBytes: 250,
      bytesMad: 100,
      bytesSkew: 0,
      histogramCv: 0,
      bimodalFit: 0,
      nonEmptyBins: 4,
      coverage: 1,
      longestRun: 2,
      distinctTimestamps: 4,
      connections: 4,
      prevalenceModifier: 0,
    },
  );
});

test('gate: identical or too few distinct whole-second timestamps give null', () => {
  assert.equal(ritaBeaconScore(input(Array(10).fill(0), 0, 100)), null);
  // 3 distinct seconds, 9 connections.
  assert.equal(ritaBeaconScore(input([0, 0, 0, 5, 5, 5, 9, 9, 9], 0, 100)), null);
  // Five different float times, but only 3 distinct whole seconds (0, 1, 2).
  assert.equal(ritaBeaconScore(input([0.1, 0.9, 1.5, 2.2, 2.7], 0, 100)), null);
  // Floor, not round: 0.2 1.7 2.1 3.9 -> 0 1 2 3 (4 distinct; rounding would give 0 2 2 4).
  // Intervals 1 1 1 -> median 1 >= 1, MAD 0 -> timestamp 1.
  const s = score(input([0.2, 1.7, 2.1, 3.9], 0, 100));
  assert.equal(s.distinctTimestamps, 4);
  assert.equal(s.medianInterval, 1);
  assert.equal(s.timestamp, 1);
  // An empty window (after truncation to seconds) cannot be binned: RITA refuses it.
  assert.equal(ritaBeaconScore(input([0, 10, 20, 30], 30.2, 30.9)), null);
  assert.equal(ritaBeaconScore(input([], 0, 100)), null);
  assert.throws(() => ritaBeaconScore({ ...input([0, 10, 20, 30], 0, 30), bytes: [1] }), RangeError);
});

test('gate: 86 400 connections is a strobe (null); 86 399 is scored', () => {
  const many = (n: number) => input(Array.from({ length: n }, (_, i) => i), 0, 86_400);
  assert.equal(ritaBeaconScore(many(86_400)), null);
  const s = score(many(86_399));
  assert.equal(s.connections, 86_399);
  // One connection per second: every interval 1 -> timestamp 1.
  assert.equal(s.timestamp, 1);
});

test('one huge gap: RITA timing ignores it, histogram and duration do not', () => {
  // Offsets 0 60 120 180 240 then 86000, window 24 h (3600 s bins).
  // timestamp: intervals 60 60 60 60 85760: Q1 60 = Q2 60 -> skew not trusted (0) -> 1;
  //   |x - 60| = 0 0 0 0 85700 -> MAD 0 -> 1; score 1.
  // data size: constant -> 1.
  // histogram: 5 connections in bin 0, 1 in bin 23 (86000/3600 = 23.9): mean 0.25,
  //   sum of squares 4.75^2 + 0.75^2 + 22 * 0.25^2 = 24.5, sd sqrt(24.5/24) = 1.0104,
  //   CV 4.04 > 1 -> 0. 2 bins -> no bimodal.
  // duration: 2 bins < 6 -> 0; coverage ceil(86000/86400 * 1000)/1000 = ceil(995.37) -> 0.996;
  //   bins 23 and 0 touch across the wrap -> run 2.
  // beacon 0.25 * (1 + 1 + 0 + 0) = 0.5 -> exactly the lowest bucket: final 0.2.
  const s = score(input([0, 60, 120, 180, 240, 86_000], 0, 86_400));
  assert.deepEqual(s, {
    timestamp: 1,
    dataSize: 1,
    histogram: 0,
    duration: 0,
    beacon: 0.5,
    final: 0.2,
    medianInterval: 60,
    intervalMad: 0,
    intervalSkew: 0,
    medianBytes: 100,
    bytesMad: 0,
    bytesSkew: 0,
    histogramCv: Math.sqrt(24.5 / 24) / 0.25,
    bimodalFit: 0,
    nonEmptyBins: 2,
    coverage: 0.996,
    longestRun: 2,
    distinctTimestamps: 6,
    connections: 6,
    prevalenceModifier: 0,
  });
});

test('unsorted input gives the same result as sorted, and the caller arrays are untouched', () => {
  const offsets = [0, 600, 1300, 2400, 2400, 50, 700];
  const bytes = [100, 200, 300, 400, 500, 600, 700];
  const sorted = score({ ...input(offsets, 0, 2400), bytes });
  // Same connections (each keeps its byte count), shuffled.
  const order = [4, 1, 6, 0, 3, 5, 2];
  const ts = order.map((i) => B + offsets[i]);
  const by = order.map((i) => bytes[i]);
  const tsCopy = ts.slice();
  const byCopy = by.slice();
  const shuffled = score({ timestamps: ts, bytes: by, windowStart: B, windowEnd: B + 2400 });
  assert.deepEqual(shuffled, sorted);
  assert.deepEqual(ts, tsCopy);
  assert.deepEqual(by, byCopy);
  // The duplicate second (2400 twice) counts as a connection but not as a distinct timestamp,
  // and its zero gap is dropped: gaps 50 550 100 600 1100 -> median 550.
  assert.equal(sorted.connections, 7);
  assert.equal(sorted.distinctTimestamps, 6);
  assert.equal(sorted.medianInterval, 550);
});

test('NaN and negative byte counts are treated as 0', () => {
  // Bytes 0 0 0 0 -> median 0 < 1 -> MAD half 0 for bytes -> (1 + 0)/2 = 0.5.
  const s = score({ ...input([0, 10, 20, 30], 0, 30), bytes: [NaN, -5, 0, -Infinity] });
  assert.equal(s.dataSize, 0.5);
  assert.equal(s.medianBytes, 0);
});

test('histogram: a timestamp equal to windowEnd goes into the last bin, one on an inner edge into the upper bin', () => {
  // Window 2400 s, 100 s bins. 100, 300 and 400 sit on inner edges -> bins 1, 3, 4 (the upper
  // bin; 300 also checks that the sweep skips the empty bin 2 without stopping at its edge);
  // 2400.5 truncates to 2400 = the window end (2400.7 truncated) -> bin 23, not dropped.
  const counts = Array(24).fill(0);
  counts[1] = 1;
  counts[3] = 1;
  counts[4] = 1;
  counts[23] = 2;
  assert.deepEqual(ritaHistogram(B, B + 2400, [B + 100, B + 300, B + 400, B + 2400, B + 2400]).counts, counts);
  // Out-of-order input is sorted first; a timestamp before the window lands in bin 0.
  assert.deepEqual(ritaHistogram(B, B + 2400, [B + 2400, B - 5, B + 99]).counts, [2, ...Array(22).fill(0), 1]);

  // Through ritaBeaconScore: bins {1, 3, 4, 23} -> 4 non-empty, longest run 2 (3-4; bin 0 is
  // empty so 23 does not wrap onto anything).
  const s = score(input([100, 300, 400, 2400.5], 0, 2400.7));
  assert.equal(s.nonEmptyBins, 4);
  assert.equal(s.longestRun, 2);
  // 4 bins of 1 -> CV sqrt(5) > 1 -> 0. Intervals 200 100 2000: Q1 100, Q2 200, Q3 2000 ->
  // skew (100 + 2000 - 400)/1900 = 0.89474 -> 0.10526; |x - 200| = 0 100 1800 -> MAD 100 ->
  // 100/200 = 0.5; (0.10526 + 0.5)/2 = 0.30263 -> 0.303.
  assert.equal(s.histogram, 0);
  assert.equal(s.timestamp, 0.303);
  // Coverage (2400 - 100)/2400 = 0.95833 -> ceil to 0.959.
  assert.equal(s.coverage, 0.959);
});

test('histogram: bimodal fit with two steady rates over >= 11 bins', () => {
  // 24 bins alternating 4 and 1 connections (RITA's bimodal test, over 24 bins): mean 2.5,
  // every |count - mean| = 1.5 -> CV 0.6 -> cvScore 0.4. Bimodal: largest 4 -> binSize
  // ceil(0.2) = 1; levels 4 (12 bars) and 1 (12 bars) -> (12 + 12)/(24 - 1) = 1.043 -> capped 1.
  const counts = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? 4 : 1));
  const s = score(input(binned(counts), 0, 2400));
  assert.equal(s.histogramCv, 0.6);
  assert.equal(s.bimodalFit, 1);
  assert.equal(s.histogram, 1);
  assert.equal(s.nonEmptyBins, 24);
});

test('histogram: bimodal fit below 1 beats the CV score; levels are 5% of the tallest bar wide', () => {
  // Bars 20 20 20 21 21 21 2 2 3 3 9 13 in bins 0-11, bins 12-23 empty (155 connections).
  // Largest 21 -> binSize ceil(21 * 0.05) = ceil(1.05) = 2, so 20 and 21 share level 20
  // (6 bars), 2 and 3 share level 2 (4 bars), 9 -> level 8 and 13 -> level 12 (1 bar each).
  // Fit (6 + 4)/(12 - 1) = 0.90909 -> 0.909. CV = 1.34 > 1 -> cvScore 0. Histogram = 0.909.
  const s = score(input(binned([20, 20, 20, 21, 21, 21, 2, 2, 3, 3, 9, 13]), 0, 2400));
  assert.equal(s.nonEmptyBins, 12);
  assert.equal(s.bimodalFit, 0.909);
  assert.equal(s.histogram, 0.909);
  assert.ok(s.histogramCv > 1);
});

test('histogram: no bimodal fit with 10 non-empty bins, a fit with 11', () => {
  // 10 bins of 2 connections, 14 empty: two-level-perfect, but 10 < 11 bars -> bimodal 0.
  // CV: mean 20/24 = 0.8333, sum of squares 10 * 1.1667^2 + 14 * 0.8333^2 = 23.33 ->
  // sd 0.986 -> CV 1.183 > 1 -> 0. Histogram 0.
  const s = score(input(binned(Array(10).fill(2)), 0, 2400));
  assert.equal(s.nonEmptyBins, 10);
  assert.equal(s.bimodalFit, 0);
  assert.equal(s.histogram, 0);
  // One more bar makes 11, the minimum: levels 2 (11 bars) -> 11/(11 - 1) = 1.1 -> capped 1.
  const eleven = score(input(binned(Array(11).fill(2)), 0, 2400));
  assert.equal(eleven.nonEmptyBins, 11);
  assert.equal(eleven.bimodalFit, 1);
  assert.equal(eleven.histogram, 1);
});

test('duration: the longest run wraps around the window end', () => {
  // One connection in the middle of bins 18-23 and 0-5 (12 bins). Without wrapping the runs are
  // 6 and 6 (consistency 0.5); wrapped they join into 12 -> 12/12 = 1.
  // Coverage: first 50, last 2350 -> 2300/2400 = 0.95833 -> 0.959. Duration max(0.959, 1) = 1.
  const bins = [0, 1, 2, 3, 4, 5, 18, 19, 20, 21, 22, 23];
  const s = score(input(bins.map((b) => b * 100 + 50), 0, 2400));
  assert.equal(s.nonEmptyBins, 12);
  assert.equal(s.longestRun, 12);
  assert.equal(s.coverage, 0.959);
  assert.equal(s.duration, 1);
});

test('duration: coverage and consistency are rounded up to 3 decimals', () => {
  // Bins 5-11 (7 bins >= 6), one connection at x50: coverage (1150 - 550)/2400 = 0.25;
  // consistency 7/12 = 0.58333 -> ceil -> 0.584. Duration 0.584.
  const s = score(input([5, 6, 7, 8, 9, 10, 11].map((b) => b * 100 + 50), 0, 2400));
  assert.equal(s.coverage, 0.25);
  assert.equal(s.longestRun, 7);
  assert.equal(s.duration, 0.584);
  // 6 bins, the minimum: coverage (1050 - 550)/2400 = 0.20833 -> 0.209; run 6/12 = 0.5.
  const six = score(input([5, 6, 7, 8, 9, 10].map((b) => b * 100 + 50), 0, 2400));
  assert.equal(six.coverage, 0.209);
  assert.equal(six.duration, 0.5);
  // With 5 bins (< 6) there is no duration credit even though the run exists.
  const few = score(input([5, 6, 7, 8, 9].map((b) => b * 100 + 50), 0, 2400));
  assert.equal(few.longestRun, 5);
  assert.equal(few.duration, 0);
});

// ---- final ranking ------------------------------------------------------------------------------

test('final ranking: each bucket of the beacon score', () => {
  // Below 50: 0. 50-70 -> 0.2-0.4, 70-90 -> 0.4-0.6, 90-100 -> 0.6-0.8, linear inside each.
  const cases: [number, number][] = [
    [0, 0],
    [0.499, 0],
    [0.5, 0.2], // lower edge of the first bucket jumps from 0 to 0.2
    [0.6, 0.3], // 20 + 10/20 * 20 = 30
    [0.69, 0.39],
    [0.7, 0.4], // 0.7 in float32 * 100 is exactly 70: the second bucket
    [0.8, 0.5],
    [0.899, 0.599],
    [0.9, 0.6],
    [0.95, 0.7], // 60 + 5/10 * 20 = 70
    [1, 0.8],
  ];
  for (const [beacon, expected] of cases) assert.equal(ritaThreatScore(beacon), expected, `beacon ${beacon}`);
});

test('final ranking: prevalence modifier +0.15 at <= 2 %, -0.15 at >= 50 %, clamped to 0..1', () => {
  assert.equal(ritaFinalScore(0.8), 0.5);
  assert.equal(ritaFinalScore(0.8, NaN), 0.5);
  assert.equal(ritaFinalScore(0.8, 0.02), 0.65); // boundary is inclusive
  assert.equal(ritaFinalScore(0.8, 0.021), 0.5);
  assert.equal(ritaFinalScore(0.8, 0.49), 0.5);
  assert.equal(ritaFinalScore(0.8, 0.5), 0.35); // boundary is inclusive
  assert.equal(ritaFinalScore(1, 0), 0.95);
  // RITA adds modifiers to a zero bucket too (final_score = base + modifiers).
  assert.equal(ritaFinalScore(0.3, 0.01), 0.15);
  assert.equal(ritaFinalScore(0.3, 0.9), 0); // -0.15 clamped

  // End to end on the hourly golden case (beacon 1, bucket 0.8).
  const hourly = (p?: number) => score(input(Array.from({ length: 24 }, (_, k) => k * 3600), 0, 86_400, 500, p));
  const rare = hourly(0.01);
  assert.equal(rare.final, 0.95);
  assert.equal(rare.prevalenceModifier, 0.15);
  assert.equal(rare.prevalence, 0.01);
  const common = hourly(0.75);
  assert.equal(common.final, 0.65);
  assert.equal(common.prevalenceModifier, -0.15);
  assert.equal(hourly(0.3).final, 0.8);
});

// ---- explanations -------------------------------------------------------------------------------

test('formatting: seconds and bytes with sensible units', () => {
  assert.equal(formatSeconds(11.5), '11.5 s');
  assert.equal(formatSeconds(0), '0.0 s');
  assert.equal(formatSeconds(246), '4.1 min');
  assert.equal(formatSeconds(59.96), '1.0 min'); // not "60.0 s"
  assert.equal(formatSeconds(7200), '2.0 h');
  assert.equal(formatSeconds(172_800), '2.0 d');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1234), '1.2 kB');
  assert.equal(formatBytes(999.6), '1.0 kB');
  assert.equal(formatBytes(3_400_000), '3.4 MB');
});

test('reasons: one per sub-score plus prevalence, sorted by |contribution| then feature name', () => {
  const s = score(input(Array.from({ length: 24 }, (_, k) => k * 3600), 0, 86_400, 500, 0.01));
  // All four sub-scores are 1 -> 0.25 each, tied, so alphabetical; prevalence 0.15 last.
  assert.deepEqual(ritaReasons(s), [
    { feature: 'data-size', contribution: 0.25, text: 'size: very uniform, bytes sent median 500 B, MAD 0 B (score 1)' },
    {
      feature: 'duration',
      contribution: 0.25,
      text: 'duration: seen across 95.9% of the window, longest unbroken run 24 of 24 slices (score 1)',
    },
    {
      feature: 'histogram',
      contribution: 0.25,
      text: 'spread: active in 24 of 24 slices of the window, steady (count CV 0.00) (score 1)',
    },
    {
      feature: 'timestamp',
      contribution: 0.25,
      text: 'timing: very regular, intervals median 1.0 h, MAD 0.0 s (score 1)',
    },
    {
      feature: 'prevalence',
      contribution: 0.15,
      text: 'prevalence: only 1% of internal hosts talk to this destination; rare destinations rank higher (+0.15)',
    },
  ]);
});

test('reasons: weak 4-connection case, negative prevalence, bimodal wording', () => {
  const s = score({ ...input([0, 600, 1300, 2400], 0, 2400, 100, 0.75), bytes: [100, 200, 300, 400] });
  // data-size 0.25 * 0.8 = 0.2, prevalence -0.15, timestamp 0.25 * 0.629 = 0.15725, then the two
  // zeros in name order. |−0.15| < 0.15725, so timing ranks above prevalence.
  assert.deepEqual(ritaReasons(s), [
    {
      feature: 'data-size',
      contribution: 0.25 * 0.8,
      text: 'size: fairly uniform, bytes sent median 250 B, MAD 100 B (score 0.8)',
    },
    {
      feature: 'timestamp',
      contribution: 0.25 * 0.629,
      // 700 s = 11.7 min, MAD 100 s = 1.7 min, skew 0.6.
      text: 'timing: loosely regular, intervals median 11.7 min, MAD 1.7 min, skew 0.60 (score 0.629)',
    },
    {
      feature: 'prevalence',
      contribution: -0.15,
      text: 'prevalence: 75% of internal hosts talk to this destination; common destinations rank lower (-0.15)',
    },
    {
      feature: 'duration',
      contribution: 0,
      text: 'duration: active in only 4 of 24 slices of the window, fewer than the 6 RITA needs (score 0)',
    },
    {
      feature: 'histogram',
      contribution: 0,
      text: 'spread: active in 4 of 24 slices of the window, bursty (count CV 2.24) (score 0)',
    },
  ]);

  const bimodal = score(input(binned([20, 20, 20, 21, 21, 21, 2, 2, 3, 3, 9, 13]), 0, 2400));
  const hist = ritaReasons(bimodal).find((r) => r.feature === 'histogram');
  assert.equal(
    hist?.text,
    'spread: active in 12 of 24 slices of the window at two steady rates (90.9% of active slices fit) (score 0.909)',
  );
  assert.equal(hist?.contribution, 0.25 * 0.909);
});
