// A scoring worker (worker_threads): the scan streams key series from DuckDB on the main thread
// and hands batches to these workers, so scoring uses every core while JS is single-threaded.
// Messages: init (context), prevalence (per key level), batch (score it, reply with Scored[]).
import { parentPort } from 'node:worker_threads';
import { scoreBatch, type KeyLevel, type ScoreContext, type SeriesBatch } from './key-scoring.js';
import type { ToWorker } from './score-pool.js';

if (!parentPort) throw new Error('score-worker runs as a worker thread');
const port = parentPort;
let ctx: ScoreContext | null = null;
const prevalence = new Map<KeyLevel, Map<string, number>>();

port.on('message', (m: ToWorker) => {
  if (m.type === 'init') {
    ctx = { ...m.ctx, awake: new Map(m.awake.map(([src, hours]) => [src, new Set(hours)])) };
    port.postMessage({ type: 'ready' });
  } else if (m.type === 'prevalence') {
    prevalence.set(m.level, new Map(m.entries));
  } else {
    try {
      if (!ctx) throw new Error('score-worker: batch before init');
      const scored = scoreBatch(m.batch as SeriesBatch, prevalence.get(m.batch.level) ?? new Map(), ctx);
      port.postMessage({ type: 'scored', seq: m.seq, scored });
    } catch (e) {
      port.postMessage({ type: 'failed', seq: m.seq, message: (e as Error).stack ?? String(e) });
    }
  }
});
