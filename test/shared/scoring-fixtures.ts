// Seeded synthetic traffic for the scoring tests: beacons with jitter, missed beats and bursts,
// Poisson arrivals, bursty browsing, daily jobs. Seeded so every run sees the same events.

/** mulberry32: a tiny, good-enough 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 2025-05-05 00:00:00 UTC, a Monday and a whole hour (hour index 485 112). */
export const MONDAY = 1_746_403_200;
export const HOUR = 3600;
export const DAY = 86_400;

export interface BeaconSpec {
  period: number;
  /** Stop after this many check-ins... */
  count?: number;
  /** ...or after this many seconds. */
  span?: number;
  /** Jitter share J, and how it is applied: Cobalt Strike shortens only, others go both ways. */
  jitter?: number;
  mode?: 'one-sided' | 'symmetric';
  /** Probability that a beat is skipped. */
  miss?: number;
  /** Extra connections per check-in: up to this many, 0.05–2 s apart. */
  burst?: number;
  start?: number;
  seed?: number;
}

/** Connection start times of a beacon. */
export function beacon(spec: BeaconSpec): number[] {
  const rnd = mulberry32(spec.seed ?? 1);
  const { period, jitter = 0, mode = 'one-sided', miss = 0, burst = 0 } = spec;
  const start = spec.start ?? MONDAY + 123.25;
  const end = spec.span === undefined ? Infinity : start + spec.span;
  const times: number[] = [];
  let checkins = 0;
  let t = start;
  while (t < end && (spec.count === undefined || checkins < spec.count)) {
    if (rnd() >= miss) {
      times.push(t);
      checkins++;
      const extra = burst > 0 ? 1 + Math.floor(rnd() * burst) : 0;
      let u = t;
      for (let i = 0; i < extra; i++) {
        u += 0.05 + rnd() * 1.95;
        times.push(u);
      }
    }
    const r = rnd();
    t += mode === 'one-sided' ? period * (1 - jitter * r) : period * (1 + jitter * (2 * r - 1));
  }
  return times;
}

/** Poisson arrivals: exponential gaps of the given mean. */
export function poisson(mean: number, count: number, seed: number, start = MONDAY): number[] {
  const rnd = mulberry32(seed);
  const times: number[] = [];
  let t = start;
  for (let i = 0; i < count; i++) {
    t += -mean * Math.log(1 - rnd());
    times.push(t);
  }
  return times;
}

/**
 * Bursty browsing: idle spells (exponential, mean 30 min), then sessions of ~8 page loads; each
 * page opens 1–10 connections within half a second, and the user reads for a heavy-tailed
 * (log-normal, median 20 s, σ = 1.2) time before the next page.
 */
export function browsing(span: number, seed: number, start = MONDAY): number[] {
  const rnd = mulberry32(seed);
  const times: number[] = [];
  let t = start;
  while (t < start + span) {
    t += -1800 * Math.log(1 - rnd());
    const pages = 1 + Math.floor(-8 * Math.log(1 - rnd()));
    for (let p = 0; p < pages; p++) {
      const conns = 1 + Math.floor(rnd() * 10);
      for (let i = 0; i < conns; i++) times.push(t + rnd() * 0.5);
      const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
      t += 2 + Math.exp(Math.log(20) + 1.2 * z);
    }
  }
  return times;
}

/** A daily job at hh:mm UTC ± `spread` seconds (uniform) on the given day offsets from `start`. */
export function daily(days: number[], seed: number, hh = 3, mm = 10, spread = 240, start = MONDAY): number[] {
  const rnd = mulberry32(seed);
  return days.map((d) => start + d * DAY + hh * HOUR + mm * 60 + (2 * rnd() - 1) * spread);
}

/** Hour indices floor(t / 3600) of the given times: the hours a host was seen awake. */
export function hoursOf(times: readonly number[]): Set<number> {
  return new Set(times.map((t) => Math.floor(t / HOUR)));
}
