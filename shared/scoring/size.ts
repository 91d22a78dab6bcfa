// Size and direction of the check-ins (detection.md, item 7). An implant polling for tasks sends
// the same few hundred bytes every time; a scheduled exfiltration sends much more than it gets
// back. Both are supporting evidence only: many benign pollers are just as uniform, so size can
// raise a rhythmic key but never make one.

import { medianOfSorted, sortedCopy } from './quantiles.js';
import { formatBytes } from './rita.js';
import { formatPercent } from './stats.js';

/** Normal-consistency factor: 1.4826·MAD estimates the SD of normal data. */
export const MAD_TO_SD = 1.4826;
/** Sizes within +5 % + 32 B of each other count as the same size (TLS padding, header jitter). */
export const SAME_SIZE_SHARE = 0.05;
export const SAME_SIZE_BYTES = 32;
/** Uniform size: robust CV of bytes out at most this and the modal size at least half the episodes. */
export const UNIFORM_CV = 0.1;
export const UNIFORM_MODAL_SHARE = 0.5;
/** Large outbound: this much out in total... */
export const LARGE_TOTAL_OUT = 100e6;
/** ...or out/in at least this with at least 1 MB out per episode (median). */
export const LARGE_RATIO = 10;
export const LARGE_EPISODE_OUT = 1e6;

/** What size reads of an episode. */
export interface Sized {
  bytesOut: number | null;
  bytesIn: number | null;
}

export interface SizeResult {
  episodes: number;
  /** Episodes with a known byte count in each direction. */
  knownOut: number;
  knownIn: number;
  /** Sums over the known counts; null when none is known. */
  totalOut: number | null;
  totalIn: number | null;
  medianOut: number | null;
  medianIn: number | null;
  /** 1.4826·MAD/median per episode; null with fewer than 2 known values. */
  cvOut: number | null;
  cvIn: number | null;
  /** Share of episodes at the most common out size (±5 % + 32 B), and that size. */
  modalShareOut: number;
  modalOut: number | null;
  /** totalOut / max(totalIn, 1): finite even when nothing came back; null when out is unknown. */
  ratio: number | null;
  /** cvOut ≤ 0.1 and modal share ≥ 50 %. */
  uniform: boolean;
  /** totalOut ≥ 100 MB, or ratio ≥ 10 with a median of ≥ 1 MB out per episode. */
  largeOutbound: boolean;
}

/**
 * Robust coefficient of variation 1.4826·MAD/median: the spread of typical sizes, unmoved by
 * the odd large task result. Null with fewer than 2 values. A median of 0 (at least half the
 * values are 0, so the MAD is 0 as well for non-negative sizes) gives 0: constant.
 */
export function robustCv(values: readonly number[]): number | null {
  return robustCvOfSorted(sortedCopy(values));
}

/** robustCv of values already sorted ascending (one sort saved on long keys). */
function robustCvOfSorted(sorted: readonly number[]): number | null {
  if (sorted.length < 2) return null;
  const m = medianOfSorted(sorted);
  const d = medianOfSorted(sortedCopy(sorted.map((v) => Math.abs(v - m)))); // = quantiles.mad
  if (m <= 0) return d === 0 ? 0 : null;
  return (MAD_TO_SD * d) / m;
}

/**
 * The largest share of values within one size class [x, x·1.05 + 32], with the median of that
 * class. A sliding window over the sorted values: O(n log n).
 */
export function modalSize(values: readonly number[]): { share: number; size: number | null } {
  return modalSizeOfSorted(sortedCopy(values));
}

function modalSizeOfSorted(s: readonly number[]): { share: number; size: number | null } {
  const n = s.length;
  if (n === 0) return { share: 0, size: null };
  let bestCount = 0;
  let bestFrom = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (j < i) j = i;
    const limit = s[i] * (1 + SAME_SIZE_SHARE) + SAME_SIZE_BYTES;
    while (j + 1 < n && s[j + 1] <= limit) j++;
    if (j - i + 1 > bestCount) {
      bestCount = j - i + 1;
      bestFrom = i;
    }
  }
  const cls = s.slice(bestFrom, bestFrom + bestCount);
  return { share: bestCount / n, size: cls[(cls.length - 1) >> 1] };
}

export function analyzeSize(episodes: readonly Sized[]): SizeResult {
  const outs: number[] = [];
  const ins: number[] = [];
  for (const e of episodes) {
    if (e.bytesOut !== null && Number.isFinite(e.bytesOut)) outs.push(e.bytesOut);
    if (e.bytesIn !== null && Number.isFinite(e.bytesIn)) ins.push(e.bytesIn);
  }
  const sum = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0));
  const totalOut = sum(outs);
  const totalIn = sum(ins);
  const sortedOut = sortedCopy(outs);
  const sortedIn = sortedCopy(ins);
  const medianOut = outs.length === 0 ? null : medianOfSorted(sortedOut);
  const medianIn = ins.length === 0 ? null : medianOfSorted(sortedIn);
  const cvOut = robustCvOfSorted(sortedOut);
  const cvIn = robustCvOfSorted(sortedIn);
  const modal = modalSizeOfSorted(sortedOut);
  const ratio = totalOut === null ? null : totalOut / Math.max(totalIn ?? 0, 1);
  const uniform = cvOut !== null && cvOut <= UNIFORM_CV && modal.share >= UNIFORM_MODAL_SHARE;
  const largeOutbound =
    totalOut !== null &&
    (totalOut >= LARGE_TOTAL_OUT ||
      (ratio !== null && ratio >= LARGE_RATIO && medianOut !== null && medianOut >= LARGE_EPISODE_OUT));
  return {
    episodes: episodes.length,
    knownOut: outs.length,
    knownIn: ins.length,
    totalOut,
    totalIn,
    medianOut,
    medianIn,
    cvOut,
    cvIn,
    modalShareOut: modal.share,
    modalOut: modal.size,
    ratio,
    uniform,
    largeOutbound,
  };
}

/** "96 % of check-ins send 1.2 kB (robust CV 3 %)". */
export function explainUniformSize(s: SizeResult): string {
  return (
    `${formatPercent(s.modalShareOut)} of check-ins send ${formatBytes(s.modalOut ?? 0)} ` +
    `(robust CV ${formatPercent(s.cvOut ?? 0)})`
  );
}

/** "2.1 GB sent out, 40× what came back, 2.0 MB per check-in: possible exfiltration". */
export function explainLargeOutbound(s: SizeResult): string {
  const ratio = s.ratio === null ? '' : `, ${s.ratio >= 100 ? Math.round(s.ratio) : s.ratio.toFixed(1)}× what came back`;
  return (
    `${formatBytes(s.totalOut ?? 0)} sent out${ratio}, ${formatBytes(s.medianOut ?? 0)} per check-in: ` +
    `possible exfiltration`
  );
}
