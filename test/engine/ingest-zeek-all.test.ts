// Every Zeek log in ../shared/data loads with pinned counts, or is refused with a clear reason;
// and the Zeek odd-input cases of edge-cases/README.md give the values that README names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EDGE, load, loadOne, REAL } from '../helpers.js';

// [path under real/, format, log type, rows loaded, rejected]
const PINNED: [string, string | null, string | null, number, number][] = [
  ['elastic-beats/zeek_connection_test_conn.log', 'zeek-json', 'conn', 2, 0],
  ['elastic-beats/zeek_dns_test_dns-json.log', 'zeek-json', 'dns', 3, 0],
  ['elastic-beats/zeek_http_test_http-json.log', 'zeek-json', 'http', 2, 0],
  ['elastic-beats/zeek_ssl_test_ssl-with-ja3-and-custom-fields-json.log', 'zeek-json', 'ssl', 1, 0],
  ['rita/dnscat2-ja3-strobe-agent/http.log.gz', 'zeek-tsv', 'http', 27204, 0],
  ['rita/has_unknown_field/http.log', 'zeek-tsv', 'http', 4, 1],
  ['rita/json_with_all_fields/conn.log', 'zeek-json', 'conn', 29, 0],
  ['rita/json_with_all_fields/dns.log', 'zeek-json', 'dns', 34, 0],
  ['rita/json_with_all_fields/http.log', 'zeek-json', 'http', 10, 0],
  ['rita/json_with_all_fields/open_conn.log', 'zeek-json', 'open_conn', 59, 0],
  ['rita/json_with_all_fields/ssl.log', 'zeek-json', 'ssl', 10, 0],
  ['rita/open_conns/open/open_conn.log', 'zeek-tsv', 'open_conn', 59, 0],
  ['rita/open_sni/open_conn.17_32_32-18_00_00.log.gz', 'zeek-tsv', 'open_conn', 12, 0],
  ['rita/open_sni/open_ssl.17_37_07-18_00_00.log.gz', 'zeek-tsv', 'open_ssl', 2, 0],
  ['rita/proxy/conn.log', 'zeek-tsv', 'conn', 463, 0],
  ['rita/proxy/dns.log', 'zeek-tsv', 'dns', 942, 0],
  ['rita/proxy/http.log', 'zeek-tsv', 'http', 407, 0],
  ['rita/proxy/ssl.log', 'zeek-tsv', 'ssl', 407, 0],
  ['rita/proxy/files.log', 'zeek-tsv', 'files', 194, 0],
  ['rita/proxy/x509.log', 'zeek-tsv', 'x509', 173, 0],
  ['rita/proxy/capture_loss.log', 'zeek-tsv', 'capture_loss', 102, 0],
  ['rita/proxy/stats.log', 'zeek-tsv', 'stats', 217, 0],
  ['rita/proxy/dhcp.log', 'zeek-tsv', 'dhcp', 0, 0],
  ['rita/proxy/weird.log', 'zeek-tsv', 'weird', 0, 0],
  ['rita/proxy_rolling/conn.16:00:00-17:00:00.log.gz', 'zeek-tsv', 'conn', 7260, 0],
  ['rita/proxy_rolling/dns.16:00:00-17:00:00.log.gz', 'zeek-tsv', 'dns', 3189, 0],
  ['rita/proxy_rolling/http.16:00:00-17:00:00.log.gz', 'zeek-tsv', 'http', 2325, 0],
  ['rita/proxy_rolling/ssl.16:00:00-17:00:00.log.gz', 'zeek-tsv', 'ssl', 2734, 0],
  ['rita/valid_json/http.log.gz', 'zeek-json', 'http', 27204, 0],
  ['rita/valid_tsv/http.log.gz', 'zeek-tsv', 'http', 27204, 0],
  ['slips/port-scans/horizontal/conn.log', 'zeek-tsv', 'conn', 41, 0],
  ['slips/port-scans/vertical/conn.log', 'zeek-json', 'conn', 50, 0],
  ['slips/test10-mixed-zeek-dir/dns.log', 'zeek-tsv', 'dns', 93, 0],
  ['slips/test10-mixed-zeek-dir/ssl.log', 'zeek-tsv', 'ssl', 13, 0],
  ['slips/test10-mixed-zeek-dir/notice.log', 'zeek-tsv', 'notice', 12, 1],
  ['slips/test14-malicious-zeek-dir/http.log', 'zeek-json', 'http', 521, 0],
  ['slips/test9-mixed-zeek-dir/conn.log', 'zeek-json', 'conn', 576, 0],
  ['slips/test9-mixed-zeek-dir/dns.log', 'zeek-json', 'dns', 239, 0],
  ['slips/test9-mixed-zeek-dir/http.log', 'zeek-json', 'http', 516, 0],
  ['slips/test9-mixed-zeek-dir/ssl.log', 'zeek-json', 'ssl', 205, 0],
  ['slips/test9-mixed-zeek-dir/x509.log', 'zeek-json', 'x509', 154, 0],
  ['slips/test9-mixed-zeek-dir/dhcp.log', 'zeek-json', 'dhcp', 0, 0],
  ['stratosphere/002-zeek-scenario-port-scanning/conn.log', 'zeek-json', 'conn', 4504, 0],
  ['stratosphere/003-zeek-scenario-malicious/conn.log', 'zeek-tsv', 'conn', 361, 0],
  ['stratosphere/005-zeek-scenario-malicious/http.log', 'zeek-tsv', 'http', 992, 0],
  ['stratosphere/008-zeek-mixed/data/conn.log.labeled', 'zeek-tsv', 'conn', 5663, 0],
  ['stratosphere/009-zeek-malicious/data/dns.log.labeled', 'zeek-tsv', 'dns', 24181, 0],
  ['stratosphere/009-zeek-malicious/data/ssl.log.labeled', 'zeek-tsv', 'ssl', 744, 0],
  ['zat/conn.log', 'zeek-tsv', 'conn', 360, 0],
  ['zat/dns.log', 'zeek-tsv', 'dns', 54, 0],
  ['zat/http.log', 'zeek-tsv', 'http', 150, 0],
  ['zat/ssl.log', 'zeek-tsv', 'ssl', 37, 0],
  ['zat/tor_ssl.log', 'zeek-tsv', 'ssl', 733, 0],
  ['zed-sample-data/zeek-default/dns.log.gz', 'zeek-tsv', 'dns', 53615, 0],
  ['zed-sample-data/zeek-json/dns.json.gz', 'zeek-json', 'dns', 53615, 0],
  ['zed-sample-data/zeek-default/ssl.log.gz', 'zeek-tsv', 'ssl', 49474, 0],
  ['zed-sample-data/zeek-json/ssl.json.gz', 'zeek-json', 'ssl', 49474, 0],
];

