// Fusion (detection.md, item 9): logit(score) = β0 + Σ contributions, each capped and each with
// the sentence that explains it, so an analyst can see why a key ranks where it does.
//
// Rhythm gates the finding: without periodic timing or a clock schedule, the score is capped
// at 0.15 whatever the context says, because rarity, direction and size describe most traffic.
// Timing and schedule are two views of one rhythm, so the stronger counts in full and the other
// only corroborates (a quarter, at most +1), instead of counting the same evidence twice.

import type { Category, Reason } from '../types.js';
import { explainPeriod, type PeriodResult } from './period.js';
import { explainSchedule, type ScheduleResult } from './schedule.js';
import { explainLargeOutbound, explainUniformSize, type SizeResult } from './size.js';
import { clamp, formatPercent } from './stats.js';

export type PairDirection = 'outbound' | 'internal' | 'external';
export type KeyCategory = Extract<Category, 'beacon' | 'scheduled-transfer' | 'strobe'>;

export interface FusionContext {
  /** outbound = internal → external (weighs most); internal pairs are lab C2 or lateral movement. */
  direction: PairDirection;
  /** Distinct internal sources talking to this destination / all internal sources, 0..1. */
  prevalence?: number | null;
  /** Internal sources in the case; prevalence says nothing when there are ≤ 3. */
  internalSources?: number | null;
  /** Hosts sharing this key and period (1 = this host alone). */
  fleetSize?: number | null;
  /** Known-service priors from the engine (NTP, OS update, CRL/OCSP…): negative, own sentence. */
  priors?: readonly Reason[];
}

export interface FusionInput {
  timing: PeriodResult | null;
  schedule: ScheduleResult | null;
  size: SizeResult | null;
  /** Raw connections and merged check-ins of the key. */
  connections: number;
  checkins: number;
  context: FusionContext;
}

export interface Fusion {
  /** 0..1, 3 decimals. */
  score: number;
  /** β0 + Σ contributions (before the gate cap). */
  logit: number;
  category: KeyCategory;
  /** Seconds of the rhythm (86 400 for a daily schedule); null without one. */
  period: number | null;
  /** Largest |contribution| first. */
  reasons: Reason[];
  /** Large outbound volume on a rhythm: possible exfiltration. */
  exfil: boolean;
  /** True when timing or schedule evidence let the score rise above the cap. */
  gated: boolean;
}

/**
 * Weights and caps, tuned on synthetic scenarios (see test/shared/fusion.test.ts and
 * detect.test.ts): a 60 s beacon with 30 % jitter over 2 days scores > 0.9, 4 check-ins clearly
 * below 400 of the same quality, Poisson browsing < 0.2, a daily 03:10 job on 3 nights > 0.6.
 */
export const FUSION = {
  /** Prior log-odds: most keys are not beacons. */
  beta0: -3,
  /** Timing: up to +6.5, times the period test's strength (regularity × significance, 0..1). */
  timingMax: 6.5,
  /** Many gaps without a rhythm are mild evidence against (the gate does the rest). */
  irregular: -1,
  irregularMinGaps: 20,
  /** Schedule: −log10 of the adjusted tight-phase p-value, at most +5. */
  scheduleMax: 5,
  /** The weaker of timing/schedule corroborates with this share, at most +1. */
  corroborationShare: 0.25,
  corroborationMax: 1,
  /**
   * Coverage of the expected beats: 2.5·(coverage − 0.4) within [−1, +0.5]. A beacon keeps
   * coming (≥ 0.7 with 30 % missed beats; ~0.45 on a sleeping laptop without an awake mask);
   * a fit that needs most beats "missed" (browsing: 0.02–0.1) is not a beacon.
   */
  coverageSlope: 2.5,
  coverageMid: 0.4,
  coverageMin: -1,
  coverageMax: 0.5,
  /** Uniform size: +0.6 with ≥ 10 episodes, less with fewer. */
  uniformSize: 0.6,
  uniformSizeEpisodes: 10,
  exfil: 1,
  direction: { outbound: 1, internal: 0.3, external: 0 } as Record<PairDirection, number>,
  /** Prevalence: +0.5 at ≤ 5 %, falling linearly to −1.5 at ≥ 50 %; only with ≥ 4 sources. */
  prevalenceRare: 0.05,
  prevalenceCommon: 0.5,
  prevalenceRareBonus: 0.5,
  prevalenceCommonPenalty: -1.5,
  prevalenceMinSources: 4,
  /** Fleet: −0.75 per doubling of the hosts sharing key + period, at most −2.5. */
  fleetPerDoubling: -0.75,
  fleetMax: -2.5,
  /** Engine priors are clamped to this range. */
  priorMin: -6,
  priorMax: 2,
  /** Without timing or schedule evidence the score never exceeds this. */
  gateCap: 0.15,
  /** Strobe: this many connections (RITA's threshold)... */
  strobeConnections: 86_400,
  /** ...or a sub-second period with at least this many check-ins. */
  strobeCheckins: 1000,
} as const;

