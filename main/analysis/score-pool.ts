// Scores key-series batches on worker threads (score-worker.ts), one per core up to four, or
// in-process when the case is small (starting workers costs more than it saves) or workers
// cannot start. Results come back in submission order, so a scan is the same either way.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { scoreBatch, type KeyLevel, type ScoreContext, type Scored, type SeriesBatch } from './key-scoring.js';

export type ToWorker =
  | { type: 'init'; ctx: Omit<ScoreContext, 'awake'>; awake: [string, number[]][] }
  | { type: 'prevalence'; level: KeyLevel; entries: [string, number][] }
  | { type: 'batch'; seq: number; batch: SeriesBatch };

type FromWorker = { type: 'ready' } | { type: 'scored'; seq: number; scored: Scored[] } | { type: 'failed'; seq: number; message: string };

/** Below this many events a scan scores in-process (METRONOME_POOL_MIN_EVENTS overrides). */
export const POOL_MIN_EVENTS = 300_000;
/**
 * Events queued for the workers at most (~24 bytes each). Generous, so the scan finishes
 * reading from DuckDB early and runs its other SQL while the workers drain the queue.
 */
const MAX_QUEUED_EVENTS = 4_000_000;

export function poolMinEvents(): number {
  const v = process.env.METRONOME_POOL_MIN_EVENTS;
  return v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : POOL_MIN_EVENTS;
}

/** Workers to use: METRONOME_SCORE_WORKERS, else one per core (at most 4); 0 = in-process. */
export function workerCount(): number {
  const v = process.env.METRONOME_SCORE_WORKERS;
  if (v !== undefined && v !== '' && Number.isInteger(Number(v)) && Number(v) >= 0) return Number(v);
  return Math.min(4, availableParallelism());
}

export interface Scorer {
  /** Where keys are scored: on worker threads, or in this thread. */
  readonly kind: 'workers' | 'in-process';
  /** Level prevalence, set before that level's batches. */
  setPrevalence(level: KeyLevel, prevalence: Map<string, number>): void;
  /** Queues a batch; resolves once the batch may be released (there is room in flight). */
  submit(batch: SeriesBatch): Promise<void>;
  /** Every result, in submission order. */
  finish(): Promise<Scored[]>;
  close(): Promise<void>;
}

/** In-process scoring: the same code the workers run. */
class LocalScorer implements Scorer {
  readonly kind = 'in-process';
  private prevalence = new Map<KeyLevel, Map<string, number>>();
  private out: Scored[] = [];
  constructor(private ctx: ScoreContext) {}
  setPrevalence(level: KeyLevel, p: Map<string, number>): void {
    this.prevalence.set(level, p);
  }
  async submit(batch: SeriesBatch): Promise<void> {
    for (const s of scoreBatch(batch, this.prevalence.get(batch.level) ?? new Map(), this.ctx)) this.out.push(s);
  }
  async finish(): Promise<Scored[]> {
    return this.out;
  }
  async close(): Promise<void> {}
}

class PoolScorer implements Scorer {
  readonly kind = 'workers';
  private results: Scored[][] = [];
  private seq = 0;
  private inFlight = new Map<Worker, number>();
  /** Events sent and not yet scored, in all and per batch (by sequence number). */
  private queuedEvents = 0;
  private batchEvents = new Map<number, number>();
  private waiting: (() => void)[] = [];
  private pending = 0;
  private failure: Error | null = null;
  private drained: (() => void) | null = null;

  private constructor(private workers: Worker[]) {
    for (const w of workers) {
      this.inFlight.set(w, 0);
      w.on('message', (m: FromWorker) => {
        if (m.type === 'ready') return; // answered once, at start
        if (m.type === 'scored') this.results[m.seq] = m.scored;
        else if (m.type === 'failed') this.fail(new Error(`scoring worker failed: ${m.message}`));
        this.queuedEvents -= this.batchEvents.get(m.seq) ?? 0;
        this.batchEvents.delete(m.seq);
        this.inFlight.set(w, (this.inFlight.get(w) ?? 1) - 1);
        this.pending--;
        this.waiting.shift()?.();
        if (this.pending === 0) this.drained?.();
      });
      w.on('error', (e) => this.fail(e));
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const wake of this.waiting.splice(0)) wake();
    this.drained?.();
  }

  /** Starts the workers; null when they cannot start here (the caller scores in-process). */
  static async start(n: number, ctx: ScoreContext): Promise<PoolScorer | null> {
    const workers: Worker[] = [];
    try {
      const init: ToWorker = {
        type: 'init',
        ctx: { internalSources: ctx.internalSources, priors: ctx.priors, timeZone: ctx.timeZone },
        awake: [...ctx.awake].map(([src, hours]) => [src, [...hours]]),
      };
      for (let k = 0; k < n; k++) workers.push(new Worker(new URL('./score-worker.js', import.meta.url)));
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              const timer = setTimeout(() => reject(new Error('scoring worker did not start')), 10_000);
              w.once('message', () => {
                clearTimeout(timer);
                resolve();
              });
              w.once('error', reject);
              w.postMessage(init);
            }),
        ),
      );
      return new PoolScorer(workers);
    } catch {
      await Promise.all(workers.map((w) => w.terminate()));
      return null;
    }
  }

  setPrevalence(level: KeyLevel, p: Map<string, number>): void {
    const m: ToWorker = { type: 'prevalence', level, entries: [...p] };
    for (const w of this.workers) w.postMessage(m);
  }

  async submit(batch: SeriesBatch): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      // The least busy worker takes it, unless the queue is full (one batch always goes).
      let best: Worker | null = null;
      for (const w of this.workers) if (best === null || (this.inFlight.get(w) ?? 0) < (this.inFlight.get(best) ?? 0)) best = w;
      if (best && (this.pending === 0 || this.queuedEvents + batch.t.length <= MAX_QUEUED_EVENTS)) {
        this.inFlight.set(best, (this.inFlight.get(best) ?? 0) + 1);
        this.pending++;
        this.queuedEvents += batch.t.length;
        this.batchEvents.set(this.seq, batch.t.length);
        const m: ToWorker = { type: 'batch', seq: this.seq++, batch };
        best.postMessage(m, [batch.offsets, batch.lengths, batch.t, batch.o, batch.i].map((a) => a.buffer as ArrayBuffer));
        return;
      }
      await new Promise<void>((wake) => this.waiting.push(wake));
    }
  }

  async finish(): Promise<Scored[]> {
    if (this.pending > 0 && !this.failure) await new Promise<void>((done) => (this.drained = done));
    if (this.failure) throw this.failure;
    return this.results.flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** A scorer for a scan of `events` events: workers when it is large and they start, else local. */
export async function openScorer(events: number, ctx: ScoreContext): Promise<Scorer> {
  const n = workerCount();
  if (n > 0 && events >= poolMinEvents()) {
    const pool = await PoolScorer.start(n, ctx);
    if (pool) return pool;
  }
  return new LocalScorer(ctx);
}
