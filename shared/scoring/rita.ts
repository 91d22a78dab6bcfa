// RITA v5.1.1's beacon score (activecm/rita, analysis/beacons.go and analysis/analysis.go),
// reproduced as a baseline to measure Metronome against. The spec is the appendix of
// shared/design/detection.md. Every constant, comparison, rounding and operation order below
// mirrors RITA's Go code on purpose, because the point of a baseline is to give the same number
// RITA would give; "improving" any of it here would make the comparison meaningless.

import { medianOfSorted, sortedCopy, tukeyHinges } from './quantiles.js';

export interface RitaInput {
  timestamps: number[]; // connection start times, epoch seconds (float allowed), any order
  bytes: number[]; // orig_ip_bytes per connection (same length; NaN/negative treated as 0)
  windowStart: number; // dataset window, epoch seconds
  windowEnd: number;
  prevalence?: number; // distinct internal sources talking to this dst / all internal sources, 0..1; undefined = no modifier
}

export interface RitaScore {
  timestamp: number;
  dataSize: number;
  histogram: number;
  duration: number; // sub-scores 0..1 (3 decimals)
  beacon: number; // 0.25 each, 3 decimals
  final: number; // RITA's ranking score after bucketing + prevalence, clamped 0..1
  // details used in explanations:
  medianInterval: number;
  intervalMad: number;
  intervalSkew: number;
  medianBytes: number;
  bytesMad: number;
  bytesSkew: number;
  histogramCv: number;
  bimodalFit: number;
  nonEmptyBins: number;
  coverage: number;
  longestRun: number;
  distinctTimestamps: number;
  connections: number;
  /** The prevalence that was passed in, when one was (explanations quote it). */
  prevalence?: number;
  /** +0.15, -0.15 or 0: what prevalence added to `final`. */
  prevalenceModifier?: number;
}

/** RITA v5.1.1 default configuration (values as listed in the detection.md appendix). */
export const RITA_DEFAULTS = {
  uniqueConnectionThreshold: 4,
  strobeConnections: 86_400,
  bins: 24,
  histModeSensitivity: 0.05,
  histBimodalOutlierRemoval: 1,
  histBimodalMinHours: 11,
  durMinHours: 6,
  durIdealConsistentHours: 12,
  weight: 0.25,
  // Beacon score x100 thresholds, and the category scores they interpolate between.
  scoreThresholds: { base: 50, low: 70, med: 90, high: 100 },
  categoryScores: { none: 20, low: 40, medium: 60, high: 80 }, // x100, as RITA computes them
  prevalenceIncreaseThreshold: 0.02,
  prevalenceDecreaseThreshold: 0.5,
  prevalenceScoreIncrease: 0.15,
  prevalenceScoreDecrease: 0.15,
} as const;

/** Go's math.Round (half away from zero) to 3 decimals; JS Math.round alone rounds -0.5 up. */
function round3(x: number): number {
  return x < 0 ? -Math.round(-x * 1000) / 1000 : Math.round(x * 1000) / 1000;
}

function ceil3(x: number): number {
  return Math.ceil(x * 1000) / 1000;
}

export interface RitaStat {
  score: number;
  median: number;
  mad: number;
  skew: number;
}

/**
 * RITA's calculateStatisticalScore: the mean of a Bowley-skew score and a MAD score, rounded to
 * 3 decimals. `defaultMadScore` is what the MAD half scores when the median is below 1, where
 * MAD/median would be meaningless (RITA passes 1 for intervals and 0 for byte counts).
 */
export function ritaStatScore(values: readonly number[], defaultMadScore: number): RitaStat {
  const sorted = sortedCopy(values);
  const { q1, q2, q3 } = tukeyHinges(sorted);
  const num = q1 + q3 - 2 * q2;
  const den = q3 - q1;
  // RITA distrusts the skew of a narrow or degenerate spread: a 3-second IQR would otherwise
  // turn one-second jitter into a large skew.
  const skew = den >= 10 && q2 !== q1 && q2 !== q3 ? num / den : 0;
  const skewScore = 1 - Math.abs(skew);

  const median = medianOfSorted(sorted);
  const mad = medianOfSorted(sortedCopy(sorted.map((v) => Math.abs(v - median))));
  let madScore = median >= 1 ? (median - mad) / median : defaultMadScore;
  if (madScore < 0 || Number.isNaN(madScore)) madScore = 0;

  return { score: round3((skewScore + madScore) / 2), median, mad, skew };
}