function round2(x: number): number {
  const r = Math.round(x * 100) / 100;
  return r === 0 ? 0 : r; // no -0 in reasons
}

/** Timing contribution before corroboration, with its sentence. */
export function timingEvidence(t: PeriodResult): { value: number; text: string } {
  const F = FUSION;
  if (t.periodic) return { value: F.timingMax * t.strength, text: `timing: ${explainPeriod(t)}` };
  const value = t.gaps >= F.irregularMinGaps ? F.irregular : 0;
  const few = t.gaps < F.irregularMinGaps ? ` (only ${t.gaps} intervals)` : '';
  return { value, text: `timing: ${explainPeriod(t)}${few}` };
}

/** Schedule contribution before corroboration: −log10 of the adjusted tight-phase p, capped. */
export function scheduleEvidence(s: ScheduleResult): { value: number; text: string } {
  if (s.best === null) return { value: 0, text: 'schedule: no clock schedule' };
  return {
    value: clamp(-s.logPAdjusted / Math.LN10, 0, FUSION.scheduleMax),
    text: `schedule: ${explainSchedule(s)}`,
  };
}

export function fuse(input: FusionInput): Fusion {
  const F = FUSION;
  const { timing, schedule, size, context } = input;
  const reasons: Reason[] = [];
  const add = (feature: string, contribution: number, text: string) =>
    reasons.push({ feature, contribution: round2(contribution), text });

  const periodic = timing !== null && timing.periodic;
  const scheduled = schedule !== null && schedule.best !== null;
  const gated = periodic || scheduled;

  // --- rhythm: timing and schedule, the stronger in full -----------------------------------
  const t = timing === null ? null : timingEvidence(timing);
  const s = schedule === null ? null : scheduleEvidence(schedule);
  let tValue = t?.value ?? 0;
  let sValue = s?.value ?? 0;
  if (tValue < 0 && scheduled) tValue = 0; // a clock schedule explains irregular gaps
  if (tValue > 0 && sValue > 0) {
    const corroborate = (v: number) => Math.min(F.corroborationMax, F.corroborationShare * v);
    if (tValue >= sValue) sValue = corroborate(sValue);
    else tValue = corroborate(tValue);
  }
  if (t !== null) add('timing', tValue, t.text);
  else add('timing', 0, `timing: only ${input.checkins} check-ins, too few for a period`);
  if (s !== null && scheduled) add('schedule', sValue, s.text);

  // --- coverage: did the expected beats come (over the hours the host was awake)? ----------
  if (periodic && timing !== null) {
    const c = timing.coverage;
    const awake = timing.maskedGaps > 0 ? ' of the hours the host was awake' : '';
    add(
      'coverage',
      clamp(F.coverageSlope * (c - F.coverageMid), F.coverageMin, F.coverageMax),
      `coverage: ${formatPercent(c)} of the expected beats${awake} came`,
    );
  }

  // --- size: supporting only ------------------------------------------------------------------
  let exfil = false;
  if (size !== null) {
    if (size.uniform) {
      add(
        'size',
        F.uniformSize * Math.min(1, size.episodes / F.uniformSizeEpisodes),
        `size: ${explainUniformSize(size)}`,
      );
    }
    if (size.largeOutbound) {
      exfil = gated;
      add('exfil', F.exfil, `exfil: ${explainLargeOutbound(size)}`);
    }
  }

  // --- context ---------------------------------------------------------------------------------
  const dir = context.direction;
  add(
    'direction',
    F.direction[dir] ?? 0,
    dir === 'outbound'
      ? 'direction: an internal host talks to an outside destination'
      : dir === 'internal'
        ? 'direction: between internal hosts (lab C2 and lateral movement look like this)'
        : 'direction: between two outside addresses',
  );

  const sources = context.internalSources ?? null;
  const prev = context.prevalence ?? null;
  if (prev !== null && Number.isFinite(prev)) {
    if (sources !== null && sources < F.prevalenceMinSources) {
      add('prevalence', 0, `prevalence: only ${sources} internal host${sources === 1 ? '' : 's'} in the case, too few to tell`);
    } else {
      const x = clamp((prev - F.prevalenceRare) / (F.prevalenceCommon - F.prevalenceRare), 0, 1);
      const v = F.prevalenceRareBonus + x * (F.prevalenceCommonPenalty - F.prevalenceRareBonus);
      const who =
        sources !== null
          ? `${Math.max(1, Math.round(prev * sources))} of ${sources} internal hosts (${formatPercent(prev)})`
          : `${formatPercent(prev)} of internal hosts`;
      add(
        'prevalence',
        v,
        `prevalence: ${who} talk to this destination${v > 0 ? '; rare destinations rank higher' : v < 0 ? '; common destinations rank lower' : ''}`,
      );
    }
  }

  const fleet = context.fleetSize ?? 1;
  if (fleet >= 2) {
    add(
      'fleet',
      Math.max(F.fleetMax, F.fleetPerDoubling * Math.log2(fleet)),
      `fleet: ${fleet} hosts share this destination and rhythm, as installed software does`,
    );
  }

  for (const p of context.priors ?? []) {
    add(p.feature || 'prior', clamp(p.contribution, F.priorMin, F.priorMax), p.text);
  }

  // --- score -----------------------------------------------------------------------------------
  const logit = round2(F.beta0 + reasons.reduce((a, r) => a + r.contribution, 0));
  let score = 1 / (1 + Math.exp(-logit));
  if (!gated) score = Math.min(score, F.gateCap);
  score = Math.round(score * 1000) / 1000;

  let category: KeyCategory = 'beacon';
  let period: number | null = periodic && timing !== null ? timing.period : null;
  const best = scheduled && schedule !== null ? schedule.best : null;
  if (best !== null && (best.cycle >= 86_400 || exfil)) {
    category = 'scheduled-transfer';
    // An every-other-day job is tight on the daily clock; report its real spacing then.
    const mult = periodic && timing !== null ? Math.max(1, Math.round(timing.period / best.cycle)) : 1;
    period = best.cycle * mult;
  } else if (period === null && best !== null) {
    period = best.cycle;
  }
  if (
    input.connections >= F.strobeConnections ||
    (period !== null && period < 1 && input.checkins >= F.strobeCheckins)
  ) {
    category = 'strobe';
  }

  reasons.sort(
    (a, b) =>
      Math.abs(b.contribution) - Math.abs(a.contribution) || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0),
  );
  return { score, logit, category, period, reasons, exfil, gated };
}

/** A reason as the UI prints it: "+5.1 timing: 84 of 86 intervals fit 58.7 s ± 19 % (…)". */
export function formatReason(r: Reason): string {
  const sign = r.contribution < 0 ? '-' : '+';
  return `${sign}${Math.abs(r.contribution).toFixed(1)} ${r.text}`;
}
