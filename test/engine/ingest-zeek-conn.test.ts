// Zeek conn.log ingest (TSV and JSON, plain and gzip) on the real logs in ../shared/data and the
// odd inputs of ../shared/data/edge-cases (their README gives each expected value).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { EDGE, load, loadOne, REAL, rows, SAMPLE } from '../helpers.js';

test('bundled NjRAT sample: every conn row loads, sub-second times kept', async () => {
  const { engine, report } = await load(SAMPLE);
  const f = report.files[0];
  assert.equal(f.format, 'zeek-tsv');
  assert.equal(f.logType, 'conn');
  assert.equal(f.rows, 992);
  assert.equal(f.rejected, 0);
  assert.equal(report.tables.connections, 992);
  const [c2] = await rows<{ n: bigint }>(
    engine,
    "SELECT count(*) AS n FROM connections WHERE src_ip = '192.168.1.115' AND dst_ip = '41.108.179.197' AND dst_port = 1177",
  );
  assert.equal(c2.n, 237n);
  const [first] = await rows<{ us: bigint }>(engine, "SELECT epoch_us(ts) AS us FROM connections WHERE conn_id = 'C91Ycq25p2quMWzEMk'");
  assert.equal(first.us, 19_981_745n);
  const [v6] = await rows<{ n: bigint }>(engine, "SELECT count(*) AS n FROM connections WHERE src_ip LIKE 'fd2d:%'");
  assert.ok(v6.n > 0n, 'IPv6 addresses load');
  engine.close();
});

test('a line cut short is rejected with file line and reason; the rest loads (rita/truncated/conn.log)', async () => {
  const f = await loadOne(join(REAL, 'rita/truncated/conn.log'));
  assert.equal(f.rows, 58);
  assert.equal(f.rejected, 1);
  assert.equal(f.errors[0].line, 67);
  assert.match(f.errors[0].reason, /expected 21 fields, found 9/);
});

test('edge case truncated-last-line.log: 12 connections, line 21 rejected', async () => {
  const f = await loadOne(join(EDGE, 'truncated-last-line.log'));
  assert.equal(f.rows, 12);
  assert.deepEqual(f.errors.map((e) => e.line), [21]);
});

test('a malformed line in the middle is reported with its line number and the rest loads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metronome-test-'));
  const lines = (await import('node:fs')).readFileSync(SAMPLE, 'utf8').split('\n');
  // Line 20 (1-based) is a data row: corrupt its port; line 30 loses fields.
  lines[19] = lines[19].replace(/\t(\d+)\t/, '\tnot-a-port\t');
  lines[29] = lines[29].split('\t').slice(0, 5).join('\t');
  const path = join(dir, 'conn.log');
  writeFileSync(path, lines.join('\n'));
  const f = await loadOne(path);
  assert.equal(f.rows, 990);
  assert.equal(f.rejected, 2);
  assert.deepEqual(f.errors.map((e) => e.line), [20, 30]);
  assert.match(f.errors[0].reason, /not a port/);
  assert.match(f.errors[1].reason, /expected 21 fields, found 5/);
});

test('Zeek JSON: ts as epoch float, ISO 8601, epoch string and integer milliseconds', async () => {
  const { engine, report } = await load(join(EDGE, 'conn.json-mixed-ts.log'));
  assert.equal(report.files[0].format, 'zeek-json');
  assert.equal(report.files[0].rows, 4);
  const ts = await rows<{ t: string }>(engine, "SELECT strftime(ts, '%Y-%m-%d %H:%M:%S.%g') AS t FROM connections ORDER BY ts");
  assert.deepEqual(ts.map((r) => r.t), [
    '2025-05-01 10:00:00.250',
    '2025-05-01 10:01:00.250',
    '2025-05-01 10:02:00.250',
    '2025-05-01 10:03:00.250',
  ]);
  engine.close();
});

test('gzip Zeek JSON with no _path: type from the rotated file name', async () => {
  const f = await loadOne(join(EDGE, 'conn.08:00:00-09:00:00.log.gz'));
  assert.equal(f.format, 'zeek-json');
  assert.equal(f.logType, 'conn');
  assert.equal(f.rows, 6);
  assert.equal(f.start, '2025-05-01T08:00:00.000Z');
  assert.equal(f.end, '2025-05-01T08:10:00.000Z');
});