export interface RitaHistogram {
  /** Connections per bin, RITA_DEFAULTS.bins equal slices of the window. */
  counts: number[];
  nonEmptyBins: number;
  longestRun: number;
  cv: number;
  cvScore: number;
  bimodalFit: number;
  score: number;
}

/**
 * RITA's getHistogramScore over 24 equal slices of [start, end] (whole seconds). Exported so a
 * chart can show the same bins RITA scored. Bin assignment copies RITA's sweep over float edges
 * rather than floor((t - start) / step), because the two can disagree by one bin when t sits on
 * an edge that the float step misses.
 */
export function ritaHistogram(start: number, end: number, timestamps: readonly number[]): RitaHistogram {
  if (!(end > start)) throw new RangeError(`ritaHistogram: empty window [${start}, ${end}]`);
  let sortedTs = timestamps;
  for (let i = 1; i < timestamps.length; i++) {
    if (timestamps[i] < timestamps[i - 1]) {
      sortedTs = sortedCopy(timestamps);
      break;
    }
  }
  const { bins, histModeSensitivity, histBimodalOutlierRemoval, histBimodalMinHours } = RITA_DEFAULTS;
  const step = (end - start) / bins;
  const edges = new Array<number>(bins + 1);
  edges[0] = start;
  for (let i = 1; i < bins; i++) edges[i] = start + i * step;
  edges[bins] = end;

  // A timestamp before the window lands in the first bin and one at or after its end in the
  // last, exactly as RITA's sweep does; that is how the dataset's own last connection counts.
  const counts = new Array<number>(bins).fill(0);
  let bin = 0;
  let nextEdge = edges[1];
  for (const t of sortedTs) {
    if (t < nextEdge) {
      counts[bin]++;
      continue;
    }
    for (let j = bin + 1; j < bins; j++) {
      bin = j;
      nextEdge = edges[j + 1];
      if (t < edges[j + 1]) break;
    }
    counts[bin]++;
  }

  let nonEmptyBins = 0;
  let largest = 0;
  let total = 0;
  for (const c of counts) {
    if (c > 0) nonEmptyBins++;
    if (c > largest) largest = c;
    total += c;
  }

  // Two passes over the bins so that a run crossing the window's end continues at its start:
  // a beacon that runs 20:00-04:00 in a window starting at midnight is one run, not two.
  let longestRun = 0;
  let run = 0;
  for (let i = 0; i < bins * 2; i++) {
    if (counts[i % bins] > 0) run++;
    else {
      if (run > longestRun) longestRun = run;
      run = 0;
    }
  }
  if (run > longestRun) longestRun = run;
  if (longestRun > bins) longestRun = bins;

  const mean = total / bins;
  let ss = 0;
  for (const c of counts) ss += (c - mean) * (c - mean);
  const cv = Math.sqrt(ss / bins) / Math.abs(mean);
  // No connections means no CV (0/0); RITA refuses that input, a chart just gets a zero score.
  let cvScore = total === 0 || cv > 1 ? 0 : round3(1 - cv);
  if (cvScore > 1) cvScore = 1;

  // Bimodal fit: rewards a histogram that alternates between two steady rates (e.g. busy and
  // idle hours), which the CV punishes. Bars are grouped into buckets 5% of the tallest bar wide
  // so that near-equal heights count as one level. Only with enough bars, else any 1-2 bars
  // would trivially "fit" two levels.
  let bimodalFit = 0;
  if (nonEmptyBins >= histBimodalMinHours) {
    const binSize = Math.ceil(largest * histModeSensitivity);
    const freq = new Map<number, number>();
    for (const c of counts) {
      if (c > 0) {
        const level = Math.floor(c / binSize) * binSize;
        freq.set(level, (freq.get(level) ?? 0) + 1);
      }
    }
    let first = 0;
    let second = 0;
    for (const f of freq.values()) {
      if (f > first) {
        second = first;
        first = f;
      } else if (f > second) second = f;
    }
    // One bar is forgiven as an outlier, hence the minus one.
    const fit = (first + second) / Math.max(nonEmptyBins - histBimodalOutlierRemoval, 1);
    bimodalFit = Math.min(round3(fit), 1);
  }

  return { counts, nonEmptyBins, longestRun, cv, cvScore, bimodalFit, score: Math.max(cvScore, bimodalFit) };
}

