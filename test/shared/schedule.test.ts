// The clock-schedule test: Rayleigh statistics, wall-clock phases in a zone across DST, and
// seeded nightly jobs.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  analyzeSchedule,
  circularSd,
  explainSchedule,
  isValidTimeZone,
  phaseClock,
  phaseLabel,
  rayleighP,
  zoneOffset,
  type ScheduleFit,
  type ScheduleResult,
  type Span,
} from '../../shared/scoring/schedule.js';
import { beacon, daily, DAY, HOUR, MONDAY } from './scoring-fixtures.js';

const B = MONDAY;

function close(actual: number, expected: number, tol = 1e-9, msg?: string) {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    msg ?? `${actual} is not within ${tol} of ${expected}`,
  );
}

const spans = (times: number[]): Span[] => times.map((t) => ({ start: t, end: t }));

function fit(r: ScheduleResult, cycle: number, zone: string): ScheduleFit {
  const f = r.fits.find((x) => x.cycle === cycle && x.zone === zone);
  assert.ok(f, `no fit for ${cycle} ${zone}`);
  return f;
}

test('rayleighP and circularSd by formula', () => {
  // Three identical phases: R = n = 3 → exp(√(1 + 12 + 0) − 7) = exp(√13 − 7) = 0.0336.
  close(rayleighP(3, 3), Math.exp(Math.sqrt(13) - 7));
  close(rayleighP(3, 3), 0.0336, 1e-2);
  // R = 0 (uniform): √(1 + 4n + 4n²) = 1 + 2n → p = 1.
  close(rayleighP(0, 10), 1);
  assert.equal(rayleighP(0, 0), 1);
  assert.equal(circularSd(1, DAY), 0);
  assert.equal(circularSd(0, DAY), Infinity);
  close(circularSd(0.99, DAY), (Math.sqrt(-2 * Math.log(0.99)) * DAY) / (2 * Math.PI));
});

test('zoneOffset follows DST (Intl), UTC is 0', () => {
  assert.equal(zoneOffset(Date.UTC(2025, 6, 1, 12) / 1000, 'Europe/Berlin'), 7200);
  assert.equal(zoneOffset(Date.UTC(2025, 11, 1, 12) / 1000, 'Europe/Berlin'), 3600);
  assert.equal(zoneOffset(Date.UTC(2025, 0, 15) / 1000, 'America/New_York'), -5 * 3600);
  assert.equal(zoneOffset(Date.UTC(2025, 0, 15) / 1000, 'Asia/Kolkata'), 5.5 * 3600);
  assert.equal(zoneOffset(Date.UTC(2025, 0, 15) / 1000, 'UTC'), 0);
  // Berlin leaves summer time at 2025-10-26 01:00 UTC (03:00 CEST → 02:00 CET).
  assert.equal(zoneOffset(Date.UTC(2025, 9, 26, 0, 59, 59) / 1000, 'Europe/Berlin'), 7200);
  assert.equal(zoneOffset(Date.UTC(2025, 9, 26, 1, 0, 0) / 1000, 'Europe/Berlin'), 3600);
  assert.equal(isValidTimeZone('Europe/Berlin'), true);
  assert.equal(isValidTimeZone('Mars/Olympus_Mons'), false);
});

test('phaseLabel: hour, day and Monday-based week, rounded to the minute', () => {
  assert.equal(phaseLabel(600, HOUR, 'UTC'), 'xx:10 UTC');
  assert.equal(phaseClock(DAY + 3 * HOUR + 600, 7 * DAY), 'Tue 03:10');
  assert.equal(phaseLabel(3 * HOUR + 600, DAY, 'UTC'), '03:10 UTC');
  assert.equal(phaseLabel(2 * HOUR, DAY, 'Europe/Berlin'), '02:00 Europe/Berlin');
  assert.equal(phaseLabel(DAY - 10, DAY, 'UTC'), '00:00 UTC'); // 23:59:50 rounds to midnight
  assert.equal(phaseLabel(0, 7 * DAY, 'UTC'), 'Mon 00:00 UTC');
  assert.equal(phaseLabel(DAY + 3 * HOUR + 600, 7 * DAY, 'UTC'), 'Tue 03:10 UTC');
});

