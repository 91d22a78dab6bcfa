// The renewal test (detection.md, item 3): does one period P explain the gaps between check-ins,
// allowing for C2 jitter and missed beats, better than chance would?
//
// A beacon sleeps P (shortened by up to J % for Cobalt Strike, ±J % for others), so its gaps lie
// near P, or near k·P when k − 1 beats were missed. Browsing and polling make many gaps far below
// any period. For each candidate P and tolerance (τ, K) a gap d is an inlier when, with
// k = max(1, round(d/P)), k ≤ K and |d/k − P| ≤ τP. Evidence is
//  - regularity: a Wilson lower bound on the inlier fraction (so 4 regular gaps weigh less than
//    400) times (1 − q)², q being the share of gaps that came early (d < (1 − τ)P): early gaps
//    are what human traffic has and a sleeping implant does not;
//  - significance: the binomial tail probability that at least that many of n gaps fall in the
//    tolerance windows if the key were a Poisson process of the same mean rate.
// The (P, τ, K) with the smallest p-value wins, with a mild penalty for a looser τ. The p-value
// of a fit is computed with the multiples it actually used (K' = the largest k among its
// inliers, not the grid's K): windows at 2P…6P that no gap needed must not make a tight fit look
// like chance, or a fit leaving 13 % of a 3.5 s beacon's gaps early would beat the looser τ that
// explains them all. Every (τ, K' ≤ K) is counted in the Bonferroni factor. Regularity and
// significance then combine into one strength for fusion.
//
// Host-awake mask (item 6): a gap that spans a long stretch of hours in which the source host
// sent nothing was cut by the host sleeping, not by the beacon missing beats; it is left out.

import { medianOfSorted, sortedCopy } from './quantiles.js';
import { clamp, formatLogP, formatPercent, formatPeriod, logBinomialTail, quickMedian, quickMedianInPlace, wilsonLower } from './stats.js';

export interface Tolerance {
  /** Relative half-width of the window around each multiple of P. */
  tau: number;
  /** Largest multiple k of P (k − 1 missed beats) still counted as a fit. */
  maxMultiple: number;
}

/** From tight and multi-beat (zero-jitter implants missing beats) to loose single-beat (50 % jitter). */
export const TOLERANCE_GRID: readonly Tolerance[] = [
  { tau: 0.05, maxMultiple: 6 },
  { tau: 0.1, maxMultiple: 6 },
  { tau: 0.2, maxMultiple: 4 },
  { tau: 0.3, maxMultiple: 3 },
  { tau: 0.5, maxMultiple: 1 },
];

/** Fewer gaps than this (4 check-ins, RITA's minimum too) say nothing about a period. */
export const MIN_GAPS = 3;
/** A fit is periodic when its multiple-test adjusted p-value is at most this... */
export const PERIODIC_MAX_P = 0.05;
/**
 * ...and f·(1 − q)² (the point estimate; sample size is the p-value's job here) at least this.
 * A beacon with 50 % jitter and 30 % missed beats reaches ~0.70, Poisson traffic ≤ ~0.45 and
 * heavy-tailed browsing ~0.55: its fits explain the long think times as "missed beats" but still
 * leave over 40 % of the gaps out.
 */
export const PERIODIC_MIN_FIT = 0.6;
/** Silence of at least max(this, 2P) in hours the host was asleep removes a gap (seconds). */
export const MIN_SLEEP = 7200;
/** Strength: regularity counts from 0.3 (Poisson-like) and is full at 0.9... */
export const REGULARITY_FLOOR = 0.3;
export const REGULARITY_FULL = 0.9;
/** ...times significance, full at an adjusted p of 1e-4. */
export const LOG10_P_FULL = 4;

/**
 * Timing strength 0..1: clamp((regularity − 0.3)/0.6) · clamp(−log10(p_adj)/4). Regularity says
 * how beacon-like the gaps are; the p-value says whether there are enough of them to believe it
 * (3 perfect gaps: p_adj ≈ 0.008, strength ≈ 0.20; 400: strength 1).
 */
