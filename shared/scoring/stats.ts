// Small numerical helpers for Metronome's own scorer (episodes, period, schedule, size, fusion).
// Order statistics that must match RITA live in quantiles.ts; this file holds what RITA has no
// use for: a linear-time median for the hot loop of the period search, the Wilson bound and the
// binomial tail used as evidence, and log-gamma for the tail.

import { formatSeconds } from './rita.js';

/**
 * Median by quickselect, O(n) on average, for the refinement loop of the period search that runs
 * dozens of times per key (a full sort each time would dominate the cost on long keys).
 * `values[0..count)` is read; the caller's array is copied, never reordered. NaN when empty.
 * An even count averages the two middle values, like quantiles.ts.
 */
export function quickMedian(values: ArrayLike<number>, count = values.length): number {
  if (count === 0) return NaN;
  const a = new Float64Array(count);
  for (let i = 0; i < count; i++) a[i] = values[i];
  const mid = count >> 1;
  const hi = select(a, mid);
  if (count % 2 === 1) return hi;
  // After select(mid) everything left of mid is <= a[mid]: the lower middle is their maximum.
  let lo = -Infinity;
  for (let i = 0; i < mid; i++) if (a[i] > lo) lo = a[i];
  return (lo + hi) / 2;
}

/**
 * quickMedian of `buf[0..count)` that reorders `buf` instead of copying it: for scratch buffers in
 * hot loops (the period search), where a copy per call is most of the garbage. Same result.
 */
export function quickMedianInPlace(buf: Float64Array, count: number): number {
  if (count === 0) return NaN;
  const mid = count >> 1;
  const hi = select(buf, mid, count - 1);
  if (count % 2 === 1) return hi;
  let lo = -Infinity;
  for (let i = 0; i < mid; i++) if (buf[i] > lo) lo = buf[i];
  return (lo + hi) / 2;
}

/** k-th smallest (0-based) of `a[0..last]`, partially reordering it (Hoare partition, median-of-3 pivot). */
function select(a: Float64Array, k: number, last = a.length - 1): number {
  let left = 0;
  let right = last;
  while (right > left) {
    const m = (left + right) >> 1;
    // Median-of-three pivot keeps sorted or constant input (common here: perfect beacons) linear.
    const x = a[left];
    const y = a[m];
    const z = a[right];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k];
  }
  return a[k];
}

/** z for a one-sided 95 % bound. */
export const Z95 = 1.6448536269514722;

/**
 * Wilson score lower bound of a proportion (successes of n). It is what makes the timing
 * evidence sample-size aware: 3 of 3 regular gaps give 0.53, 399 of 399 give 0.993.
 * 0 when n is 0.
 */
export function wilsonLower(successes: number, n: number, z = Z95): number {
  if (n <= 0) return 0;
  const f = successes / n;
  const z2 = z * z;
  const centre = f + z2 / (2 * n);
  const spread = z * Math.sqrt((f * (1 - f)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - spread) / (1 + z2 / n));
}

// Lanczos approximation (g = 7, 9 terms): ~15 significant digits for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xm = x - 1;
  let s = LANCZOS[0];
  const t = xm + 7.5;
  for (let i = 1; i < 9; i++) s += LANCZOS[i] / (xm + i);
  return 0.5 * Math.log(2 * Math.PI) + (xm + 0.5) * Math.log(t) - t + Math.log(s);
}

/** ln of the binomial probability mass P(X = k), X ~ Bin(n, p), 0 < p < 1. */
function logBinomPmf(k: number, n: number, p: number): number {
  return (
    logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p)
  );
}

/**
 * ln P(X ≥ m) for X ~ Bin(n, p), in log space because a regular beacon of 400 gaps has tails
 * like 1e-400 that underflow a double. Walks the pmf by its ratio recurrence from m outwards
 * and stops when terms no longer matter, so the cost is the width of the tail, not n.
 */
export function logBinomialTail(m: number, n: number, p: number): number {
  if (m <= 0) return 0;
  if (m > n) return -Infinity;
  if (p <= 0) return -Infinity;
  if (p >= 1) return 0;
  const odds = p / (1 - p);
  const mode = Math.floor((n + 1) * p);
  if (m > mode) {
    // Upper tail, terms falling from k = m on: sum relative to the first term.
    const first = logBinomPmf(m, n, p);
    let term = 1;
    let sum = 1;
    for (let k = m; k < n; k++) {
      term *= ((n - k) / (k + 1)) * odds;
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return first + Math.log(sum);
  }
  // m at or below the mode: the tail is large, so take 1 − P(X ≤ m − 1); the lower tail's
  // terms fall as k decreases from m − 1, so the same early stop applies.
  const first = logBinomPmf(m - 1, n, p);
  let term = 1;
  let sum = 1;
  for (let k = m - 1; k > 0; k--) {
    term *= (k / (n - k + 1)) / odds;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  const lower = Math.exp(first) * sum;
  return lower >= 1 ? -Infinity : Math.log1p(-lower);
}

export function clamp(x: number, lo: number, hi: number): number {
  return x <= lo ? lo : x >= hi ? hi : x; // `<=` also maps -0 to lo
}

/** A p-value given as its natural log, for sentences: "p = 0.034", "p ≈ 1e-40". */
export function formatLogP(logP: number): string {
  const log10 = logP / Math.LN10;
  if (log10 >= -3) return `p = ${Number(Math.exp(logP).toPrecision(2))}`;
  if (!Number.isFinite(log10)) return 'p ≈ 0';
  return `p ≈ 1e${Math.round(log10)}`;
}

/** A share as a whole percentage: "19 %". */
export function formatPercent(x: number): string {
  return `${Math.round(x * 100)} %`;
}

/** A period for sentences: two decimals below 10 s (2.20 s beacons matter), else rita's units. */
export function formatPeriod(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  return formatSeconds(seconds);
}