for (const [path, format, logType, rowsExpected, rejected] of PINNED) {
  test(`real log loads with pinned counts: ${path}`, async () => {
    const f = await loadOne(join(REAL, path));
    assert.deepEqual(
      { format: f.format, logType: f.logType, rows: f.rows, rejected: f.rejected },
      { format, logType, rows: rowsExpected, rejected },
    );
    if (!rejected) assert.equal(f.reason, null);
  });
}

test('unused Zeek log types are recognised and noted, never errors', async () => {
  const f = await loadOne(join(REAL, 'rita/proxy/weird.log'));
  assert.equal(f.reason, null);
  assert.ok(f.warnings.some((w) => /weird log: recognised, not used/.test(w)));
  assert.ok(f.warnings.some((w) => /131 rows/.test(w)));
});

test('truncated gzip (zat/http.log.corrupt.gz): all 150 rows load and the file is reported as truncated', async () => {
  const f = await loadOne(join(REAL, 'zat/http.log.corrupt.gz'));
  assert.equal(f.rows, 150);
  assert.ok(f.warnings.some((w) => /compressed stream ends early/.test(w)), f.warnings.join('; '));
});

test('header-only log (zat/http_empty.log): 0 rows, no error', async () => {
  const f = await loadOne(join(REAL, 'zat/http_empty.log'));
  assert.equal(f.rows, 0);
  assert.equal(f.reason, null);
  assert.equal(f.logType, 'http');
});