/**
 * RITA's calculateBucketedScore for the beacon score. RITA stores the beacon score as a float32
 * and multiplies it by 100 in float32, which is emulated with Math.fround so that a score of
 * exactly 0.7 or 0.9 falls on the same side of a threshold as in RITA. The result is rounded to
 * 3 decimals to drop float32 noise; that is exact, because the interpolation maps a 3-decimal
 * beacon score to a 3-decimal value (b - 0.3 below 0.9, 2b - 1.2 from 0.9 on).
 */
export function ritaThreatScore(beacon: number): number {
  const { base, low, med, high } = RITA_DEFAULTS.scoreThresholds;
  const { none: noneS, low: lowS, medium: medS, high: highS } = RITA_DEFAULTS.categoryScores;
  const value = Math.fround(Math.fround(beacon) * 100);
  if (value < base) return 0;
  let score: number;
  if (value < low) score = noneS + ((value - base) / (low - base)) * (lowS - noneS);
  else if (value < med) score = lowS + ((value - low) / (med - low)) * (medS - lowS);
  else score = medS + ((Math.min(value, high) - med) / (high - med)) * (highS - medS);
  return round3(score / 100);
}

/** RITA's prevalence modifier: rare destinations rank higher, common ones lower. */
export function ritaPrevalenceModifier(prevalence: number | undefined): number {
  const d = RITA_DEFAULTS;
  if (prevalence === undefined || !Number.isFinite(prevalence)) return 0;
  if (prevalence <= d.prevalenceIncreaseThreshold) return d.prevalenceScoreIncrease;
  if (prevalence >= d.prevalenceDecreaseThreshold) return -d.prevalenceScoreDecrease;
  return 0;
}

/**
 * RITA's final ranking score for a beacon: the bucketed beacon score plus the prevalence
 * modifier. RITA adds the modifier even when the beacon buckets to 0 (its final_score is
 * base + modifiers), so a weak beacon to a rare destination still gets 0.15. Clamped to 0..1
 * because a common destination would otherwise go negative.
 */
export function ritaFinalScore(beacon: number, prevalence?: number): number {
  const sum = round3(ritaThreatScore(beacon) + ritaPrevalenceModifier(prevalence));
  return Math.min(1, Math.max(0, sum));
}

/**
 * RITA's beacon score for one pair, or null when RITA would not score it: fewer than 4 distinct
 * whole-second timestamps, 86 400 connections or more (RITA calls that a strobe), or a window
 * that is empty after truncation to whole seconds.
 */
