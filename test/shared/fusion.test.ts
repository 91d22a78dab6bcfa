// Fusion: the arithmetic of contributions, the gate, categories, and the sentences. Inputs are
// hand-made results so every contribution can be written out.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { FUSION, formatReason, fuse, type FusionContext, type FusionInput } from '../../shared/scoring/fusion.js';
import type { PeriodResult } from '../../shared/scoring/period.js';
import type { ScheduleFit, ScheduleResult } from '../../shared/scoring/schedule.js';
import { analyzeSize, type SizeResult } from '../../shared/scoring/size.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const score3 = (logit: number) => Math.round(sigmoid(logit) * 1000) / 1000;

function timing(over: Partial<PeriodResult> = {}): PeriodResult {
  return {
    period: 60,
    tau: 0.05,
    maxMultiple: 1,
    gaps: 400,
    maskedGaps: 0,
    inliers: 400,
    inlierFraction: 1,
    inlierLower: 0.993,
    earlyFraction: 0,
    regularity: 0.993,
    missedBeats: 0,
    coverage: 1,
    jitter: 0.19,
    jitterOneSided: 0.3,
    sleep: 60,
    jitterSymmetric: 0.18,
    nullInlierProbability: 0.04,
    logP: -1000,
    logPAdjusted: -996,
    pAdjusted: 0,
    tests: 40,
    candidates: [60],
    strength: 1,
    periodic: true,
    ...over,
  };
}

function schedule(over: Partial<ScheduleFit> = {}, log10P = -3.5): ScheduleResult {
  const best: ScheduleFit = {
    cycle: 86_400,
    zone: 'UTC',
    starts: 3,
    phase: 11_400,
    at: '03:10',
    label: '03:10 UTC',
    resultant: 0.9999,
    rayleighP: 0.034,
    sd: 140,
    tolerance: 864,
    logTightP: log10P * Math.LN10,
    cyclesSpanned: 3,
    activeCycles: 3,
    episodesPerCycle: 1,
    sessionsPerCycle: 1,
    medianSession: 0,
    tight: true,
    schedule: true,
    ...over,
  };
  return { best, fits: [best], tests: 1, logPAdjusted: log10P * Math.LN10 };
}

const noSchedule: ScheduleResult = { best: null, fits: [], tests: 0, logPAdjusted: 0 };
const uniform10: SizeResult = analyzeSize(new Array(10).fill({ bytesOut: 300, bytesIn: 1200 }));
const varied: SizeResult = analyzeSize([100, 900, 5000, 20].map((b) => ({ bytesOut: b, bytesIn: b })));

function input(over: Partial<FusionInput> = {}, context: Partial<FusionContext> = {}): FusionInput {
  return {
    timing: timing(),
    schedule: noSchedule,
    size: varied,
    connections: 401,
    checkins: 401,
    context: { direction: 'outbound', ...context },
    ...over,
  };
}

function contribution(f: ReturnType<typeof fuse>, feature: string): number | undefined {
  return f.reasons.find((r) => r.feature === feature)?.contribution;
}

test('a strong beacon: −3 + 6.5 timing + 1 outbound + 0.5 coverage + 0.6 uniform size = 5.6', () => {
  const f = fuse(input({ size: uniform10 }));
  assert.equal(contribution(f, 'timing'), 6.5);
  assert.equal(contribution(f, 'direction'), 1);
  assert.equal(contribution(f, 'coverage'), 0.5); // 2.5 · (1 − 0.4) = 1.5, capped at 0.5
  assert.equal(contribution(f, 'size'), 0.6);
  assert.equal(f.logit, 5.6);
  assert.equal(f.score, score3(5.6)); // 0.996
  assert.equal(f.category, 'beacon');
  assert.equal(f.period, 60);
  assert.equal(f.gated, true);
  assert.equal(f.exfil, false);
  // Sorted by |contribution|, largest first; sentences carry their feature name.
  assert.deepEqual(
    f.reasons.map((r) => r.feature),
    ['timing', 'direction', 'size', 'coverage'],
  );
  assert.equal(f.reasons[0].text, 'timing: 400 of 400 intervals fit 1.0 min ± 19 % (p ≈ 1e-433)');
  assert.equal(formatReason(f.reasons[0]), '+6.5 timing: 400 of 400 intervals fit 1.0 min ± 19 % (p ≈ 1e-433)');
});

