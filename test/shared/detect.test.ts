// End to end for one key: episodes → period → schedule → size → fusion, on seeded scenarios
// with known ground truth, plus the input edge cases of scoreKey.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { scoreKey, type KeyContext, type KeyInput, type KeyScore } from '../../shared/scoring/detect.js';
import { Z95 } from '../../shared/scoring/stats.js';
import { beacon, browsing, daily, DAY, HOUR, hoursOf, MONDAY, mulberry32, poisson } from './scoring-fixtures.js';

const B = MONDAY;

/** A key with ~300 B out / ~1.2 kB in per connection (seeded noise), outbound by default. */
function key(times: number[], extra: Partial<KeyInput> = {}, context: Partial<KeyContext> = {}): KeyInput {
  const rnd = mulberry32(99);
  return {
    times,
    bytesOut: times.map(() => 300 + Math.floor(rnd() * 10)),
    bytesIn: times.map(() => 1200 + Math.floor(rnd() * 50)),
    context: { direction: 'outbound', ...context },
    ...extra,
  };
}

function score(input: KeyInput): KeyScore {
  const s = scoreKey(input);
  assert.ok(s, 'expected a score');
  return s;
}

const near = (x: number | null, target: number, rel: number) => x !== null && Math.abs(x / target - 1) <= rel;

test('60 s beacon with 30 % jitter over 2 days scores > 0.9', () => {
  const s = score(key(beacon({ period: 60, span: 2 * DAY, jitter: 0.3, seed: 1 })));
  assert.ok(s.score > 0.9, `score ${s.score}`);
  assert.equal(s.category, 'beacon');
  assert.ok(near(s.period, 51, 0.03), `period ${s.period}`); // mean sleep of U[42, 60]
  assert.equal(s.reasons[0].feature, 'timing');
  assert.match(s.reasons[0].text, /^timing: \d+ of \d+ intervals fit 5\d\.\d s ± 1\d %/);
});

test('60 s beacons: no jitter, 50 % one-sided, 50 % symmetric, 30 % missed beats, bursts', () => {
  const cases: [string, number[], number][] = [
    ['no jitter', beacon({ period: 60, span: 2 * DAY, seed: 2 }), 60],
    ['50 % one-sided', beacon({ period: 60, span: 2 * DAY, jitter: 0.5, seed: 3 }), 45],
    ['50 % symmetric', beacon({ period: 60, span: 2 * DAY, jitter: 0.5, mode: 'symmetric', seed: 4 }), 60],
    ['30 % missed', beacon({ period: 60, span: 2 * DAY, miss: 0.3, seed: 5 }), 60],
    ['30 % missed + 30 % jitter', beacon({ period: 60, span: 2 * DAY, miss: 0.3, jitter: 0.3, seed: 6 }), 51],
    ['bursts of 2–3', beacon({ period: 60, span: 2 * DAY, burst: 2, seed: 7 }), 60],
    ['bursts + 30 % jitter', beacon({ period: 60, span: 2 * DAY, burst: 2, jitter: 0.3, seed: 8 }), 51],
  ];
  for (const [name, times, period] of cases) {
    const s = score(key(times));
    assert.ok(s.score > 0.9, `${name}: score ${s.score}`);
    assert.equal(s.category, 'beacon', name);
    assert.ok(near(s.period, period, 0.06), `${name}: period ${s.period}`);
  }
});

test('bursts merge into check-ins: connections > check-ins, one per beat', () => {
  const times = beacon({ period: 60, count: 500, burst: 2, seed: 9 });
  const s = score(key(times));
  assert.equal(s.checkins, 500);
  assert.equal(s.connections, times.length);
  assert.ok(s.mergeWindow > 2 && s.mergeWindow <= 5);
});

test('fast beacons stay un-merged: 2.2 s (297 events) and 3.5 s', () => {
  const fast = score(key(beacon({ period: 2.2, count: 297, seed: 10 })));
  assert.equal(fast.checkins, 297);
  assert.ok(near(fast.period, 2.2, 1e-6), `period ${fast.period}`);
  assert.ok(fast.score > 0.9);
  assert.equal(fast.category, 'beacon');
  const slower = score(key(beacon({ period: 3.5, count: 300, jitter: 0.1, mode: 'symmetric', seed: 11 })));
  assert.equal(slower.checkins, 300);
  assert.ok(near(slower.period, 3.5, 0.02), `period ${slower.period}`);
  assert.ok(slower.score > 0.9);
});