export function timingStrength(regularity: number, logPAdjusted: number): number {
  const g = clamp((regularity - REGULARITY_FLOOR) / (REGULARITY_FULL - REGULARITY_FLOOR), 0, 1);
  const h = clamp(-logPAdjusted / Math.LN10 / LOG10_P_FULL, 0, 1);
  return g * h;
}

export interface PeriodOptions {
  /**
   * Hour indices floor(t / 3600) in which the source host sent any traffic. Without it every
   * gap counts.
   */
  awakeHours?: ReadonlySet<number> | readonly number[];
}

export interface PeriodResult {
  /** Refined period P, seconds: the median of d/k over the inliers. */
  period: number;
  tau: number;
  /** Largest multiple of P among the inliers (K' ≤ the grid's K). */
  maxMultiple: number;
  /** Gaps the test counted (after the awake mask). */
  gaps: number;
  /** Gaps left out because the host slept through them. */
  maskedGaps: number;
  inliers: number;
  /** inliers / gaps */
  inlierFraction: number;
  /** Wilson 95 % lower bound of the inlier fraction. */
  inlierLower: number;
  /** Share of counted gaps shorter than (1 − τ)P. */
  earlyFraction: number;
  /** inlierLower · (1 − earlyFraction)², 0..1. */
  regularity: number;
  /** Σ (k − 1) over inliers. */
  missedBeats: number;
  /** Counted gaps / (counted time / P): share of the expected beats that came, 0..1. */
  coverage: number;
  /** IQR(d/k) / P over the inliers; for uniform ±J jitter this is J. */
  jitter: number;
  /** Cobalt Strike style jitter: gaps uniform in [S(1 − J), S]; J and the configured sleep S. */
  jitterOneSided: number;
  sleep: number;
  /** Symmetric jitter: gaps uniform in [P(1 − J), P(1 + J)]. */
  jitterSymmetric: number;
  /** Chance that a Poisson gap of the same mean lands in a tolerance window. */
  nullInlierProbability: number;
  /** ln of the binomial tail p-value of this fit, and after multiplying by `tests`. */
  logP: number;
  logPAdjusted: number;
  pAdjusted: number;
  /** Hypotheses tried (candidates × every (τ, K' ≤ K)), the Bonferroni factor. */
  tests: number;
  candidates: number[];
  /** timingStrength(regularity, logPAdjusted), 0..1: what fusion scales the timing weight by. */
  strength: number;
  /** pAdjusted ≤ 0.05, inlierFraction · (1 − earlyFraction)² ≥ 0.6 and strength > 0. */
  periodic: boolean;
}

/**
 * Probability that an exponential gap of mean `meanGap` is an inlier of (P, τ, K): the sum over
 * k ≤ K of the window |d − kP| ≤ kτP, clipped to the region where round(d/P) = k.
 */
export function poissonInlierProbability(P: number, tau: number, maxMultiple: number, meanGap: number): number {
  let p = 0;
  for (let k = 1; k <= maxMultiple; k++) {
    const lo = k === 1 ? P * (1 - tau) : Math.max(k * P * (1 - tau), (k - 0.5) * P);
    const hi = Math.min(k * P * (1 + tau), (k + 0.5) * P);
    if (hi > lo) p += Math.exp(-lo / meanGap) - Math.exp(-hi / meanGap);
  }
  return p;
}

/** Gap sizes are compared on a log scale: 40 bins per decade (≈ 6 % wide). */
const BINS_PER_DECADE = 40;
/** The mode is taken after a ±4-bin (≈ ±25 %) moving sum, so jittered beacons have one peak. */
const MODE_SMOOTHING = 4;