test('three starts at exactly 03:10 UTC: every field by hand', () => {
  const times = [0, 1, 2].map((d) => B + d * DAY + 3 * HOUR + 600);
  const r = analyzeSchedule(spans(times));
  // Fits: hour, day and week cycles in UTC (no zone given) → 3 tests.
  assert.equal(r.tests, 3);
  const best = r.best;
  assert.ok(best);
  assert.equal(best.cycle, DAY); // the longest cycle with a schedule (the hour cycle also has one)
  assert.equal(best.zone, 'UTC');
  assert.equal(best.label, '03:10 UTC');
  assert.equal(best.at, '03:10');
  assert.equal(best.starts, 3);
  assert.ok(best.sd < 1, `sd ${best.sd}`); // 0 up to rounding of cos/sin
  close(best.phase, 3 * HOUR + 600, 1e-6);
  close(best.rayleighP, Math.exp(Math.sqrt(13) - 7), 1e-6);
  assert.equal(best.cyclesSpanned, 3);
  assert.equal(best.activeCycles, 3);
  assert.equal(best.episodesPerCycle, 1);
  assert.equal(best.sessionsPerCycle, 1);
  assert.equal(best.tolerance, 864); // max(300, 1 % of 86 400)
  // Tight-phase p: the SD is floored at 60 s, a uniform that wide spans √12 · 60 s = 207.8 s, so
  // p = n · a^(n−1) = 3 · (207.8 / 86 400)² = 1.7e-5, then × 3 tests.
  const a = (Math.sqrt(12) * 60) / DAY;
  close(best.logTightP, Math.log(3) + 2 * Math.log(a));
  close(r.logPAdjusted, Math.log(3) + 2 * Math.log(a) + Math.log(3));
  assert.equal(fit(r, HOUR, 'UTC').schedule, true);
  assert.equal(fit(r, 7 * DAY, 'UTC').schedule, false); // Mon, Tue, Wed: spread over the week
  assert.match(explainSchedule(r), /^3 starts at 03:10 UTC ± 0 s on 3 of 3 days \(Rayleigh p = 0\.034, p ≈ 1e-4/);
});

test('fewer than 3 starts, or starts within one session: no fit', () => {
  assert.deepEqual(analyzeSchedule(spans([B, B + DAY])), { best: null, fits: [], tests: 0, logPAdjusted: 0 });
  // Three episodes 10 min apart are one session for every cycle (silence < min(1 h, T/4)).
  assert.equal(analyzeSchedule(spans([B, B + 600, B + 1200])).fits.length, 0);
  assert.equal(explainSchedule(analyzeSchedule([])), 'no clock schedule');
});

test('an unknown time zone is ignored rather than failing', () => {
  const times = [0, 1, 2].map((d) => B + d * DAY + 3 * HOUR + 600);
  const r = analyzeSchedule(spans(times), { timeZone: 'Mars/Olympus_Mons' });
  assert.ok(r.fits.every((f) => f.zone === 'UTC'));
  assert.equal(r.best?.label, '03:10 UTC');
});

test('a beacon running all day is not a schedule, even if it starts at 08:00 every morning', () => {
  const times: number[] = [];
  for (let d = 0; d < 5; d++) times.push(...beacon({ period: 60, span: 10 * HOUR, start: B + d * DAY + 8 * HOUR, seed: d + 1 }));
  const r = analyzeSchedule(spans(times));
  const day = fit(r, DAY, 'UTC');
  assert.equal(day.tight, true); // the sessions do start at 08:00...
  assert.equal(day.schedule, false); // ...but with 600 episodes in a 10 h session per day
  assert.equal(r.best, null);
});

test('a daily job at 03:10 ± 4 min on 3 nights is a schedule', () => {
  const r = analyzeSchedule(spans(daily([0, 1, 2], 5)));
  const best = r.best;
  assert.ok(best);
  assert.equal(best.cycle, DAY);
  assert.ok(Math.abs(best.phase - (3 * HOUR + 600)) < 240, `phase ${best.phase}`);
  assert.ok(best.sd < 240, `sd ${best.sd}`);
  assert.ok(best.rayleighP < 0.05);
  assert.ok(r.logPAdjusted / Math.LN10 < -2.5, `log10 p ${r.logPAdjusted / Math.LN10}`);
});

test('a daily job on 5 of 7 nights is a schedule spanning 7 days', () => {
  const r = analyzeSchedule(spans(daily([0, 1, 3, 4, 6], 6)));
  const best = r.best;
  assert.ok(best);
  assert.equal(best.cycle, DAY);
  assert.equal(best.activeCycles, 5);
  assert.equal(best.cyclesSpanned, 7);
  assert.ok(r.logPAdjusted / Math.LN10 < -6);
  assert.match(explainSchedule(r), /^5 starts at 03:(0[6-9]|1[0-4]) UTC ± \d\.\d min on 5 of 7 days/);
});

/** 03:10 wall clock in Berlin on 2025-10-21 … 2025-10-30 (DST ends 2025-10-26), ± jitter. */
function berlinNights(jitter: number): number[] {
  const out: number[] = [];
  let k = 0;
  for (let day = 21; day <= 30; day++) {
    const offset = day <= 25 ? 7200 : 3600; // CEST until the 25th, CET from the 26th
    const wobble = jitter * Math.sin(k++ * 2.1); // deterministic, within ± jitter
    out.push(Date.UTC(2025, 9, day, 3, 10) / 1000 - offset + wobble);
  }
  return out;
}

test('a 03:10 Europe/Berlin job across the October DST change is tight in Berlin, not in UTC', () => {
  const exact = analyzeSchedule(spans(berlinNights(0)), { timeZone: 'Europe/Berlin' });
  assert.equal(exact.best?.label, '03:10 Europe/Berlin');
  assert.ok((exact.best?.sd ?? Infinity) < 1);

  const r = analyzeSchedule(spans(berlinNights(240)), { timeZone: 'Europe/Berlin' });
  const local = fit(r, DAY, 'Europe/Berlin');
  const utc = fit(r, DAY, 'UTC');
  assert.equal(local.tight, true);
  assert.ok(local.sd < 240, `local sd ${local.sd}`);
  // Half the nights at 01:10 UTC, half at 02:10 UTC: SD ≈ 30 min, over the 14.4 min tolerance.
  assert.equal(utc.tight, false);
  assert.ok(utc.sd > 25 * 60, `utc sd ${utc.sd}`);
  assert.equal(r.best?.zone, 'Europe/Berlin');
  assert.equal(r.best?.cycle, DAY);
  assert.ok(Math.abs((r.best?.phase ?? 0) - (3 * HOUR + 600)) < 120);
  // Both zones were tested for each cycle: 6 tests.
  assert.equal(r.tests, 6);
});