test('hourly and 4-hourly beacons', () => {
  const hourly = score(key(beacon({ period: HOUR, span: 3 * DAY, jitter: 0.1, mode: 'symmetric', seed: 12 })));
  assert.ok(hourly.score > 0.9, `hourly ${hourly.score}`);
  assert.equal(hourly.category, 'beacon');
  assert.ok(near(hourly.period, HOUR, 0.03));
  const four = score(key(beacon({ period: 4 * HOUR, span: 7 * DAY, jitter: 0.2, mode: 'symmetric', seed: 13 })));
  assert.ok(four.score > 0.9, `4-hourly ${four.score}`);
  assert.ok(near(four.period, 4 * HOUR, 0.05));
  // Zero jitter: clock-aligned in the hour too, but still a beacon with its own period.
  const exact = score(key(beacon({ period: 4 * HOUR, span: 7 * DAY, seed: 14 })));
  assert.equal(exact.category, 'beacon');
  assert.equal(exact.period, 4 * HOUR);
});

test('an hourly check-in of 3 connections 10 s apart is hourly, not a 10 s rhythm', () => {
  const times: number[] = [];
  for (let i = 0; i < 72; i++) times.push(B + i * HOUR + 17, B + i * HOUR + 27, B + i * HOUR + 37);
  const s = score(key(times));
  assert.equal(s.period, HOUR);
  assert.equal(s.checkins, 72);
  assert.equal(s.mergeWindow, 30); // min(30 s, 5 % of 1 h)
  assert.ok(s.score > 0.9);
});

test('a sleeping laptop (beacon 08:00–18:00) with its awake hours is not penalised', () => {
  const times: number[] = [];
  for (let d = 0; d < 5; d++) {
    times.push(...beacon({ period: 60, span: 10 * HOUR, jitter: 0.3, start: B + d * DAY + 8 * HOUR + 17.5, seed: 30 + d }));
  }
  const masked = score(key(times, { awakeHours: hoursOf(times) }));
  const open = score(key(times));
  // The always-on version of the same beacon, for comparison.
  const allDay = score(key(beacon({ period: 60, span: 5 * DAY, jitter: 0.3, seed: 30 })));
  assert.ok(masked.score > 0.9, `masked ${masked.score}`);
  assert.ok(masked.score >= open.score);
  assert.ok(masked.score >= allDay.score - 0.005, `masked ${masked.score} vs all day ${allDay.score}`);
  assert.equal(masked.timing?.maskedGaps, 4);
  assert.ok((masked.reasons.find((r) => r.feature === 'coverage')?.contribution ?? 0) >= 0.5);
  assert.equal(masked.category, 'beacon'); // it starts at 08:00 daily, but that is no schedule
});

test('Poisson arrivals score < 0.2', () => {
  for (const [mean, count] of [
    [10, 3000],
    [60, 2880],
    [600, 1000],
    [2 * HOUR, 200],
  ]) {
    for (let seed = 1; seed <= 3; seed++) {
      const s = score(key(poisson(mean, count, seed * 31 + mean)));
      assert.ok(s.score < 0.2, `mean ${mean} seed ${seed}: ${s.score}`);
      assert.equal(s.gated, false, `mean ${mean} seed ${seed}`);
    }
  }
});

test('bursty browsing scores < 0.2', () => {
  for (let seed = 1; seed <= 5; seed++) {
    const s = score(key(browsing(2 * DAY, seed)));
    assert.ok(s.score < 0.2, `seed ${seed}: ${s.score}`);
  }
});

test('4 regular check-ins score clearly lower than 400 of the same quality', () => {
  const few = score(key(beacon({ period: 60, count: 4 })));
  const many = score(key(beacon({ period: 60, count: 400 })));
  assert.ok(many.score > 0.99, `400: ${many.score}`);
  assert.ok(few.score < many.score - 0.3, `4: ${few.score} vs 400: ${many.score}`);
});