/** Mode of a log-spaced histogram of the gaps (geometric centre of the busiest smoothed bin). */
export function logHistogramMode(gaps: ArrayLike<number>): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < gaps.length; i++) {
    if (gaps[i] < lo) lo = gaps[i];
    if (gaps[i] > hi) hi = gaps[i];
  }
  if (!(lo > 0) || !Number.isFinite(hi)) return NaN;
  if (hi === lo) return lo;
  const width = 1 / BINS_PER_DECADE;
  const bins = Math.min(1000, Math.floor(Math.log10(hi / lo) / width) + 1);
  const counts = new Float64Array(bins);
  for (let i = 0; i < gaps.length; i++) {
    counts[Math.min(bins - 1, Math.floor(Math.log10(gaps[i] / lo) / width))]++;
  }
  let best = 0;
  let bestSum = -1;
  for (let b = 0; b < bins; b++) {
    let s = 0;
    for (let j = Math.max(0, b - MODE_SMOOTHING); j <= Math.min(bins - 1, b + MODE_SMOOTHING); j++) s += counts[j];
    // Ties go to the centre bin with more of its own gaps, then to the shorter gap (the fundamental).
    if (s > bestSum || (s === bestSum && counts[b] > counts[best])) {
      bestSum = s;
      best = b;
    }
  }
  return lo * 10 ** ((best + 0.5) * width);
}

interface Fit {
  period: number;
  tau: number;
  maxMultiple: number;
  gaps: number;
  inliers: number;
  early: number;
  missed: number;
  countedTime: number;
  p0: number;
  logP: number;
  regularity: number;
  strength: number;
  criterion: number;
}

/**
 * For each gap, the longest run of consecutive whole hours strictly inside it in which the host
 * was not awake (seconds). All zeros without a mask.
 */
function asleepRuns(sorted: Float64Array, awake: ReadonlySet<number> | null): Float64Array {
  const runs = new Float64Array(Math.max(0, sorted.length - 1));
  if (awake === null) return runs;
  for (let i = 0; i < runs.length; i++) {
    const h0 = Math.floor(sorted[i] / 3600);
    const h1 = Math.floor(sorted[i + 1] / 3600);
    let run = 0;
    let longest = 0;
    for (let h = h0 + 1; h < h1; h++) {
      if (awake.has(h)) run = 0;
      else if (++run > longest) longest = run;
    }
    runs[i] = longest * 3600;
  }
  return runs;
}

/**
 * The gaps of one series with what makes a tally cheap: the gaps the awake mask keeps when the
 * sleep threshold is MIN_SLEEP (every P ≤ MIN_SLEEP / 2, i.e. nearly every fit), sorted, with
 * their count and sum. A tally then finds each window's inliers by binary search instead of
 * reading every gap: O(K log n + inliers) instead of O(n), times ~15 fits × a few refinement
 * rounds × up to three analyses per key, which was most of a large scan's time.
 */
interface Gaps {
  gaps: Float64Array;
  runs: Float64Array;
  /** Gaps with runs < MIN_SLEEP, ascending. */
  kept: Float64Array;
  /** Their sum, added in gap order (as the linear tally adds it, so the totals are identical). */
  keptTime: number;
}

function indexGaps(gaps: Float64Array, runs: Float64Array): Gaps {
  const kept = new Float64Array(gaps.length);
  let n = 0;
  let keptTime = 0;
  for (let i = 0; i < gaps.length; i++) {
    if (runs[i] >= MIN_SLEEP) continue;
    kept[n++] = gaps[i];
    keptTime += gaps[i];
  }
  return { gaps, runs, kept: kept.subarray(0, n).sort(), keptTime };
}

/** First index i of ascending `a` with a[i] >= x (a.length when none). */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Smallest multiple k any inlier gap of a fit uses (Infinity without inliers). */
function smallestInlierMultiple(g: Gaps, fit: Fit): number {
  return tally(g, fit.period, fit.tau, fit.maxMultiple, null).kmin;
}

/** Counts of one candidate (P, τ, K) over the gaps awake hours leave; inlier ratios d/k go to buf. */
interface Tally {
  n: number;
  inliers: number;
  early: number;
  missed: number;
  countedTime: number;
  used: number;
  /** Smallest multiple any inlier used (Infinity without inliers). */
  kmin: number;
}

function tally(g: Gaps, P: number, tau: number, K: number, buf: Float64Array | null): Tally {
  return Math.max(MIN_SLEEP, 2 * P) === MIN_SLEEP ? tallySorted(g, P, tau, K, buf) : tallyLinear(g.gaps, g.runs, P, tau, K, buf);
}