test('timing weight scales with strength; coverage 2.5 · (c − 0.4) within [−1, 0.5]', () => {
  const f = fuse(input({ timing: timing({ strength: 0.25, coverage: 0.2 }) }));
  assert.equal(contribution(f, 'timing'), 1.63); // 6.5 · 0.25 = 1.625 → 2 decimals
  assert.equal(contribution(f, 'coverage'), -0.5); // 2.5 · (0.2 − 0.4)
  // −3 + 1.63 + 1 − 0.5 = −0.87
  assert.equal(f.logit, -0.87);
  assert.equal(f.score, score3(-0.87));
  const starved = fuse(input({ timing: timing({ coverage: 0.02 }) }));
  assert.equal(contribution(starved, 'coverage'), -0.95);
});

test('the gate: without timing or schedule evidence the score stays ≤ 0.15', () => {
  const irregular = timing({ periodic: false, strength: 0, gaps: 500, inliers: 150, inlierFraction: 0.3, earlyFraction: 0.4 });
  const f = fuse(input({ timing: irregular, size: uniform10 }));
  assert.equal(f.gated, false);
  assert.equal(contribution(f, 'timing'), -1); // ≥ 20 gaps without a rhythm
  assert.equal(contribution(f, 'coverage'), undefined);
  // −3 − 1 + 1 + 0.6 = −2.4 → 0.083 (below the cap anyway).
  assert.equal(f.logit, -2.4);
  assert.equal(f.score, score3(-2.4));
  // Context alone cannot lift it: a +2 prior (the clamp's maximum) and a rare destination.
  const lifted = fuse(
    input(
      { timing: irregular, size: uniform10 },
      { prevalence: 0.01, internalSources: 100, priors: [{ feature: 'odd', contribution: 5, text: 'odd: test' }] },
    ),
  );
  assert.equal(contribution(lifted, 'odd'), 2);
  assert.equal(lifted.logit, 0.1); // −2.4 + 2 + 0.5
  assert.equal(lifted.score, FUSION.gateCap);
  // Few gaps without a rhythm: no penalty, the sentence says why.
  const few = fuse(input({ timing: timing({ periodic: false, strength: 0, gaps: 5, inliers: 2 }) }));
  assert.equal(contribution(few, 'timing'), 0);
  assert.match(few.reasons.find((r) => r.feature === 'timing')?.text ?? '', /\(only 5 intervals\)$/);
  // No timing at all (fewer than 4 check-ins) and no schedule.
  const none = fuse(input({ timing: null, checkins: 3, connections: 3 }));
  assert.equal(none.gated, false);
  assert.equal(none.period, null);
  assert.equal(none.reasons.find((r) => r.feature === 'timing')?.text, 'timing: only 3 check-ins, too few for a period');
});

test('a daily schedule alone: scheduled-transfer with period 86 400', () => {
  const f = fuse(input({ timing: null, schedule: schedule(), checkins: 3, connections: 3 }));
  assert.equal(contribution(f, 'schedule'), 3.5); // −log10 p = 3.5
  assert.equal(f.logit, -3 + 3.5 + 1);
  assert.equal(f.score, score3(1.5)); // 0.818
  assert.equal(f.category, 'scheduled-transfer');
  assert.equal(f.period, 86_400);
  assert.equal(f.gated, true);
  // The schedule's weight is capped at 5.
  assert.equal(contribution(fuse(input({ timing: null, schedule: schedule({}, -12) })), 'schedule'), 5);
});

test('timing and schedule corroborate instead of adding up', () => {
  // Timing +6.5 is the stronger: the schedule adds min(1, 0.25 · 3.5) = 0.875 → 0.88.
  const f = fuse(input({ schedule: schedule(), timing: timing({ period: 86_400 }) }));
  assert.equal(contribution(f, 'timing'), 6.5);
  assert.equal(contribution(f, 'schedule'), 0.88);
  assert.equal(f.category, 'scheduled-transfer');
  assert.equal(f.period, 86_400);
  // Schedule stronger: timing keeps a quarter (6.5 · 0.2 = 1.3 → 0.325 → 0.33).
  const g = fuse(input({ schedule: schedule({}, -5), timing: timing({ strength: 0.2, period: 86_400 }) }));
  assert.equal(contribution(g, 'schedule'), 5);
  assert.equal(contribution(g, 'timing'), 0.33);
  // An irregular renewal fit is no evidence against a clock schedule.
  const h = fuse(input({ schedule: schedule(), timing: timing({ periodic: false, strength: 0, gaps: 30 }) }));
  assert.equal(contribution(h, 'timing'), 0);
  // Every other day: tight on the daily clock, spaced 2 days → period 172 800.
  const e = fuse(input({ schedule: schedule(), timing: timing({ period: 172_700 }) }));
  assert.equal(e.period, 172_800);
});