test('exactly 4 events 60 s apart: the score by hand', () => {
  // Period test (see period.test.ts): regularity 3/(3 + z²) = 0.5258, adjusted p = 40 · p0³ with
  // p0 = e^−0.95 − e^−1.05 → strength = ((0.5258 − 0.3)/0.6) · (−log10 p/4) = 0.254 → timing
  // 6.5 · 0.254 = 1.65. Coverage 1 → +0.5. Sizes 300–309 B: uniform, 4 of 10 episodes → 0.24.
  // Outbound +1. logit = −3 + 1.65 + 0.5 + 0.24 + 1 = 0.39 → score σ(0.39) = 0.596.
  const p0 = Math.exp(-0.95) - Math.exp(-1.05);
  const regularity = 3 / (3 + Z95 * Z95);
  const strength = ((regularity - 0.3) / 0.6) * (-Math.log10(40 * p0 ** 3) / 4);
  const timing = Math.round(6.5 * strength * 100) / 100;
  assert.equal(timing, 1.65);
  const s = score(key([B, B + 60, B + 120, B + 180]));
  assert.deepEqual(
    s.reasons.map((r) => [r.feature, r.contribution]),
    [
      ['timing', 1.65],
      ['direction', 1],
      ['coverage', 0.5],
      ['size', 0.24],
    ],
  );
  assert.equal(s.logit, 0.39);
  assert.equal(s.score, Math.round(1000 / (1 + Math.exp(-0.39))) / 1000);
  assert.equal(s.score, 0.596);
  assert.equal(s.period, 60);
  assert.equal(s.firstSeen, B);
  assert.equal(s.lastSeen, B + 180);
});

test('a daily job at 03:10 ± 4 min on 3 nights is a scheduled transfer > 0.6', () => {
  const s = score(key(daily([0, 1, 2], 40)));
  assert.equal(s.category, 'scheduled-transfer');
  assert.equal(s.period, DAY);
  assert.ok(s.score > 0.6, `score ${s.score}`);
  assert.equal(s.timing, null); // 2 gaps: too few for the renewal test
  assert.match(s.reasons.find((r) => r.feature === 'schedule')?.text ?? '', /^schedule: 3 starts at 03:(0[6-9]|1[0-4]) UTC/);
  // The same, moving 50 MB out each night: possible exfiltration.
  const exfil = score(key(daily([0, 1, 2], 40), { bytesOut: [50e6, 50e6, 50e6], bytesIn: [2000, 2000, 2000] }));
  assert.equal(exfil.exfil, true);
  assert.ok(exfil.score > s.score);
});

test('a daily job on 5 of 7 nights is still a scheduled transfer', () => {
  const s = score(key(daily([0, 1, 3, 4, 6], 41)));
  assert.equal(s.category, 'scheduled-transfer');
  assert.equal(s.period, DAY);
  assert.ok(s.score > 0.6, `score ${s.score}`);
});

test('a nightly transfer of 5 connections 6 s apart is one scheduled transfer, not a 6 s beacon', () => {
  const times: number[] = [];
  for (let d = 0; d < 7; d++) for (let j = 0; j < 5; j++) times.push(B + d * DAY + 3 * HOUR + 600 + 6 * j);
  const s = score(key(times));
  assert.equal(s.category, 'scheduled-transfer');
  assert.equal(s.checkins, 7);
  assert.equal(s.period, DAY);
});

test('a 03:10 Europe/Berlin job across the October DST change is found on the Berlin clock', () => {
  const times: number[] = [];
  for (let day = 21; day <= 30; day++) {
    const offset = day <= 25 ? 7200 : 3600;
    times.push(Date.UTC(2025, 9, day, 3, 10) / 1000 - offset + 200 * Math.sin(day));
  }
  const s = score(key(times, { timeZone: 'Europe/Berlin' }));
  assert.equal(s.category, 'scheduled-transfer');
  assert.equal(s.schedule.best?.zone, 'Europe/Berlin');
  assert.match(s.reasons.find((r) => r.feature === 'schedule')?.text ?? '', /03:1\d Europe\/Berlin/);
  // Without the zone, UTC alone sees two clusters an hour apart: no daily schedule.
  const utc = score(key(times));
  assert.ok(utc.schedule.best === null || utc.schedule.best.cycle !== DAY);
});

