// Small order statistics shared by the scoring modules.
//
// The definitions follow montanaflynn/stats, which RITA v5 uses, so that a score computed here
// matches RITA's to the last bit: the median of an even count is the mean of the two middle
// values, and quartiles are Tukey hinges (medians of the lower and upper halves, the middle
// element of an odd count belonging to neither half).

/**
 * Ascending copy; the caller's array is never reordered. A typed-array sort is numeric (not the
 * default string order of Array#sort) and puts any NaN last instead of scrambling the order.
 */
export function sortedCopy(values: readonly number[]): number[] {
  const sorted = new Float64Array(values).sort();
  // A plain loop: Array.from(typedArray) goes through the iterator protocol, several times slower.
  const out = new Array<number>(sorted.length);
  for (let i = 0; i < sorted.length; i++) out[i] = sorted[i];
  return out;
}

/** Median of values already sorted ascending. NaN for an empty list. */
export function medianOfSorted(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of values in any order. NaN for an empty list. */
export function median(values: readonly number[]): number {
  return medianOfSorted(sortedCopy(values));
}

export interface Hinges {
  q1: number;
  q2: number;
  q3: number;
}

/**
 * Tukey hinges of values in any order. NaN for an empty list. For a single value all three are
 * that value (the halves are empty, and an empty half would otherwise make Q1/Q3 undefined).
 */
export function tukeyHinges(values: readonly number[]): Hinges {
  const s = sortedCopy(values);
  const n = s.length;
  if (n === 0) return { q1: NaN, q2: NaN, q3: NaN };
  if (n === 1) return { q1: s[0], q2: s[0], q3: s[0] };
  const lowerEnd = n >> 1; // exclusive end of the lower half
  const upperStart = n % 2 === 0 ? lowerEnd : lowerEnd + 1;
  return {
    q1: medianOfSorted(s.slice(0, lowerEnd)),
    q2: medianOfSorted(s),
    q3: medianOfSorted(s.slice(upperStart)),
  };
}

/**
 * Median absolute deviation about the median, unscaled (no 1.4826 factor): RITA divides the raw
 * MAD by the median, and other modules apply the normal-consistency factor themselves.
 */
export function mad(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}
