// The DuckDB-native TSV path (zeek-tsv-sql.ts) must load exactly what the streaming reader
// loads: same rows, same values, same rejected lines; and decline the files it cannot take.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EDGE, load, REAL, SAMPLE } from '../helpers.js';
import { COUNTED_TABLES } from '../../shared/schema.js';

const FILES = [
  SAMPLE,
  join(REAL, 'rita/proxy/conn.log'),
  join(REAL, 'rita/proxy/dns.log'),
  join(REAL, 'rita/proxy/http.log'),
  join(REAL, 'rita/proxy/ssl.log'),
  join(REAL, 'rita/proxy_rolling/conn.16:00:00-17:00:00.log.gz'),
  join(REAL, 'rita/dnscat2-ja3-strobe-agent/http.log.gz'),
  join(REAL, 'rita/truncated/conn.log'),
  join(REAL, 'rita/open_conns/open/open_conn.log'),
  join(REAL, 'zat/http.log.corrupt.gz'),
  join(REAL, 'zat/ssl.log'),
  join(REAL, 'slips/test10-mixed-zeek-dir/conn.log'),
  join(EDGE, 'truncated-last-line.log'),
  join(EDGE, 'trailing-tab.log'),
  join(EDGE, 'crlf-conn.log'),
  join(EDGE, 'concatenated-blocks.log'),
  join(EDGE, 'empty-unset-escaped-ssl.log'),
  join(EDGE, 'vendor-extra-columns.log'),
  join(EDGE, 'misnamed-tsv.json.gz'),
];

const took = new Map<string, boolean>();

async function snapshot(path: string, bulk: boolean) {
  process.env.METRONOME_BULK_MIN_BYTES = bulk ? '0' : String(Number.MAX_SAFE_INTEGER);
  try {
    const { engine, report } = await load(path);
    const tables: Record<string, string> = {};
    for (const t of COUNTED_TABLES) {
      // Every value of every row, order-independent, file_id aside.
      const [r] = await engine.db.all<{ h: bigint | null; n: bigint }>(
        `SELECT sum(hash(x)::HUGEINT)::VARCHAR AS h, count(*) AS n FROM (SELECT * EXCLUDE (file_id) FROM ${t}) x`,
      );
      tables[t] = `${r.n}:${r.h}`;
    }
    engine.close();
    const f = report.files[0];
    if (bulk) took.set(path, /DuckDB/.test(f.how ?? ''));
    return { tables, rows: f.rows, rejected: f.rejected, errors: f.errors, warnings: f.warnings.filter((w) => !/already in the case/.test(w)) };
  } finally {
    delete process.env.METRONOME_BULK_MIN_BYTES;
  }
}

for (const path of FILES) {
  test(`bulk and streaming loads agree: ${path.split('/').slice(-2).join('/')}`, async () => {
    assert.deepEqual(await snapshot(path, true), await snapshot(path, false));
  });
}

test('the fast path takes the clean files and declines the odd ones', () => {
  const name = (p: string) => p.split('/').slice(-2).join('/');
  const fast = [...took].filter(([, b]) => b).map(([p]) => name(p)).sort();
  // Declined: \xNN escapes (dnscat2 http, proxy dns: decoded by the streaming reader), CRLF,
  // several header blocks, escaped empties.
  assert.deepEqual(fast, [
    'edge-cases/misnamed-tsv.json.gz', 'edge-cases/trailing-tab.log',
    'edge-cases/truncated-last-line.log', 'edge-cases/vendor-extra-columns.log', 'njrat/conn.log', 'open/open_conn.log',
    'proxy/conn.log', 'proxy/http.log', 'proxy/ssl.log', 'proxy_rolling/conn.16:00:00-17:00:00.log.gz',
    'test10-mixed-zeek-dir/conn.log', 'truncated/conn.log', 'zat/http.log.corrupt.gz', 'zat/ssl.log',
  ].sort());
});

test('bulk into a case that already has rows stages and de-duplicates like the streaming reader', async () => {
  // The same NjRAT connections twice (the bundled sample, then Stratosphere's labeled copy with
  // extra columns): the first file goes straight into the empty table, the second is staged
  // and merged, and every connection counts once either way.
  const labeled = join(REAL, 'stratosphere/001-zeek-scenario-malicious/labeled-conn.log');
  const run = async (bulk: boolean) => {
    process.env.METRONOME_BULK_MIN_BYTES = bulk ? '0' : String(Number.MAX_SAFE_INTEGER);
    try {
      const { engine, report } = await load(SAMPLE, labeled);
      const [r] = await engine.db.all<{ h: string; n: bigint }>(
        'SELECT sum(hash(x)::HUGEINT)::VARCHAR AS h, count(*) AS n FROM (SELECT * EXCLUDE (file_id) FROM connections) x',
      );
      engine.close();
      return { rows: report.files.map((f) => [f.rows, f.how?.includes('DuckDB') ?? false]), n: Number(r.n), h: r.h };
    } finally {
      delete process.env.METRONOME_BULK_MIN_BYTES;
    }
  };
  const bulk = await run(true);
  const streaming = await run(false);
  assert.equal(bulk.n, streaming.n);
  assert.equal(bulk.h, streaming.h);
  assert.deepEqual(bulk.rows.map((r) => r[0]), streaming.rows.map((r) => r[0]));
  assert.deepEqual(bulk.rows.map((r) => r[1]), [true, true]);
});
