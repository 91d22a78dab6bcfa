// Seeded pseudo-random numbers for the ground-truth generator: xoshiro128** seeded through
// splitmix32, so the same seed gives the same traffic on every platform and Node version (no
// Math.random, no floating-point state beyond IEEE doubles). `fork(label)` derives an independent
// stream per source/host, so adding a source to a scenario does not change the others' traffic.

/** 32-bit FNV-1a of a string, mixed with a seed: labels → stream seeds. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final avalanche (murmur3 fmix32) so similar labels give unrelated seeds.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const TWO32 = 4294967296;

/** A distribution as scenario files write it: a constant or `{ "uniform": [a, b] }` etc. */
export type Dist =
  | number
  | { uniform: [number, number] }
  | { normal: [number, number] }
  | { lognormal: [number, number] }
  | { exponential: number }
  | { choice: number[] };

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    const st = { s: this.seed };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** An independent stream named by a label (same seed + label → same stream). */
  fork(label: string): Rng {
    return new Rng(hash32(label, this.seed));
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 bits of resolution. */
  float(): number {
    const hi = this.u32() >>> 5; // 27 bits
    const lo = this.u32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [0, 1) with 32 bits (faster; for bulk work). */
  fast(): number {
    return this.u32() / TWO32;
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  bernoulli(p: number): boolean {
    return p > 0 && this.float() < p;
  }

  normal(mean = 0, sd = 1): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return mean + sd * s;
    }
    let u = 0;
    while (u === 0) u = this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** Log-normal given its median and the sigma of the underlying normal. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 50) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.float();
    } while (p > l);
    return k - 1;
  }

  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('choice from an empty list');
    return items[Math.floor(this.float() * items.length)];
  }

  /** Index drawn with probability proportional to weights. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** `n` lowercase hex characters. */
  hex(n: number): string {
    let s = '';
    while (s.length < n) s += this.u32().toString(16).padStart(8, '0');
    return s.slice(0, n);
  }

  /** A sample of a scenario distribution. */
  sample(d: Dist): number {
    if (typeof d === 'number') return d;
    if ('uniform' in d) return this.uniform(d.uniform[0], d.uniform[1]);
    if ('normal' in d) return this.normal(d.normal[0], d.normal[1]);
    if ('lognormal' in d) return this.lognormal(d.lognormal[0], d.lognormal[1]);
    if ('exponential' in d) return this.exponential(d.exponential);
    if ('choice' in d) return this.choice(d.choice);
    throw new Error(`unknown distribution ${JSON.stringify(d)}`);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Checks a distribution from a scenario file; returns an error message or null. */
export function distError(d: unknown): string | null {
  if (typeof d === 'number') return Number.isFinite(d) ? null : 'not a finite number';
  if (typeof d !== 'object' || d === null) return 'must be a number or a distribution object';
  const o = d as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 1) return 'a distribution object has exactly one key (uniform, normal, lognormal, exponential, choice)';
  const pair = (v: unknown) => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  switch (keys[0]) {
    case 'uniform':
    case 'normal':
    case 'lognormal':
      return pair(o[keys[0]]) ? null : `${keys[0]} takes [a, b]`;
    case 'exponential':
      return typeof o.exponential === 'number' && o.exponential > 0 ? null : 'exponential takes a positive mean';
    case 'choice':
      return Array.isArray(o.choice) && o.choice.length > 0 && o.choice.every((x) => typeof x === 'number')
        ? null
        : 'choice takes a non-empty list of numbers';
    default:
      return `unknown distribution "${keys[0]}"`;
  }
}

/**
 * Zipf-like popularity over n items (weight 1/(rank+1)^s): a sampler using a cumulative table
 * and binary search, for heavy-tailed destinations.
 */
export class Zipf {
  private readonly cum: Float64Array;

  constructor(readonly n: number, s: number) {
    this.cum = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += 1 / Math.pow(i + 1, s);
      this.cum[i] = acc;
    }
    for (let i = 0; i < n; i++) this.cum[i] /= acc;
  }

  /** Rank in [0, n) for a uniform u in [0, 1). */
  index(u: number): number {
    const c = this.cum;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