/**
 * The same counts as tallyLinear when the sleep threshold is MIN_SLEEP, from the sorted kept
 * gaps. Each window is searched with a slightly widened range and every gap in it is tested
 * with tallyLinear's own predicate (and must round to this window's k), so floating-point edges
 * decide exactly as there. Inlier ratios reach buf in another order; only their median is used.
 */
function tallySorted(g: Gaps, P: number, tau: number, K: number, buf: Float64Array | null): Tally {
  const a = g.kept;
  const lower = (1 - tau) * P;
  const t: Tally = { n: a.length, inliers: 0, early: lowerBound(a, lower), missed: 0, countedTime: g.keptTime, used: 1, kmin: Infinity };
  const slack = 1e-9;
  for (let k = 1; k <= K; k++) {
    const lo = k === 1 ? lower : Math.max(k * P * (1 - tau), (k - 0.5) * P);
    const hi = Math.min(k * P * (1 + tau), (k + 0.5) * P);
    for (let i = lowerBound(a, lo * (1 - slack)); i < a.length; i++) {
      const d = a[i];
      if (d > hi * (1 + slack)) break;
      const kk = Math.max(1, Math.round(d / P));
      if (kk !== k || Math.abs(d / kk - P) > tau * P) continue;
      addInlier(t, buf, d, kk);
    }
  }
  return t;
}

function tallyLinear(gaps: Float64Array, runs: Float64Array, P: number, tau: number, K: number, buf: Float64Array | null): Tally {
  const t: Tally = { n: 0, inliers: 0, early: 0, missed: 0, countedTime: 0, used: 1, kmin: Infinity };
  const sleep = Math.max(MIN_SLEEP, 2 * P);
  const lower = (1 - tau) * P;
  for (let i = 0; i < gaps.length; i++) {
    if (runs[i] >= sleep) continue;
    const d = gaps[i];
    t.n++;
    t.countedTime += d;
    if (d < lower) t.early++;
    const k = Math.max(1, Math.round(d / P));
    if (k <= K && Math.abs(d / k - P) <= tau * P) addInlier(t, buf, d, k);
  }
  return t;
}

/** Counts gap d as an inlier at multiple k (its ratio d/k to buf, when given). */
function addInlier(t: Tally, buf: Float64Array | null, d: number, k: number): void {
  if (buf) buf[t.inliers] = d / k;
  t.inliers++;
  t.missed += k - 1;
  if (k > t.used) t.used = k;
  if (k < t.kmin) t.kmin = k;
}

function evaluate(
  g: Gaps,
  start: number,
  tol: Tolerance,
  tests: number,
  buf: Float64Array,
): Fit | null {
  const { tau, maxMultiple: K } = tol;
  let P = start;
  // Refine P as the median of d/k over the inliers; a few rounds settle it (the inlier set stops
  // changing), and the cap keeps a pathological oscillation from costing more. A round that
  // converges has already counted every gap against the final P, so no closing pass is needed.
  let t: Tally | null = null;
  for (let round = 0; round < 5; round++) {
    t = tally(g, P, tau, K, buf);
    if (t.inliers === 0) return null;
    // buf is scratch: rebuilt every round, so the median may reorder it.
    const next = quickMedianInPlace(buf, t.inliers);
    if (Math.abs(next - P) <= 1e-12 * P) break;
    P = next;
    t = null;
  }
  t ??= tally(g, P, tau, K, null);
  const { n, inliers, early, missed, countedTime, used } = t;
  if (n === 0 || inliers === 0) return null;
  // The null model: a Poisson process with the same mean rate as the counted gaps, landing in
  // the windows of the multiples this fit used.
  const p0 = poissonInlierProbability(P, tau, used, countedTime / n);
  const logP = logBinomialTail(inliers, n, p0);
  // A looser window must buy its fit: ln(τ/0.05) is at most ln 10 ≈ 2.3 nats, which only decides
  // near-ties (a perfect 4-event beacon fits every τ about equally well).
  const criterion = logP + Math.log(tau / TOLERANCE_GRID[0].tau);
  const regularity = wilsonLower(inliers, n) * (1 - early / n) ** 2;
  const strength = timingStrength(regularity, Math.min(0, logP + Math.log(tests)));
  return {
    period: P,
    tau,
    maxMultiple: used,
    gaps: n,
    inliers,
    early,
    missed,
    countedTime,
    p0,
    logP,
    regularity,
    strength,
    criterion,
  };
}