test('internal pairs still score (lab C2 between private addresses)', () => {
  const s = score(key(beacon({ period: 60, span: 2 * DAY, jitter: 0.3, seed: 15 }), {}, { direction: 'internal' }));
  assert.ok(s.score > 0.9, `internal ${s.score}`);
  assert.equal(s.reasons.find((r) => r.feature === 'direction')?.contribution, 0.3);
});

test('edge cases: too few check-ins, mismatched arrays, unsorted input, duplicates, null bytes', () => {
  assert.equal(scoreKey(key([B, B + 60])), null);
  assert.equal(scoreKey(key([B, B, B + 60, B + 60])), null); // duplicates: 2 check-ins
  assert.throws(() => scoreKey({ ...key([B, B + 60, B + 120]), bytesIn: [1] }), RangeError);

  const times = beacon({ period: 60, count: 200, jitter: 0.3, seed: 16 });
  const sorted = score(key(times));
  const shuffled = times.map((t, i) => [t, i] as const).sort((a, b) => ((a[1] * 7919) % 200) - ((b[1] * 7919) % 200));
  const rnd = mulberry32(99);
  const bytesOut = times.map(() => 300 + Math.floor(rnd() * 10));
  const bytesIn = times.map(() => 1200 + Math.floor(rnd() * 50));
  const unsorted = score({
    times: shuffled.map(([t]) => t),
    bytesOut: shuffled.map(([, i]) => bytesOut[i]),
    bytesIn: shuffled.map(([, i]) => bytesIn[i]),
    context: { direction: 'outbound' },
  });
  assert.deepEqual(unsorted, sorted);

  // Every connection logged twice (identical timestamps): same check-ins, twice the connections.
  const doubled = score(key([...times, ...times]));
  assert.equal(doubled.checkins, sorted.checkins);
  assert.equal(doubled.connections, 2 * times.length);
  assert.equal(doubled.period, sorted.period);

  // Unknown byte counts: no size evidence, totals null, timing unaffected.
  const blind = score({ times, bytesOut: times.map(() => null), bytesIn: times.map(() => null), context: { direction: 'outbound' } });
  assert.equal(blind.bytesOut, null);
  assert.equal(blind.bytesIn, null);
  assert.equal(blind.reasons.find((r) => r.feature === 'size'), undefined);
  assert.equal(blind.period, sorted.period);
  assert.ok(blind.score > 0.9);

  // A non-finite time is dropped, not fatal.
  const withNaN = score(key([...times, NaN]));
  assert.equal(withNaN.connections, times.length);
});

test('real-data regressions: a burst of parallel connections is not a beacon; a sub-harmonic reads at the real period', async () => {
  const { scoreKey } = await import('../../shared/scoring/detect.js');
  const { analyzePeriod } = await import('../../shared/scoring/period.js');
  // samples/njrat: 8 connections to 52.0.95.231:80 within 0.19 s (a browser's parallel fetches).
  const burst = [302.844132, 302.844344, 302.844635, 302.844778, 302.844976, 302.845136, 302.845333, 303.031198];
  const k = scoreKey({ times: burst, bytesOut: burst.map(() => 100), bytesIn: burst.map(() => 0), context: { direction: 'outbound' } });
  assert.ok(k === null || k.score < 0.2, `burst scored ${k?.score}`);
  // stratosphere/003 AndroidTester: the last 7 connections ≈ 22 s apart; P/2 fits the same gaps.
  const t = [1596790919.196922, 1596792830.21877, 1596792987.270459, 1596793111.992294, 1596793227.918058, 1596795212.465764,
    1596795232.905696, 1596795253.939548, 1596795275.625247, 1596795297.649778, 1596795319.922989, 1596795342.716714];
  const r = analyzePeriod(t);
  assert.ok(r && r.period > 21 && r.period < 23, `period ${r?.period}`);
});
