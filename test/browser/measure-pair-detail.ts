// Measurement (not a timed test): how long the engine takes to answer the pair-detail requests
// for a pair with 50 000 connections. Run after a build:
//   node dist/test/browser/measure-pair-detail.js [connections]
// Prints one JSON object. The browser-side figure (click → every chart drawn) is measured by
// test/browser/scale.test.ts and printed there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../main/api/engine.js';
import { writeBeaconLog } from './fixtures.js';

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, Math.round(performance.now() - t0)];
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 50_000);
  const dir = mkdtempSync(join(tmpdir(), 'metronome-measure-'));
  try {
    const log = join(dir, 'conn.log');
    const planted = writeBeaconLog(log, { beacon: n, period: 60, jitter: 0.2, noise: 20_000, start: Date.parse('2025-05-06T00:00:00Z') / 1000 });
    const engine = await Engine.open({ threads: 2 });
    const [, importMs] = await time(() => engine.import([log]));
    const [scan, scanMs] = await time(() => engine.handle('scan', {}) as Promise<{ findings: { id: string; src: string; dst: string; connections: number }[] }>);
    const f = scan.findings.find((x) => x.src === planted.src && x.dst === planted.dst);
    if (!f) throw new Error('planted beacon not found');
    const [series, firstMs] = await time(() => engine.handle('pairSeries', { id: f.id, width: 1200 }) as Promise<{ mode: string; inRange: number; bins: unknown[] }>);
    const [, recordsMs] = await time(() => engine.handle('pairRecords', { id: f.id, kind: 'connections', limit: 200 }));
    const [, dnsMs] = await time(() => engine.handle('pairRecords', { id: f.id, kind: 'dns', limit: 200 }));
    const [, againMs] = await time(() => engine.handle('pairSeries', { id: f.id, width: 1200, zone: 'Europe/Berlin', intervalScale: 'log' }));
    const s = series as unknown as { extent: [number, number] };
    const mid = (s.extent[0] + s.extent[1]) / 2;
    const [brushed, brushMs] = await time(
      () => engine.handle('pairSeries', { id: f.id, width: 1200, from: mid, to: mid + 86_400_000 }) as Promise<{ mode: string; inRange: number }>,
    );
    engine.close();
    process.stdout.write(
      `${JSON.stringify({
        connections: f.connections,
        importMs,
        scanMs,
        pairSeriesFirstOpenMs: firstMs,
        pairSeriesMode: series.mode,
        bins: series.bins.length,
        pairRecordsMs: recordsMs,
        relatedDnsMs: dnsMs,
        pairSeriesOtherZoneLogScaleMs: againMs,
        brushedOneDayMs: brushMs,
        brushedMode: brushed.mode,
        brushedEvents: brushed.inRange,
      })}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