/**
 * Runs the renewal test on check-in start times (any order; duplicates and non-finite values are
 * dropped, since a zero gap is one check-in). Null when fewer than 3 positive gaps remain, or
 * when the awake mask leaves none. Cost: O(n log n) to sort, then O(n) per fit (≤ 3 candidates ×
 * 5 tolerances, ≤ 5 refinement rounds each, medians by quickselect).
 */
export function analyzePeriod(times: readonly number[], options: PeriodOptions = {}): PeriodResult | null {
  const all = new Float64Array(times.length);
  let finite = 0;
  for (let i = 0; i < times.length; i++) if (Number.isFinite(times[i])) all[finite++] = times[i];
  const ordered = all.subarray(0, finite).sort();
  // Distinct values, compacted in place (the array is sorted, so a value repeats its predecessor).
  let count = 0;
  for (let i = 0; i < ordered.length; i++) if (i === 0 || ordered[i] > ordered[count - 1]) ordered[count++] = ordered[i];
  const sorted = ordered.subarray(0, count);
  if (sorted.length - 1 < MIN_GAPS) return null;
  const gaps = new Float64Array(sorted.length - 1);
  for (let i = 0; i < gaps.length; i++) gaps[i] = sorted[i + 1] - sorted[i];

  const awake =
    options.awakeHours === undefined
      ? null
      : options.awakeHours instanceof Set
        ? (options.awakeHours as ReadonlySet<number>)
        : new Set(options.awakeHours as readonly number[]);
  const runs = asleepRuns(sorted, awake);
  const indexed = indexGaps(gaps, runs);

  // Candidates: the median gap (right unless most beats are missed), the mode of the log
  // histogram (right when more than half the gaps are multiples), and half the median (when the
  // median landed on 2P). Near-duplicates are tested once, so the Bonferroni factor stays honest.
  const med = quickMedian(gaps);
  const raw = [med, logHistogramMode(gaps), med / 2];
  const candidates: number[] = [];
  for (const c of raw) {
    if (Number.isFinite(c) && c > 0 && !candidates.some((x) => Math.abs(x - c) <= 0.01 * x)) candidates.push(c);
  }
  // Each (τ, K' ≤ K) is a hypothesis the data may pick, so all of them count.
  const tests = candidates.length * TOLERANCE_GRID.reduce((a, t) => a + t.maxMultiple, 0);

  const buf = new Float64Array(gaps.length);
  // The most significant fit wins, but among fits that show a rhythm at all: a narrow window
  // around the bulk of one-sided jitter (12 of 18 gaps, the rest "early") can be more
  // significant than the window holding all 18, yet only the latter describes the beacon.
  const passes = (f: Fit) =>
    f.logP + Math.log(tests) <= Math.log(PERIODIC_MAX_P) &&
    (f.inliers / f.gaps) * (1 - f.early / f.gaps) ** 2 >= PERIODIC_MIN_FIT &&
    f.strength > 0;
  let best: Fit | null = null;
  let bestPassing: Fit | null = null;
  for (const c of candidates) {
    for (const tol of TOLERANCE_GRID) {
      const f = evaluate(indexed, c, tol, tests, buf);
      if (f === null) continue;
      if (best === null || f.criterion < best.criterion) best = f;
      if (passes(f) && (bestPassing === null || f.criterion < bestPassing.criterion)) bestPassing = f;
    }
  }
  if (bestPassing !== null) best = bestPassing;
  if (best === null) return null; // every gap masked: the host slept through all of them

  // A sub-harmonic (P/2 fitting every gap as 2·P/2) explains the data no better than P itself;
  // when no inlier used k = 1, try the period the inliers actually show and keep it on a tie.
  const kmin = smallestInlierMultiple(indexed, best);
  if (kmin >= 2 && Number.isFinite(kmin)) {
    // Same window, same multiples divided by kmin: the same inliers, read at their real period.
    const tol = { tau: best.tau, maxMultiple: Math.max(1, Math.floor(best.maxMultiple / kmin)) };
    const f = evaluate(indexed, best.period * kmin, tol, tests, buf);
    if (f !== null && f.inliers >= best.inliers && f.criterion <= best.criterion + Math.LN2) best = f;
  }

  const P = best.period;
  const sleep = Math.max(MIN_SLEEP, 2 * P);
  const ratios: number[] = [];
  let masked = 0;
  for (let i = 0; i < gaps.length; i++) {
    if (runs[i] >= sleep) {
      masked++;
      continue;
    }
    const d = gaps[i];
    const k = Math.max(1, Math.round(d / P));
    if (k <= best.maxMultiple && Math.abs(d / k - P) <= best.tau * P) ratios.push(d / k);
  }
  const s = sortedCopy(ratios);
  // Tukey hinges (as quantiles.tukeyHinges, on the copy already sorted): halves without the
  // middle element of an odd count.
  const half = s.length >> 1;
  const q1 = s.length > 1 ? medianOfSorted(s.slice(0, half)) : s[0];
  const q3 = s.length > 1 ? medianOfSorted(s.slice(s.length - half)) : s[0];
  // Endpoints of a uniform from m samples (unbiased): min − range/(m − 1), max + range/(m − 1).
  const m = s.length;
  const range = s[m - 1] - s[0];
  const a = m > 1 ? Math.max(0, s[0] - range / (m - 1)) : s[0];
  const b = m > 1 ? s[m - 1] + range / (m - 1) : s[0];

  const inlierLower = wilsonLower(best.inliers, best.gaps);
  const earlyFraction = best.early / best.gaps;
  const regularity = best.regularity;
  const logPAdjusted = Math.min(0, best.logP + Math.log(tests));
  const pAdjusted = Math.exp(logPAdjusted);
  return {
    period: P,
    tau: best.tau,
    maxMultiple: best.maxMultiple,
    gaps: best.gaps,
    maskedGaps: masked,
    inliers: best.inliers,
    inlierFraction: best.inliers / best.gaps,
    inlierLower,
    earlyFraction,
    regularity,
    missedBeats: best.missed,
    coverage: clamp(best.gaps / (best.countedTime / P), 0, 1),
    jitter: (q3 - q1) / P,
    jitterOneSided: b > 0 ? clamp((b - a) / b, 0, 1) : 0,
    sleep: b,
    jitterSymmetric: a + b > 0 ? clamp((b - a) / (a + b), 0, 1) : 0,
    nullInlierProbability: best.p0,
    logP: best.logP,
    logPAdjusted,
    pAdjusted,
    tests,
    candidates,
    strength: best.strength,
    periodic:
      pAdjusted <= PERIODIC_MAX_P &&
      (best.inliers / best.gaps) * (1 - earlyFraction) ** 2 >= PERIODIC_MIN_FIT &&
      best.strength > 0,
  };
}