test('open then closed: the same 59 uids count once (rita/open_conns)', async () => {
  const { engine, report } = await load(join(REAL, 'rita/open_conns/open/open_conn.log'), join(REAL, 'rita/open_conns/closed/conn.log'));
  assert.equal(report.tables.connections, 59);
  const [r] = await engine.db.all<{ open: bigint }>('SELECT count(*) FILTER (WHERE is_open) AS open FROM connections');
  assert.equal(r.open, 0n, 'closed rows superseded the open ones');
  assert.ok(report.files[0].warnings.some((w) => /named open_conn but its header says #path conn/.test(w)));
  engine.close();
  // And the other order: closed first, then the open rows add nothing.
  const b = await load(join(REAL, 'rita/open_conns/closed/conn.log'), join(REAL, 'rita/open_conns/open/open_conn.log'));
  assert.equal(b.report.tables.connections, 59);
  b.engine.close();
});

test('the same events as TSV and JSON (zed-sample-data dns) count once', async () => {
  const { engine, report } = await load(join(REAL, 'zed-sample-data/zeek-default/dns.log.gz'), join(REAL, 'zed-sample-data/zeek-json/dns.json.gz'));
  assert.equal(report.tables.dns, 53615);
  engine.close();
});

test('a copy of a conn.log with extra label columns counts once (stratosphere 001 labeled-conn.log)', async () => {
  const { report } = await load(join(REAL, 'stratosphere/001-zeek-scenario-malicious'));
  assert.equal(report.tables.connections, 992);
});

test("Zeek's own format test outputs never crash; masked ts rows are rejected and named", async () => {
  const { report } = await load(join(REAL, 'zeek-format-edgecases'));
  assert.ok(report.files.length > 20);
  for (const f of report.files) {
    if (f.rejected) assert.ok(f.errors.every((e) => e.line > 0 && e.reason.length > 0));
  }
  const teredo = report.files.find((f) => f.path.endsWith('core.tunnels.teredo/conn.log'));
  assert.equal(teredo?.rows, 0);
  assert.equal(teredo?.rejected, 21);
  assert.match(teredo?.errors[0].reason ?? '', /XXXXXXXXXX\.XXXXXX.*not a time/);
});

test('edge: concatenated dns + conn blocks in one file: 5 DNS rows and 10 connections', async () => {
  const { report } = await load(join(EDGE, 'concatenated-blocks.log'));
  assert.equal(report.files[0].logType, 'mixed');
  assert.equal(report.files[0].rejected, 0);
  assert.equal(report.tables.dns, 5);
  assert.equal(report.tables.connections, 10);
});

test('edge: # inside values, a value starting with escaped \\x23, unbalanced quotes', async () => {
  const { engine, report } = await load(join(EDGE, 'hash-and-quotes-http.log'));
  assert.equal(report.tables.http, 3);
  const r = await engine.db.all<{ uri: string; user_agent: string }>('SELECT uri, user_agent FROM http ORDER BY ts');
  assert.deepEqual(r.map((x) => x.uri), ['/search?q=a#frag&x=1', '#notacomment', '/a"b"c']);
  assert.deepEqual(r.map((x) => x.user_agent), ['Mozilla/5.0 (compatible; "Probe', 'curl/8.1 "unclosed', '"']);
  engine.close();
});

test('edge: (empty) vs - vs escaped \\x28empty) / \\x2d / \\x2c', async () => {
  const { engine } = await load(join(EDGE, 'empty-unset-escaped-ssl.log'));
  const r = await engine.db.all<{ sn: string | null; np: string | null; fps: { items: string[] } | null }>(
    'SELECT server_name AS sn, next_protocol AS np, cert_chain_fps AS fps FROM tls ORDER BY ts',
  );
  assert.deepEqual(
    r.map((x) => [x.sn, x.np, x.fps === null ? null : [...x.fps.items]]),
    [
      ['', null, []],
      ['(empty)', '-', ['ab12', 'cd34']],
      [null, 'h2', ['ef56,gh78']],
    ],
  );
  engine.close();
});

test('edge: raw UTF-8 and \\xNN-escaped SNI decode to the same name', async () => {
  const { engine } = await load(join(EDGE, 'sni-raw-utf8-ssl.log'), join(EDGE, 'sni-escaped-ssl.log'));
  const r = await engine.db.all<{ sn: string }>('SELECT DISTINCT server_name AS sn FROM tls');
  assert.deepEqual(r.map((x) => x.sn), ['ëxample-cdn.example.test']);
  engine.close();
});

test('edge: 4 identical copies of each connection (uids aside) are all kept as raw evidence', async () => {
  const { engine, report } = await load(join(EDGE, 'duplicate-conns-different-uids.log'));
  assert.equal(report.tables.connections, 16);
  const [r] = await engine.db.all<{ n: bigint }>('SELECT count(DISTINCT ts) AS n FROM connections');
  assert.equal(r.n, 4n);
  engine.close();
});
