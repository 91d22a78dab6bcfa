// Evidence package (main/evidence): raw lines with file and line number, CSV, manifest whose
// hashes verify, and an offline HTML report that opens in headless Chromium without network.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { Engine } from '../../main/api/engine.js';
import { attackFor } from '../../main/evidence/attack.js';
import { reportHtml, type ReportData } from '../../main/evidence/html.js';
import { intervalHistogramSvg, timelineSvg } from '../../main/evidence/svg.js';
import type { EvidencePackage, Finding } from '../../shared/types.js';
import { BIN, REAL, ROOT } from '../helpers.js';

const NJRAT = join(REAL, 'stratosphere/001-zeek-scenario-malicious');
const PROXY = join(REAL, 'rita/proxy');
const CHROMIUM = process.env.METRONOME_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = join(ROOT, 'test-results/screenshots/evidence-report.png');

let dir = '';
let db = '';
let njratId = '';

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'metronome-evidence-'));
  db = join(dir, 'case.duckdb');
  const r = run('scan', NJRAT, '--db', db, '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const f = (JSON.parse(r.out).findings as Finding[]).find((x) => x.src === '192.168.1.115' && x.dst === '41.108.179.197' && x.port === 1177);
  assert.ok(f, 'NjRAT finding');
  njratId = f.id;
  // Some triage first, so the report carries a history and notes.
  assert.equal(run('triage', njratId, '--db', db, '--state', 'escalated', '--owner', 'SOC <tier 2>', '--note', 'NjRAT C2 "confirmed" & host isolated', '--by', 'analyst').code, 0);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('export-evidence for the NjRAT finding: 237 C2 connections with their raw lines; the manifest verifies', () => {
  const out = join(dir, 'njrat');
  const r = run('export-evidence', njratId, '--db', db, '--out', out);
  assert.equal(r.code, 0, r.err);
  const pkg = JSON.parse(r.out) as EvidencePackage;
  assert.equal(pkg.findingId, njratId);
  assert.equal(pkg.events, 237);
  assert.deepEqual(readdirSync(out).sort(), ['SHA256SUMS', 'connections.csv', 'finding.json', 'manifest.json', 'raw', 'raw-lines.jsonl', 'report.html']);

  // The CSV: 237 connections, all to the C2.
  const csv = readFileSync(join(out, 'connections.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'ts,connId,src,srcPort,dst,dstPort,proto,service,duration,bytesOut,bytesIn,ipBytesOut,ipBytesIn,connState');
  assert.equal(csv.length, 238);
  const uids = new Set(csv.slice(1).map((l) => l.split(',')[1]));
  assert.equal(uids.size, 237);
  assert.ok(csv.slice(1).every((l) => l.includes(',192.168.1.115,') && l.includes(',41.108.179.197,1177,tcp,')));

  // Raw lines: each C2 connection's line in conn.log (and its labelled copy), with the right line number.
  const lines = readFileSync(join(out, 'raw-lines.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { file: string; line: number; connId: string; text: string });
  const conn = join(NJRAT, 'conn.log');
  const labeled = join(NJRAT, 'labeled-conn.log');
  const inConn = lines.filter((l) => l.file === conn);
  assert.equal(inConn.length, 237);
  assert.deepEqual(new Set(inConn.map((l) => l.connId)), uids);
  const source = readFileSync(conn, 'utf8').split('\n');
  for (const l of inConn) {
    assert.equal(source[l.line - 1], l.text, `conn.log line ${l.line}`);
    assert.equal(l.text.split('\t')[1], l.connId);
    assert.match(l.text, /\t192\.168\.1\.115\t\d+\t41\.108\.179\.197\t1177\ttcp\t/);
  }
  const inLabeled = lines.filter((l) => l.file === labeled);
  assert.equal(inLabeled.length, 237);
  assert.ok(inLabeled.every((l) => l.text.endsWith('\tMalicious\tCC')), 'the labelled copy marks every line Malicious / CC');
  assert.equal(pkg.rawLines, 474);
  // Per-file excerpts keep the Zeek header.
  const excerpt = readFileSync(join(out, 'raw', '01-conn.log'), 'utf8').split('\n');
  assert.ok(excerpt[0].startsWith('#separator'));
  assert.equal(excerpt.filter((l) => l && !l.startsWith('#')).length, 237);

  // Manifest: every package file's hash verifies, and every source file's.
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.equal(manifest.kind, 'metronome-evidence');
  assert.equal(manifest.finding.id, njratId);
  const listed = (manifest.files as { path: string; sha256: string; bytes: number }[]).map((f) => f.path).sort();
  assert.deepEqual(listed, ['SHA256SUMS', 'connections.csv', 'finding.json', 'raw-lines.jsonl', 'raw/01-conn.log', 'raw/02-labeled-conn.log', 'report.html']);
  for (const f of manifest.files as { path: string; sha256: string; bytes: number }[]) {
    assert.equal(sha256(join(out, f.path)), f.sha256, `${f.path} hash`);
    assert.equal(readFileSync(join(out, f.path)).length, f.bytes);
  }
  const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8').trim().split('\n');
  assert.equal(sums.length, 6);
  for (const s of sums) {
    const [hash, path] = s.split('  ');
    assert.equal(sha256(join(out, path)), hash, `SHA256SUMS ${path}`);
  }
  assert.deepEqual((manifest.sources as { path: string }[]).map((s) => s.path), [conn, labeled]);
  for (const s of manifest.sources as { path: string; recordedSha256: string; sha256: string; status: string; lines: number }[]) {
    assert.equal(s.status, 'unchanged');
    assert.equal(s.sha256, sha256(s.path));
    assert.equal(s.recordedSha256, s.sha256);
    assert.equal(s.lines, 237);
  }
  assert.deepEqual(manifest.attack, ['T1095', 'T1571']);

  // finding.json carries the triage history.
  const fj = JSON.parse(readFileSync(join(out, 'finding.json'), 'utf8'));
  assert.equal(fj.finding.connections, 237);
  assert.equal(fj.triage.state, 'escalated');
  assert.equal(fj.history.length, 1);

  // An existing package is not overwritten without --force; another folder is never emptied.
  assert.equal(run('export-evidence', njratId, '--db', db, '--out', out).code, 1);
  assert.equal(run('export-evidence', njratId, '--db', db, '--out', out, '--force').code, 0);
  assert.equal(run('export-evidence', njratId, '--db', db, '--out', join(ROOT, 'main')).code, 1);
  assert.equal(run('export-evidence', 'ffffffffffffffff', '--db', db, '--out', join(dir, 'none')).code, 1);
  assert.equal(run('export-evidence', njratId, '--db', db).code, 2);
});

test('the report is offline: no script, no external reference; log text is escaped', () => {
  const html = readFileSync(join(dir, 'njrat', 'report.html'), 'utf8');
  assert.ok(!/<script/i.test(html));
  assert.ok(!/<link|@import|url\(|<img|<iframe|<object/i.test(html));
  assert.ok(!/\s(src|href)=/i.test(html));
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.ok((html.match(/<svg /g) ?? []).length >= 2);
  // The analyst's text arrives escaped.
  assert.ok(html.includes('SOC &lt;tier 2&gt;'));
  assert.ok(html.includes('NjRAT C2 &quot;confirmed&quot; &amp; host isolated'));
});

test('the report opens in headless Chromium without any network request', async () => {
  const file = join(dir, 'njrat', 'report.html');
  const url = pathToFileURL(file).href;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const attempted: string[] = [];
    const problems: string[] = [];
    await page.route('**/*', (route) => {
      const u = route.request().url();
      if (u === url) return route.continue();
      attempted.push(u);
      return route.abort();
    });
    page.on('request', (req) => {
      if (req.url() !== url) attempted.push(req.url());
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(url, { waitUntil: 'load' });
    assert.match(await page.title(), /Evidence: beacon 192\.168\.1\.115 → 41\.108\.179\.197:1177\/tcp/);
    const boxes = await page.locator('svg').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.width, r.height]));
    assert.ok(boxes.length >= 2);
    for (const [w, h] of boxes) assert.ok(w > 400 && h > 100, `chart ${w}×${h}`);
    assert.equal(await page.locator('svg circle, svg rect[width="4.8"]').count(), 237, 'one mark per C2 connection');
    assert.ok((await page.locator('text=T1571').count()) > 0);
    mkdirSync(join(ROOT, 'test-results/screenshots'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.ok(existsSync(SCREENSHOT));
    assert.deepEqual(attempted, [], 'no request beyond the report itself');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('exportEvidence API op; a proxy beacon gathers its conn, http and ssl lines', async () => {
  const engine = await Engine.open({ threads: 2 });
  try {
    await engine.import([PROXY]);
    const f = (await engine.scan()).findings[0];
    assert.equal(f.dst, 'www.honestimnotevil.com');
    const out = join(dir, 'proxy');
    const pkg = (await engine.handle('exportEvidence', { id: f.id, out })) as EvidencePackage;
    assert.equal(pkg.events, 397);
    const byFile = new Map(pkg.sources.map((s) => [s.path.split('/').pop(), s.lines]));
    assert.equal(byFile.get('conn.log'), 397);
    assert.equal(byFile.get('http.log'), 397);
    assert.equal(byFile.get('ssl.log'), 397);
    assert.deepEqual(pkg.warnings, []);
    await assert.rejects(async () => engine.handle('exportEvidence', { id: f.id, out }), /--force/);
    await assert.rejects(async () => engine.handle('exportEvidence', { id: f.id }), /"out"/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.ok(manifest.attack.includes('T1071.001'));
  } finally {
    engine.close();
  }
});

test('ATT&CK mapping by traffic shape', () => {
  const base = {
    id: 'x', category: 'beacon', src: '10.0.0.5', dst: '203.0.113.9', dstKind: 'ip', port: 443, proto: 'tcp', direction: 'outbound',
    eventType: 'connection', connections: 10, checkins: 10, period: 60, score: 0.9, firstSeen: '', lastSeen: '', bytesOut: 5000, bytesIn: 100,
    reasons: [], scorer: 'metronome',
  } as Finding;
  const ids = (f: Partial<Finding>, services: string[] = []) => attackFor({ ...base, ...f }, { services }).map((a) => a.id);
  assert.deepEqual(ids({}, ['ssl']), ['T1071.001']);
  assert.deepEqual(ids({ port: 1177 }), ['T1095', 'T1571']);
  assert.deepEqual(ids({ eventType: 'dns', port: 53, proto: 'udp' }), ['T1071.004']);
  assert.deepEqual(ids({ category: 'dns-tunnel', port: 53, exfil: true }), ['T1071.004', 'T1029', 'T1048']);
  assert.deepEqual(ids({ exfil: true }, ['ssl']), ['T1071.001', 'T1029', 'T1041']);
  assert.deepEqual(ids({ category: 'scheduled-transfer', port: 21, exfil: true }, ['ftp']), ['T1029', 'T1048']);
});

test('report HTML and charts escape log-derived text', () => {
  const evil = '<img src=x onerror=alert(1)></pre><script>alert(2)</script>';
  const f = {
    id: 'abc', category: 'beacon', src: '10.0.0.5', dst: evil, dstKind: 'fqdn', direction: 'outbound', eventType: 'http', connections: 2, checkins: 2,
    period: 60, score: 0.5, firstSeen: '2025-01-01T00:00:00.000Z', lastSeen: '2025-01-01T00:01:00.000Z', bytesOut: null, bytesIn: null,
    reasons: [{ feature: evil, contribution: 1, text: evil }], scorer: 'metronome', dstIps: [{ ip: evil, count: 1 }],
  } as Finding;
  const data: ReportData = {
    finding: f, generatedAt: '2025-01-01T00:00:00.000Z', version: evil, caseName: evil,
    events: [{ connId: evil, ts: '2025-01-01T00:00:00.000Z', src: '10.0.0.5', srcPort: 1, dst: evil, dstPort: 80, proto: 'tcp', service: evil, duration: 1, bytesOut: 1, bytesIn: 1, ipBytesOut: null, ipBytesIn: null, connState: evil }],
    eventsTotal: 1, timelineSvg: timelineSvg([{ t: 0, out: 1, failed: false }], evil), histogramSvg: intervalHistogramSvg([0, 60_000], 60, evil).svg,
    attack: [], triage: { findingId: 'abc', state: 'new', owner: evil, notes: [{ at: '2025-01-01T00:00:00.000Z', by: evil, text: evil }], updatedAt: null, baselineId: null, finding: null },
    history: [], annotation: { tags: [evil], note: evil, updatedAt: '2025-01-01T00:00:00.000Z' }, sources: [],
    rawLines: [{ file: evil, line: 1, connId: evil, text: evil }], rawTotal: 1, packageFiles: [evil], warnings: [evil],
  };
  const html = reportHtml(data);
  assert.ok(!html.includes('<script'));
  assert.ok(!html.includes('<img'));
  assert.ok(html.includes('&lt;script&gt;alert(2)&lt;/script&gt;'));
});
