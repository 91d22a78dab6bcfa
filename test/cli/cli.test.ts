// The CLI contract (../shared/design/cli-contract.md): JSON shape, ordering, formats, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, EDGE, REAL, ROOT, SAMPLE } from '../helpers.js';

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(\d{3})?Z$/;

test('scan --format json: the NjRAT C2 pair ranks first with every contract field', () => {
  const r = run('scan', SAMPLE, '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j).sort(), ['findings', 'summary']);
  assert.equal(j.summary.connections, 992);
  assert.match(j.summary.start, ISO);
  const rank = j.findings.findIndex((f: { src: string; dst: string }) => f.src === '192.168.1.115' && f.dst === '41.108.179.197');
  assert.equal(rank, 0, `NjRAT pair ranked ${rank + 1}`);
  const f = j.findings[rank];
  for (const k of ['id', 'category', 'src', 'dst', 'dstKind', 'direction', 'eventType', 'connections', 'checkins', 'period', 'score', 'firstSeen', 'lastSeen', 'bytesOut', 'bytesIn', 'reasons']) {
    assert.ok(k in f, `finding has ${k}`);
  }
  assert.equal(f.category, 'beacon');
  assert.equal(f.dstKind, 'ip');
  assert.equal(f.direction, 'outbound');
  assert.equal(f.eventType, 'connection');
  assert.equal(f.connections, 237);
  assert.equal(f.port, 1177);
  assert.equal(f.proto, 'tcp');
  assert.equal(typeof f.score, 'number');
  assert.ok(f.period > 10 && f.period < 13, `period ${f.period}`);
  assert.match(f.firstSeen, ISO);
  assert.ok(f.reasons.length >= 3 && f.reasons.every((x: { text: string }) => x.text.length > 10));
  // Reasons come largest absolute contribution first.
  for (let i = 1; i < f.reasons.length; i++) assert.ok(Math.abs(f.reasons[i - 1].contribution) >= Math.abs(f.reasons[i].contribution));
  // Contract order: score desc, then checkins desc, then id.
  for (let i = 1; i < j.findings.length; i++) {
    const a = j.findings[i - 1], b = j.findings[i];
    assert.ok(a.score > b.score || (a.score === b.score && (a.checkins > b.checkins || (a.checkins === b.checkins && a.id < b.id))));
  }
  // Ids are stable across runs.
  assert.equal(JSON.parse(run('scan', SAMPLE, '--format', 'json').out).findings[rank].id, f.id);
});

test('scan a folder of real Zeek logs: the documented C2 ranks first (stratosphere 001 NjRAT, rita proxy)', () => {
  const a = JSON.parse(run('scan', join(REAL, 'stratosphere/001-zeek-scenario-malicious'), '--format', 'json', '--top', '3').out);
  assert.equal(a.summary.connections, 992, 'labeled-conn.log repeats conn.log and counts once');
  assert.equal(a.findings[0].src, '192.168.1.115');
  assert.equal(a.findings[0].dst, '41.108.179.197');
  // B2: the beacon goes through a proxy; the CONNECT target names it.
  const b = JSON.parse(run('scan', join(REAL, 'rita/proxy'), '--format', 'json', '--top', '1').out);
  const f = b.findings[0];
  assert.deepEqual([f.src, f.dst, f.dstKind, f.direction], ['10.136.0.18', 'www.honestimnotevil.com', 'fqdn', 'internal']);
  assert.equal(f.connections, 397);
  assert.ok(f.period > 230 && f.period < 270, `period ${f.period}`);
  assert.deepEqual(f.dstIps, [{ ip: '10.136.0.16', count: 397 }]);
});

test('scan --scorer rita keeps the RITA v5 baseline available', () => {
  const r = JSON.parse(run('scan', join(REAL, 'rita/proxy'), '--format', 'json', '--top', '1', '--scorer', 'rita').out);
  assert.equal(r.findings[0].scorer, 'rita-v5');
  assert.equal(r.findings[0].dst, '10.136.0.16');
  assert.equal(r.findings[0].connections, 407);
});

test('scan --top and --format table/csv', () => {
  const t = run('scan', SAMPLE, '--top', '2');
  assert.equal(t.code, 0);
  assert.match(t.out, /41\.108\.179\.197:1177/);
  assert.equal(JSON.parse(run('scan', SAMPLE, '--format', 'json', '--top', '1').out).findings.length, 1);
  const c = run('scan', SAMPLE, '--format', 'csv');
  const lines = c.out.trim().split('\n');
  assert.equal(lines[0], 'id,category,src,dst,dstKind,port,proto,direction,eventType,connections,checkins,period,score,firstSeen,lastSeen,bytesOut,bytesIn,reasons');
  assert.ok(lines.some((l) => l.includes('41.108.179.197')));
});

test('import --format json reports rejected lines with numbers and still exits 0', () => {
  const r = run('import', join(EDGE, 'truncated-last-line.log'), join(REAL, 'rita/truncated/conn_top.log'), '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j.tables).sort(), ['alerts', 'connections', 'dns', 'http', 'tls']);
  const [a, b] = j.files;
  assert.deepEqual(
    { format: a.format, logType: a.logType, rows: a.rows, rejected: a.rejected, skipped: a.skipped, line: a.errors[0].line },
    { format: 'zeek-tsv', logType: 'conn', rows: 12, rejected: 1, skipped: false, line: 21 },
  );
  assert.equal(b.format, null);
  assert.match(b.reason, /no Zeek header/);
});

test('scan reports malformed lines on stderr with file and line', () => {
  const r = run('scan', join(EDGE, 'truncated-last-line.log'), '--format', 'json');
  assert.equal(r.code, 0);
  assert.match(r.err, /truncated-last-line\.log: 1 malformed line rejected \(line 21: /);
  JSON.parse(r.out);
});

test('exit codes: 2 for usage errors, 1 when nothing could be loaded', () => {
  assert.equal(run('scan').code, 2);
  assert.equal(run('scan', SAMPLE, '--format', 'xml').code, 2);
  assert.equal(run('scan', SAMPLE, '--top', 'zero').code, 2);
  assert.equal(run('frobnicate').code, 2);
  const missing = run('scan', '/nonexistent/conn.log');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /nonexistent\/conn\.log: cannot read/);
  assert.equal(run('import', join(REAL, 'rita/truncated/conn_top.log')).code, 1);
});

test('a case file (--db) keeps what was loaded; re-importing does not double-count', () => {
  const db = join(ROOT, '.tmp', `case-${process.pid}.duckdb`);
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  assert.equal(run('import', SAMPLE, '--db', db).code, 0);
  const again = JSON.parse(run('import', SAMPLE, '--db', db, '--format', 'json').out);
  assert.equal(again.files[0].skipped, true);
  assert.equal(again.tables.connections, 992);
  const s = JSON.parse(run('scan', '--db', db, '--format', 'json').out);
  assert.equal(s.summary.connections, 992);
  rmSync(db, { force: true });
});

test('baseline: a documented pair leaves the default view, returns with --all, and reappears flagged when it drifts', () => {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const db = join(ROOT, '.tmp', `baseline-${process.pid}.duckdb`);
  rmSync(db, { force: true });
  assert.equal(run('import', join(REAL, 'rita/proxy'), '--db', db).code, 0);
  const add = run('baseline', 'add', '--db', db, '--kind', 'src-domain', '--src', '10.136.0.18', '--dst', 'honestimnotevil.com',
    '--owner', 'Web team', '--note', 'uptime probe through the proxy', '--period', '250');
  assert.equal(add.code, 0, add.err);
  const id = JSON.parse(add.out).id;
  const hidden = JSON.parse(run('scan', '--db', db, '--format', 'json').out);
  assert.ok(!hidden.findings.some((f: { dst: string }) => f.dst === 'www.honestimnotevil.com'));
  const all = JSON.parse(run('scan', '--db', db, '--format', 'json', '--all').out);
  const f = all.findings.find((x: { dst: string }) => x.dst === 'www.honestimnotevil.com');
  assert.equal(f.baseline.id, id);
  assert.deepEqual(f.baseline.drift, []);
  // Documented as every 60 s: the real 4-minute rhythm is drift, so it shows by default.
  assert.equal(run('baseline', 'remove', id, '--db', db).code, 0);
  run('baseline', 'add', '--db', db, '--kind', 'src-domain', '--src', '10.136.0.18', '--dst', 'honestimnotevil.com',
    '--owner', 'Web team', '--note', 'uptime probe', '--period', '60');
  const drift = JSON.parse(run('scan', '--db', db, '--format', 'json').out);
  const d = drift.findings.find((x: { dst: string }) => x.dst === 'www.honestimnotevil.com');
  assert.match(d.baseline.drift[0], /documented 60 s/);
  assert.equal(run('baseline', 'add', '--db', db, '--kind', 'ip', '--dst', '10.0.0.1', '--owner', 'x').code, 2, 'note is required');
  rmSync(db, { force: true });
});

test('intel lists and asset criticality: a listed C2 gains evidence, a critical source gets P1', () => {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const db = join(ROOT, '.tmp', `intel-${process.pid}.duckdb`);
  const list = join(ROOT, '.tmp', `feed-${process.pid}.txt`);
  rmSync(db, { force: true });
  writeFileSync(list, '# lab feed\n41.108.179[.]197,NjRAT C2\nnonsense here\n');
  assert.equal(run('import', SAMPLE, '--db', db).code, 0);
  const imp = run('intel', 'import', list, '--db', db);
  assert.equal(imp.code, 0, imp.err);
  assert.deepEqual(JSON.parse(imp.out).files[0].errors, [{ line: 3, reason: '"nonsense here" is not an IP, CIDR, domain or JA3 hash' }]);
  assert.equal(run('assets', 'set', '192.168.1.0/24', '--criticality', 'critical', '--note', 'lab hosts', '--db', db).code, 0);
  const s = JSON.parse(run('scan', '--db', db, '--format', 'json', '--top', '1').out);
  const f = s.findings[0];
  assert.equal(f.dst, '41.108.179.197');
  assert.ok(f.reasons.some((r: { feature: string; text: string }) => r.feature === 'intel' && /NjRAT C2/.test(r.text)));
  assert.equal(f.priority, 'P1');
  rmSync(db, { force: true });
});
