// Large scans score keys on worker threads (score-pool.ts); small ones in-process. Both must
// give the same findings, in the same order, with the same reasons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionRows, Engine } from '../../main/api/engine.js';
import { generateScenario } from '../../main/generate/generate.js';
import { loadScenario } from '../../main/generate/scenario.js';
import { REAL, SAMPLE } from '../helpers.js';

async function findings(paths: string[], pool: boolean) {
  process.env.METRONOME_POOL_MIN_EVENTS = pool ? '0' : String(Number.MAX_SAFE_INTEGER);
  process.env.METRONOME_SCORE_WORKERS = pool ? '2' : '0';
  try {
    const e = await Engine.open();
    await e.import(paths);
    const r = await e.scan(true);
    e.close();
    return r.findings.map((f) => JSON.stringify(f));
  } finally {
    delete process.env.METRONOME_POOL_MIN_EVENTS;
    delete process.env.METRONOME_SCORE_WORKERS;
  }
}

test('worker-thread scoring gives the same findings as in-process scoring (NjRAT sample)', async () => {
  const inProcess = await findings([SAMPLE], false);
  assert.ok(inProcess.length > 0);
  assert.deepEqual(await findings([SAMPLE], true), inProcess);
});

test('worker-thread scoring gives the same findings on names, HTTP and DNS keys (rita proxy)', async () => {
  const dir = join(REAL, 'rita/proxy');
  const inProcess = await findings([dir], false);
  assert.ok(inProcess.length > 10);
  assert.deepEqual(await findings([dir], true), inProcess);
});

test('worker-thread scoring on a generated scenario with fleets', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metronome-pool-'));
  try {
    const g = await generateScenario({ scenario: loadScenario('noisy-office'), seed: 1, out: dir, formats: ['zeek-tsv'] });
    const inProcess = await findings([g.dirs['zeek-tsv'] as string], false);
    assert.ok(inProcess.some((f) => f.includes('fleet-schedule')));
    assert.deepEqual(await findings([g.dirs['zeek-tsv'] as string], true), inProcess);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty case scans to no findings (nothing to classify, nothing to score)', async () => {
  const e = await Engine.open();
  const r = (await e.handle('scan', { all: true, top: 10 })) as { findings: unknown[]; total?: number };
  e.close();
  assert.deepEqual(r.findings, []);
  assert.equal(r.total, 0);
});

test('key series read in partitions of sources give the same findings (names, HTTP, DNS)', async () => {
  const dir = join(REAL, 'rita/proxy');
  const whole = await findings([dir], false);
  process.env.METRONOME_PARTITION_EVENTS = '500';
  try {
    assert.deepEqual(await findings([dir], true), whole);
  } finally {
    delete process.env.METRONOME_PARTITION_EVENTS;
  }
});

test('pair detail rows through DuckDB JSON equal the rows read one by one', async () => {
  const e = await Engine.open();
  await e.import([SAMPLE, join(REAL, 'rita/proxy')]);
  const scan = await e.scan(true);
  const { sql } = await import('../../main/analysis/sql.js');
  const { listValue } = await import('@duckdb/node-api');
  for (const f of scan.findings.filter((x) => x.keyLevel).slice(0, 8)) {
    const params = {
      event_type: f.eventType, srcs: listValue(f.src === '*' ? f.hosts ?? [] : [f.src]), level: f.keyLevel ?? 'ip',
      dst: f.dst, port: f.port ?? null, proto: f.proto ?? null, limit: 50_000,
    };
    const a = await connectionRows(e.db, sql('finding-events'), params, true);
    const b = await connectionRows(e.db, sql('finding-events'), params, false);
    assert.deepEqual(a, b);
    assert.ok(a.rows.length > 0);
  }
  e.close();
});

test('a large scan really scores on worker threads, and they give what in-process scoring gives', async () => {
  const { openScorer } = await import('../../main/analysis/score-pool.js');
  const { loadPriors } = await import('../../main/analysis/priors.js');
  // Two keys: a 60 s beacon with 1 % jitter, and irregular traffic.
  const n = 200;
  const t = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    t[i] = 1_700_000_000 + i * 60 + ((i * 7919) % 100) / 100 - 0.5;
    t[n + i] = 1_700_000_000 + ((i * i * 104_729) % 86_400);
  }
  const meta = (dst: string) => ({
    src_ip: '10.0.0.5', dst_key: `${dst}|443|tcp`, src_internal: true, dst_internal: false, n: BigInt(n),
    dst_ip: dst, dst_port: 443, proto: 'tcp', top_name: null, named: 0n, user_agents: null,
  });
  const batch = () => ({
    level: 'ip' as const, eventType: 'connection' as const, metas: [meta('203.0.113.7'), meta('198.51.100.9')],
    offsets: Int32Array.from([0, n]), lengths: Int32Array.from([n, n]),
    t: t.slice(), o: new Float64Array(2 * n).fill(300), i: new Float64Array(2 * n).fill(1200),
  });
  const ctx = { awake: new Map<string, Set<number>>(), internalSources: 10, priors: loadPriors() };
  const run = async (workers: string) => {
    process.env.METRONOME_SCORE_WORKERS = workers;
    try {
      const s = await openScorer(10_000_000, ctx);
      s.setPrevalence('ip', new Map());
      await s.submit(batch());
      const out = await s.finish();
      await s.close();
      return { kind: s.kind, out };
    } finally {
      delete process.env.METRONOME_SCORE_WORKERS;
    }
  };
  const pool = await run('2');
  const local = await run('0');
  assert.equal(pool.kind, 'workers');
  assert.equal(local.kind, 'in-process');
  assert.deepEqual(pool.out, local.out);
  assert.equal(pool.out.length, 2);
  assert.ok(pool.out[0].score.period !== null && Math.abs(pool.out[0].score.period - 60) < 1, `period ${pool.out[0].score.period}`);
});
