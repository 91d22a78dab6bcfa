// The hunting views' engine operations (main/api/view-handlers.ts), through Engine.handle as
// every transport calls them, on logs written here with known answers: aggregation of the
// timeline (events vs per-column bins), intervals, the clock heatmap in UTC and other zones,
// related DNS / HTTP / TLS / alert records of a named beacon, "Why not?", raw record search,
// annotations, case files; and the browser-mode upload endpoint's safety rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Engine } from '../../main/api/engine.js';
import { parseExplainQuery } from '../../main/api/view-handlers.js';
import { startServer, uploadName } from '../../main/server/http.js';
import type { Annotation, Explanation, Finding, Overview, PairSeries, RecordPage, ScanResult } from '../../shared/types.js';
import { writeBeaconLog } from './fixtures.js';

let tmp: string;
let engine: Engine;
const call = <T,>(op: string, body: unknown = {}) => engine.handle(op, body) as Promise<T>;

const DAY = 86_400;
const T0 = Date.parse('2025-05-05T00:00:00Z') / 1000; // a Monday

function zeek(path: string, name: string, fields: string[], rows: (string | number)[][]): void {
  mkdirSync(dirname(path), { recursive: true });
  const head = ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', `#path\t${name}`, `#fields\t${fields.join('\t')}`];
  writeFileSync(path, `${[...head, ...rows.map((r) => r.join('\t'))].join('\n')}\n`);
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'metronome-views-'));
  process.env.METRONOME_CONFIG_DIR = join(tmp, 'config');
  // 1. A dense beacon: 8 000 connections every 30 s (more than the timeline draws one by one).
  writeBeaconLog(join(tmp, 'dense', 'conn.log'), { beacon: 8000, period: 30, jitter: 0.1, noise: 500, start: T0, src: '10.1.1.1', dst: '203.0.113.1' });
  // 2. A daily 02:00 UTC job on five nights, to a name: conn + DNS + TLS + HTTP + an alert.
  const conn: (string | number)[][] = [];
  const dns: (string | number)[][] = [];
  const ssl: (string | number)[][] = [];
  const http: (string | number)[][] = [];
  for (let d = 0; d < 5; d++) {
    const t = T0 + d * DAY + 2 * 3600 + d * 7;
    dns.push([(t - 1).toFixed(6), `Dd${d}`, '10.2.2.2', 53000 + d, '10.0.0.53', 53, 'udp', 100 + d, 'c2.bad.example', 'A', 'NOERROR', '203.0.113.9', '300.0']);
    conn.push([t.toFixed(6), `Cd${d}`, '10.2.2.2', 40000 + d, '203.0.113.9', 443, 'tcp', 'ssl', '30.0', 50_000_000, 2000, 'SF', 40, 50_002_000, 30, 3000]);
    ssl.push([t.toFixed(6), `Cd${d}`, '10.2.2.2', 40000 + d, '203.0.113.9', 443, 'TLSv13', 'c2.bad.example', 'T']);
    http.push([(t + 1).toFixed(6), `Cd${d}`, '10.2.2.2', 40000 + d, '203.0.113.9', 443, 1, 'POST', 'c2.bad.example', `/up?n=${d}`, '-', 'curl/8', 200, 50_000_000, 12]);
  }
  zeek(join(tmp, 'daily', 'conn.log'), 'conn', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes'], conn);
  zeek(join(tmp, 'daily', 'dns.log'), 'dns', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'trans_id', 'query', 'qtype_name', 'rcode_name', 'answers', 'TTLs'], dns);
  zeek(join(tmp, 'daily', 'ssl.log'), 'ssl', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'version', 'server_name', 'established'], ssl);
  zeek(join(tmp, 'daily', 'http.log'), 'http', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'trans_depth', 'method', 'host', 'uri', 'referrer', 'user_agent', 'status_code', 'request_body_len', 'response_body_len'], http);
  engine = await Engine.open({ threads: 2 });
  const report = await call<{ files: { rows: number; rejected: number; path: string }[] }>('importWithProgress', { paths: [join(tmp, 'dense'), join(tmp, 'daily')] });
  for (const f of report.files) assert.equal(f.rejected, 0, f.path);
});