test('gzip TSV named .json is detected by content', async () => {
  const f = await loadOne(join(EDGE, 'misnamed-tsv.json.gz'));
  assert.equal(f.format, 'zeek-tsv');
  assert.equal(f.rows, 7);
});

test('CRLF line ends: 9 connections, no CR in any value', async () => {
  const { engine, report } = await load(join(EDGE, 'crlf-conn.log'));
  assert.equal(report.files[0].rows, 9);
  const [r] = await rows<{ n: bigint }>(
    engine,
    "SELECT count(*) AS n FROM connections WHERE contains(coalesce(history,'') || coalesce(conn_state,'') || coalesce(service,'') || coalesce(conn_id,''), chr(13))",
  );
  assert.equal(r.n, 0n);
  engine.close();
});

test('trailing TAB: 8 connections, values as without the TAB', async () => {
  const f = await loadOne(join(EDGE, 'trailing-tab.log'));
  assert.equal(f.rows, 8);
  assert.equal(f.rejected, 0);
});

test('header quirks: first header line starts with a TAB; #separator followed by a TAB', async () => {
  assert.equal((await loadOne(join(REAL, 'slips/test10-mixed-zeek-dir/conn.log'))).rows, 141);
  assert.equal((await loadOne(join(REAL, 'zat/conn_date_issue.log'))).rows, 3);
});

test('vendor extra columns: 10 connections, no error', async () => {
  const f = await loadOne(join(EDGE, 'vendor-extra-columns.log'));
  assert.equal(f.rows, 10);
  assert.equal(f.rejected, 0);
});

test('rows with no Zeek header are refused by name', async () => {
  const f = await loadOne(join(REAL, 'rita/truncated/conn_top.log'));
  assert.equal(f.format, null);
  assert.equal(f.rows, 0);
  assert.match(f.reason ?? '', /no Zeek header/);
});

test('Zeek JSON: an out-of-range port and a cut-off object are rejected with reasons', async () => {
  const f = await loadOne(join(REAL, 'rita/truncated/conn_json.log'));
  assert.equal(f.rows, 2);
  assert.equal(f.rejected, 2);
  assert.match(f.errors[0].reason, /93145.*not a port/);
  assert.match(f.errors[1].reason, /not valid JSON/);
});

test('elastic-beats JSON: epoch and ISO ts in one file, ICMP, external-to-external: 5 connections', async () => {
  assert.equal((await loadOne(join(REAL, 'elastic-beats/zeek_connection_test_connection-json.log'))).rows, 5);
});

test('re-importing the same file (by content) adds nothing; a renamed copy is skipped too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metronome-test-'));
  const copy = join(dir, 'renamed.log');
  copyFileSync(SAMPLE, copy);
  const { engine, report } = await load(SAMPLE);
  const again = await engine.import([SAMPLE, copy]);
  assert.equal(report.tables.connections, 992);
  assert.equal(again.tables.connections, 992);
  assert.ok(again.files.every((f) => f.skipped && f.rows === 0));
  engine.close();
});

test('an unreadable path names itself and the batch goes on', async () => {
  const { engine, report } = await load('/nonexistent/conn.log', SAMPLE);
  const bad = report.files.find((f) => f.path === '/nonexistent/conn.log');
  assert.ok(bad);
  assert.match(bad.reason ?? '', /cannot read/);
  assert.equal(report.tables.connections, 992);
  engine.close();
});

test('a folder tree loads its logs and refuses a text file by name', async () => {
  const { engine, report } = await load(join(EDGE, 'mixed-folder'));
  const byName = (s: string) => report.files.find((f) => f.path.endsWith(s));
  assert.match(byName('notes.txt')?.reason ?? '', /no reader took this file/);
  assert.equal(byName('weird.log')?.rows, 0);
  assert.equal(byName('weird.log')?.reason, null);
  assert.equal(report.tables.connections, 22);
  const [open] = await rows<{ n: bigint }>(engine, 'SELECT count(*) AS n FROM connections WHERE is_open');
  assert.equal(open.n, 2n);
  engine.close();
});