export function ritaBeaconScore(input: RitaInput): RitaScore | null {
  const d = RITA_DEFAULTS;
  if (input.bytes.length !== input.timestamps.length) {
    throw new RangeError(
      `ritaBeaconScore: ${input.timestamps.length} timestamps but ${input.bytes.length} byte counts`,
    );
  }
  // RITA keeps timestamps as whole seconds (ClickHouse DateTime, then uint32), so sub-second
  // precision is dropped before anything is compared; same for the window bounds (time.Unix()).
  const ts: number[] = [];
  const bytes: number[] = [];
  for (let i = 0; i < input.timestamps.length; i++) {
    const t = input.timestamps[i];
    if (!Number.isFinite(t)) continue; // an unparseable time cannot be placed; drop the connection
    ts.push(Math.floor(t));
    const b = input.bytes[i];
    bytes.push(Number.isFinite(b) && b > 0 ? b : 0);
  }
  if (!Number.isFinite(input.windowStart) || !Number.isFinite(input.windowEnd)) return null;
  const windowStart = Math.floor(input.windowStart);
  const windowEnd = Math.floor(input.windowEnd);
  if (windowEnd <= windowStart) return null;

  const connections = ts.length;
  if (connections >= d.strobeConnections) return null;
  const sortedTs = sortedCopy(ts);
  let distinctTimestamps = connections > 0 ? 1 : 0;
  for (let i = 1; i < connections; i++) if (sortedTs[i] !== sortedTs[i - 1]) distinctTimestamps++;
  if (distinctTimestamps < d.uniqueConnectionThreshold) return null;

  // Several connections in one second are one check-in as far as timing goes, so zero gaps are
  // dropped; they still count in the histogram and the byte sizes.
  const deltas: number[] = [];
  for (let i = 1; i < connections; i++) {
    const gap = sortedTs[i] - sortedTs[i - 1];
    if (gap > 0) deltas.push(gap);
  }
  if (deltas.length < 3) return null; // unreachable after the distinct gate; kept as RITA checks it
  const tsStat = ritaStatScore(deltas, 1);
  const dsStat = ritaStatScore(bytes, 0);

  const hist = ritaHistogram(windowStart, windowEnd, sortedTs);

  const firstTs = sortedTs[0];
  const lastTs = sortedTs[connections - 1];
  const coverage = Math.min(ceil3((lastTs - firstTs) / (windowEnd - windowStart)), 1);
  const consistency = Math.min(ceil3(hist.longestRun / d.durIdealConsistentHours), 1);
  // With fewer than 6 active bins RITA gives no duration credit at all; coverage is still
  // reported so an explanation can say how long the pair was seen.
  const duration = hist.nonEmptyBins >= d.durMinHours ? Math.max(coverage, consistency) : 0;

  // Same summation order as RITA's getBeaconScore (ts, ds, dur, hist), so the float sum before
  // rounding is bit-identical.
  const w = d.weight;
  const beacon = round3(tsStat.score * w + dsStat.score * w + duration * w + hist.score * w);

  const prevalenceModifier = ritaPrevalenceModifier(input.prevalence);
  const score: RitaScore = {
    timestamp: tsStat.score,
    dataSize: dsStat.score,
    histogram: hist.score,
    duration,
    beacon,
    final: ritaFinalScore(beacon, input.prevalence),
    medianInterval: tsStat.median,
    intervalMad: tsStat.mad,
    intervalSkew: tsStat.skew,
    medianBytes: dsStat.median,
    bytesMad: dsStat.mad,
    bytesSkew: dsStat.skew,
    histogramCv: hist.cv,
    bimodalFit: hist.bimodalFit,
    nonEmptyBins: hist.nonEmptyBins,
    coverage,
    longestRun: hist.longestRun,
    distinctTimestamps,
    connections,
    prevalenceModifier,
  };
  if (input.prevalence !== undefined) score.prevalence = input.prevalence;
  return score;
}

// ---- explanations -------------------------------------------------------------------------

/** Rounds to one decimal first and picks the unit from the rounded value, so 59.96 s reads "1.0 min", not "60.0 s". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  const units: [number, string, number][] = [
    [1, 's', 60],
    [60, 'min', 60],
    [3600, 'h', 24],
    [86_400, 'd', Infinity],
  ];
  for (const [size, unit, limit] of units) {
    const v = Math.round((s / size) * 10) / 10;
    if (v < limit) return `${sign}${v.toFixed(1)} ${unit}`;
  }
  return `${sign}${s} s`; // unreachable: the last unit has no limit
}

/** Decimal units as network tools print them: "512 B", "1.2 kB", "3.4 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const sign = bytes < 0 ? '-' : '';
  const b = Math.abs(bytes);
  if (Math.round(b) < 1000) return `${sign}${Math.round(b)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  for (let i = 0; i < units.length; i++) {
    const v = Math.round((b / 1000 ** (i + 1)) * 10) / 10;
    if (v < 1000 || i === units.length - 1) return `${sign}${v.toFixed(1)} ${units[i]}`;
  }
  return `${sign}${b} B`; // unreachable
}

/** A 0..1 value as at most 3 decimals without trailing zeros: 0.97, 1, 0.995. */
function fmtScore(x: number): string {
  return String(round3(x));
}