after(() => {
  engine?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function findingOf(src: string, dst: string): Promise<Finding> {
  const f = (await call<ScanResult>('scan', { all: true })).findings.find((x) => x.src === src && x.dst === dst);
  assert.ok(f, `a finding ${src} → ${dst}`);
  return f;
}

test('timeline: one bin per pixel column above 5 000 events, every event counted', async () => {
  const f = await findingOf('10.1.1.1', '203.0.113.1');
  const s = await call<PairSeries>('pairSeries', { id: f.id, width: 300 });
  assert.equal(s.total, 8000);
  assert.equal(s.mode, 'bins');
  assert.ok(s.bins.length <= 300 && s.bins.length > 250);
  assert.equal(s.bins.reduce((a, b) => a + b.n, 0), 8000);
  assert.ok(s.bins.every((b) => b.outMin !== null && b.outMax! >= b.outMin!));
  assert.equal(s.points.length, 0);
  // Zoomed in on an hour: the events themselves.
  const from = s.extent![0] + 3_600_000;
  const z = await call<PairSeries>('pairSeries', { id: f.id, from, to: from + 3_600_000 });
  assert.equal(z.mode, 'events');
  assert.equal(z.points.length, z.inRange);
  assert.ok(z.inRange >= 110 && z.inRange <= 135, `${z.inRange} events in an hour of a 30 s beacon`);
  assert.ok(z.points.every((p) => p.t >= from && p.t <= from + 3_600_000));
  // Intervals: all gaps, linear (with overflow) or log.
  assert.equal(z.intervals.bins.reduce((a, b) => a + b.n, 0) + z.intervals.overflow, z.inRange - 1);
  const log = await call<PairSeries>('pairSeries', { id: f.id, intervalScale: 'log' });
  assert.equal(log.intervals.bins.reduce((a, b) => a + b.n, 0), 7999);
  // The rhythm the detector sees, with its jitter (±10 % symmetric: IQR ≈ 10 %).
  assert.ok(Math.abs(s.timing.period! - 30) < 1, `period ${s.timing.period}`);
  assert.ok(s.timing.jitter! > 0.05 && s.timing.jitter! < 0.15, `jitter ${s.timing.jitter}`);
  assert.equal(s.related.connections, 8000);
});

test('clock heatmap: the 02:00 UTC job on the clock of each zone', async () => {
  const f = await findingOf('10.2.2.2', 'c2.bad.example');
  const utc = await call<PairSeries>('pairSeries', { id: f.id });
  assert.deepEqual(utc.heatmap.days, ['2025-05-05', '2025-05-06', '2025-05-07', '2025-05-08', '2025-05-09']);
  assert.deepEqual(utc.heatmap.cells.map((c) => [c.day, c.hour, c.n]), [0, 1, 2, 3, 4].map((d) => [d, 2, 1]));
  const ny = await call<PairSeries>('pairSeries', { id: f.id, zone: 'America/New_York' });
  assert.equal(ny.heatmap.zone, 'America/New_York');
  assert.equal(ny.heatmap.days[0], '2025-05-04');
  assert.ok(ny.heatmap.cells.every((c) => c.hour === 22), 'EDT is UTC−4: 22:00 the evening before');
  const india = await call<PairSeries>('pairSeries', { id: f.id, zone: 'Asia/Kolkata' });
  assert.ok(india.heatmap.cells.every((c) => c.hour === 7), 'IST is UTC+5:30: 07:30');
  await assert.rejects(call('pairSeries', { id: f.id, zone: 'Mars/Olympus_Mons' }), /unknown time zone/);
});

test('related records of a named beacon: its DNS lookups, TLS handshakes and HTTP requests', async () => {
  const f = await findingOf('10.2.2.2', 'c2.bad.example');
  const s = await call<PairSeries>('pairSeries', { id: f.id });
  assert.deepEqual(s.related, { connections: 5, dns: 5, http: 5, tls: 5, alerts: 0 });
  const dns = await call<RecordPage>('pairRecords', { id: f.id, kind: 'dns' });
  assert.equal(dns.total, 5);
  assert.deepEqual(dns.rows.map((r) => r[dns.columns.indexOf('answers')]), Array(5).fill('203.0.113.9'));
  const tls = await call<RecordPage>('pairRecords', { id: f.id, kind: 'tls', limit: 2, offset: 2 });
  assert.equal(tls.total, 5);
  assert.equal(tls.rows.length, 2);
  assert.equal(tls.offset, 2);
  assert.ok(tls.rows.every((r) => r[tls.columns.indexOf('server_name')] === 'c2.bad.example'));
  const http = await call<RecordPage>('pairRecords', { id: f.id, kind: 'http' });
  assert.deepEqual(http.rows.map((r) => r[http.columns.indexOf('uri')]), ['/up?n=0', '/up?n=1', '/up?n=2', '/up?n=3', '/up?n=4']);
  // In a range: only that night.
  const night = Date.parse('2025-05-07T00:00:00Z');
  const one = await call<RecordPage>('pairRecords', { id: f.id, kind: 'dns', from: night, to: night + 86_400_000 });
  assert.equal(one.total, 1);
});

test('"Why not?": findings whatever their score, and keys that never scored, with the reason', async () => {
  assert.deepEqual(parseExplainQuery('10.0.0.5 → evil.example'), { kind: 'pair', src: '10.0.0.5', dst: 'evil.example' });
  assert.deepEqual(parseExplainQuery('10.0.0.5 -> 1.2.3.4:443'), { kind: 'pair', src: '10.0.0.5', dst: '1.2.3.4' });
  assert.equal(parseExplainQuery('https://Evil.Example./x?y').name, 'evil.example');
  assert.equal(parseExplainQuery('10.0.0.0/8').kind, 'cidr');
  assert.equal(parseExplainQuery('fd00::1').kind, 'ip');
  const byName = await call<Explanation>('explain', { query: 'bad.example' });
  assert.equal(byName.kind, 'name');
  assert.ok(byName.findings.some((f) => f.dst === 'c2.bad.example'));
  const pair = await call<Explanation>('explain', { query: '10.2.2.2 → c2.bad.example' });
  assert.ok(pair.findings.length >= 1);
  assert.ok(pair.findings.every((f) => f.src === '10.2.2.2'));
  // Noise hosts talk to many addresses a few times: never scored, and told why.
  const range = await call<Explanation>('explain', { query: '198.51.100.0/24' });
  assert.equal(range.kind, 'cidr');
  assert.ok(range.unscored.length > 0);
  assert.ok(range.unscored.every((u) => /rhythm needs at least 3|describes the same traffic|inbound|multicast/.test(u.why)), range.unscored.map((u) => u.why).join('\n'));
  await assert.rejects(call('explain', { query: '   ' }), /"query"/);
});

test('raw record search: address, range, port, time and text filters', async () => {
  const all = await call<RecordPage>('searchRecords', { kind: 'connections', limit: 1 });
  assert.equal(all.total, 8505);
  const byIp = await call<RecordPage>('searchRecords', { kind: 'connections', ip: '203.0.113.9' });
  assert.equal(byIp.total, 5);
  const byCidr = await call<RecordPage>('searchRecords', { kind: 'connections', cidr: '203.0.113.0/24', limit: 1 });
  assert.equal(byCidr.total, 8005);
  const byPort = await call<RecordPage>('searchRecords', { kind: 'connections', cidr: '203.0.113.0/24', port: 443, limit: 1 });
  assert.equal(byPort.total, 5);
  const night = Date.parse('2025-05-06T00:00:00Z');
  const inDay = await call<RecordPage>('searchRecords', { kind: 'http', from: night, to: night + 86_400_000 });
  assert.equal(inDay.total, 1);
  const text = await call<RecordPage>('searchRecords', { kind: 'dns', text: 'C2.BAD' });
  assert.equal(text.total, 5);
  await assert.rejects(call('searchRecords', { kind: 'connections', cidr: '203.0.113.0/33' }), /prefix length/);
});

test('overview: the top findings over time bins, every event in a bin', async () => {
  const o = await call<Overview>('overview', { top: 5, bins: 50 });
  assert.equal(o.bins, 50);
  assert.ok(o.rows.length >= 2 && o.rows.length <= 5);
  const scan = await call<ScanResult>('scan', {});
  for (const r of o.rows) {
    const f = scan.findings.find((x) => x.id === r.id)!;
    assert.equal(r.counts.length, 50);
    assert.equal(r.counts.reduce((a, b) => a + b, 0), f.connections, `${r.src} → ${r.dst}`);
  }
});

test('annotations: tags and a note per finding, removed when emptied', async () => {
  const f = await findingOf('10.2.2.2', 'c2.bad.example');
  const a = await call<Annotation>('annotate', { findingId: f.id, tags: ['exfil', 'exfil', ' t1029 '], note: 'nightly 50 MB to a fresh name' });
  assert.deepEqual(a.tags, ['exfil', 't1029']);
  const note = await call<Annotation>('annotate', { findingId: 'other', tags: [], note: 'just a note' });
  assert.deepEqual(note.tags, []);
  assert.deepEqual((await call<Annotation[]>('annotationsList')).map((x) => x.findingId).sort(), [f.id, 'other'].sort());
  assert.equal(await call('annotate', { findingId: 'other', tags: [], note: '  ' }), null);
  assert.deepEqual((await call<Annotation[]>('annotationsList')).map((x) => x.findingId), [f.id]);
});

test('case files: save, open elsewhere with baseline and notes, recent list; bad files refused', async () => {
  const f = await findingOf('10.2.2.2', 'c2.bad.example');
  await call('baselineAdd', { kind: 'src-domain', src: '10.2.2.2', dst: 'c2.bad.example', owner: 'test', note: 'a documented job' });
  const file = join(tmp, 'cases', "it's a case.duckdb");
  const saved = await call<{ path: string; bytes: number }>('caseSave', { path: file });
  assert.equal(saved.path, file);
  assert.ok(saved.bytes > 0 && existsSync(file));
  const other = await Engine.open({ threads: 2 });
  try {
    const st = (await other.handle('caseOpen', { path: file })) as { caseName: string; tables: { connections: number; dns: number } };
    assert.equal(st.caseName, file);
    assert.equal(st.tables.connections, 8505);
    assert.equal(st.tables.dns, 5);
    const scan = (await other.handle('scan', {})) as ScanResult;
    assert.ok(!scan.findings.some((x) => x.id === f.id), 'the baseline came along');
    assert.equal(((await other.handle('annotationsList', {})) as Annotation[])[0]?.findingId, f.id);
  } finally {
    other.close();
  }
  const recent = await call<{ path: string }[]>('recentCases');
  assert.equal(recent[0].path, file);
  writeFileSync(join(tmp, 'not-a-case.duckdb'), 'hello');
  await assert.rejects(call('caseOpen', { path: join(tmp, 'not-a-case.duckdb') }), /not a Metronome case/);
  await assert.rejects(call('caseOpen', { path: join(tmp, 'missing.duckdb') }), /cannot open/);
  // The loaded case is untouched by the failed opens.
  assert.equal((await call<RecordPage>('searchRecords', { kind: 'connections', limit: 1 })).total, 8505);
});

function post(port: number, path: string, headers: Record<string, string>, body: Buffer | string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('upload (browser mode): token, content type, safe names, size limit, cleaned up on close', async () => {
  assert.equal(uploadName(encodeURIComponent('../../etc/passwd')), 'passwd');
  assert.equal(uploadName(encodeURIComponent('C:\\logs\\conn.log')), 'conn.log');
  assert.equal(uploadName(encodeURIComponent('.hidden')), 'hidden');
  assert.equal(uploadName(encodeURIComponent('eve <script>.json')), 'eve__script_.json');
  assert.equal(uploadName(undefined), 'upload.log');
  process.env.METRONOME_UPLOAD_LIMIT = '1000';
  const server = await startServer(engine);
  delete process.env.METRONOME_UPLOAD_LIMIT;
  try {
    const ok = { 'Content-Type': 'application/octet-stream', 'X-Metronome-Token': server.token, 'X-Metronome-Filename': encodeURIComponent('../conn.log') };
    assert.equal((await post(server.port, '/upload', { ...ok, 'X-Metronome-Token': 'wrong' }, 'x')).status, 401);
    assert.equal((await post(server.port, '/upload', { ...ok, 'Content-Type': 'application/json' }, 'x')).status, 415);
    assert.equal((await post(server.port, '/upload', ok, Buffer.alloc(2000))).status, 400);
    const res = await post(server.port, '/upload', ok, 'hello\n');
    assert.equal(res.status, 200, res.body);
    const { path, bytes } = JSON.parse(res.body) as { path: string; bytes: number };
    assert.equal(bytes, 6);
    assert.ok(path.startsWith(tmpdir()) && path.endsWith('/conn.log'), path);
    assert.equal(readFileSync(path, 'utf8'), 'hello\n');
    await server.close();
    assert.ok(!existsSync(path), 'uploads are removed when the server stops');
  } finally {
    await server.close().catch(() => undefined);
  }
});