test('an hourly clock-aligned beacon stays a beacon; hourly + exfil is a scheduled transfer', () => {
  const hourly = schedule({ cycle: 3600, at: 'xx:10', label: 'xx:10 UTC', tolerance: 300 });
  const f = fuse(input({ schedule: hourly, timing: timing({ period: 3600 }) }));
  assert.equal(f.category, 'beacon');
  assert.equal(f.period, 3600);
  const big = analyzeSize(new Array(10).fill({ bytesOut: 20e6, bytesIn: 1000 }));
  const g = fuse(input({ schedule: hourly, timing: timing({ period: 3600 }), size: big }));
  assert.equal(g.exfil, true);
  assert.equal(contribution(g, 'exfil'), 1);
  assert.equal(g.category, 'scheduled-transfer');
  assert.equal(g.period, 3600);
});

test('exfil needs rhythm: large outbound alone is not flagged', () => {
  const big = analyzeSize(new Array(10).fill({ bytesOut: 20e6, bytesIn: 1000 }));
  const f = fuse(input({ timing: timing({ periodic: false, strength: 0 }), size: big }));
  assert.equal(f.exfil, false);
  assert.ok(f.score <= FUSION.gateCap);
});

test('direction: outbound +1, internal +0.3, external 0', () => {
  assert.equal(contribution(fuse(input({}, { direction: 'outbound' })), 'direction'), 1);
  assert.equal(contribution(fuse(input({}, { direction: 'internal' })), 'direction'), 0.3);
  assert.equal(contribution(fuse(input({}, { direction: 'external' })), 'direction'), 0);
});

test('prevalence: +0.5 when rare, −1.5 when common, linear between, silent with ≤ 3 sources', () => {
  const p = (prevalence: number, internalSources: number | null) =>
    fuse(input({}, { prevalence, internalSources })).reasons.find((r) => r.feature === 'prevalence');
  assert.equal(p(0.025, 40)?.contribution, 0.5);
  assert.equal(p(0.025, 40)?.text, 'prevalence: 1 of 40 internal hosts (3 %) talk to this destination; rare destinations rank higher');
  assert.equal(p(0.6, 40)?.contribution, -1.5);
  assert.equal(p(0.275, 40)?.contribution, -0.5); // halfway between 5 % and 50 %
  assert.equal(p(1, 2)?.contribution, 0);
  assert.equal(p(1, 2)?.text, 'prevalence: only 2 internal hosts in the case, too few to tell');
  assert.equal(p(0.025, null)?.contribution, 0.5); // source count unknown: trust the share
  assert.equal(fuse(input()).reasons.find((r) => r.feature === 'prevalence'), undefined);
});

test('fleet and known-service priors pull the score down, with their own sentences', () => {
  assert.equal(contribution(fuse(input({}, { fleetSize: 8 })), 'fleet'), -2.25); // −0.75 · log2 8
  assert.equal(contribution(fuse(input({}, { fleetSize: 64 })), 'fleet'), -2.5); // capped
  assert.equal(contribution(fuse(input({}, { fleetSize: 1 })), 'fleet'), undefined);
  const ntp = fuse(input({}, { priors: [{ feature: 'known-service', contribution: -3, text: 'known service: NTP (udp/123)' }] }));
  assert.equal(contribution(ntp, 'known-service'), -3);
  assert.equal(formatReason(ntp.reasons.find((r) => r.feature === 'known-service')!), '-3.0 known service: NTP (udp/123)');
  const clamped = fuse(input({}, { priors: [{ feature: '', contribution: -10, text: 'x' }] }));
  assert.equal(contribution(clamped, 'prior'), -6);
});

test('strobe: ≥ 86 400 connections, or a sub-second period with ≥ 1000 check-ins', () => {
  assert.equal(fuse(input({ connections: 86_400 })).category, 'strobe');
  assert.equal(fuse(input({ timing: timing({ period: 0.5 }), checkins: 5000, connections: 5000 })).category, 'strobe');
  assert.equal(fuse(input({ timing: timing({ period: 0.5 }), checkins: 500, connections: 500 })).category, 'beacon');
});