/** A share as a percentage with at most one decimal: "1.5%", "60%". */
function fmtPercent(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

function grade(score: number, words: [string, string, string, string]): string {
  if (score >= 0.9) return words[0];
  if (score >= 0.75) return words[1];
  if (score >= 0.5) return words[2];
  return words[3];
}

export interface RitaReason {
  feature: string;
  contribution: number;
  text: string;
}

/** Sentences for a finding, e.g. "timing: intervals median 11.5 s, MAD 0.5 s (score 0.97)". */
export function ritaReasons(s: RitaScore): RitaReason[] {
  const w = RITA_DEFAULTS.weight;
  const reasons: RitaReason[] = [];

  const skewText = s.intervalSkew !== 0 ? `, skew ${s.intervalSkew.toFixed(2)}` : '';
  reasons.push({
    feature: 'timestamp',
    contribution: w * s.timestamp,
    text:
      `timing: ${grade(s.timestamp, ['very regular', 'fairly regular', 'loosely regular', 'irregular'])}, ` +
      `intervals median ${formatSeconds(s.medianInterval)}, MAD ${formatSeconds(s.intervalMad)}${skewText} ` +
      `(score ${fmtScore(s.timestamp)})`,
  });

  const sizeText =
    s.medianBytes < 1
      ? `size: almost nothing sent, median ${formatBytes(s.medianBytes)} per connection (score ${fmtScore(s.dataSize)})`
      : `size: ${grade(s.dataSize, ['very uniform', 'fairly uniform', 'somewhat varied', 'highly varied'])}, ` +
        `bytes sent median ${formatBytes(s.medianBytes)}, MAD ${formatBytes(s.bytesMad)} (score ${fmtScore(s.dataSize)})`;
  reasons.push({ feature: 'data-size', contribution: w * s.dataSize, text: sizeText });

  const bins = RITA_DEFAULTS.bins;
  const cvScore = s.histogramCv > 1 ? 0 : round3(1 - s.histogramCv);
  const histText =
    s.bimodalFit > cvScore
      ? `spread: active in ${s.nonEmptyBins} of ${bins} slices of the window at two steady rates ` +
        `(${fmtPercent(Math.min(s.bimodalFit, 1))} of active slices fit) (score ${fmtScore(s.histogram)})`
      : `spread: active in ${s.nonEmptyBins} of ${bins} slices of the window, ` +
        `${grade(s.histogram, ['steady', 'fairly even', 'uneven', 'bursty'])} (count CV ${s.histogramCv.toFixed(2)}) ` +
        `(score ${fmtScore(s.histogram)})`;
  reasons.push({ feature: 'histogram', contribution: w * s.histogram, text: histText });

  const durText =
    s.nonEmptyBins < RITA_DEFAULTS.durMinHours
      ? `duration: active in only ${s.nonEmptyBins} of ${bins} slices of the window, ` +
        `fewer than the ${RITA_DEFAULTS.durMinHours} RITA needs (score 0)`
      : `duration: seen across ${fmtPercent(s.coverage)} of the window, longest unbroken run ` +
        `${s.longestRun} of ${bins} slices (score ${fmtScore(s.duration)})`;
  reasons.push({ feature: 'duration', contribution: w * s.duration, text: durText });

  const mod = s.prevalenceModifier ?? 0;
  if (mod !== 0) {
    const share =
      s.prevalence !== undefined ? `${fmtPercent(s.prevalence)} of` : mod > 0 ? 'few' : 'many';
    reasons.push({
      feature: 'prevalence',
      contribution: mod,
      text:
        mod > 0
          ? `prevalence: only ${share} internal hosts talk to this destination; rare destinations rank higher (+${mod})`
          : `prevalence: ${share} internal hosts talk to this destination; common destinations rank lower (${mod})`,
    });
  }

  return reasons.sort(
    (a, b) =>
      Math.abs(b.contribution) - Math.abs(a.contribution) ||
      (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0),
  );
}