/**
 * The timing sentence, e.g. "84 of 86 intervals fit 58.7 s ± 19 % (2 missed beats, p ≈ 1e-60)",
 * or for a key without a rhythm "no steady rhythm: at best 120 of 400 intervals near 45.0 s".
 */
export function explainPeriod(r: PeriodResult): string {
  const P = formatPeriod(r.period);
  const masked =
    r.maskedGaps > 0
      ? `, ${r.maskedGaps} gap${r.maskedGaps === 1 ? '' : 's'} while the host slept not counted`
      : '';
  if (!r.periodic) {
    return (
      `no steady rhythm: at best ${r.inliers} of ${r.gaps} intervals near ${P}, ` +
      `${formatPercent(r.earlyFraction)} early (${formatLogP(r.logPAdjusted)})${masked}`
    );
  }
  const missed = r.missedBeats > 0 ? `${r.missedBeats} missed beat${r.missedBeats === 1 ? '' : 's'}, ` : '';
  const early = r.earlyFraction > 0 ? `${formatPercent(r.earlyFraction)} early, ` : '';
  return (
    `${r.inliers} of ${r.gaps} intervals fit ${P} ± ${formatPercent(r.jitter)} ` +
    `(${missed}${early}${formatLogP(r.logPAdjusted)})${masked}`
  );
}
