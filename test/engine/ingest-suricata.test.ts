// Suricata eve.json ingest on the odd inputs of ../shared/data/edge-cases (their README gives each
// expected value) and the real eve files under ../shared/data/real (counts checked against an
// independent count of the file's lines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { EDGE, load, loadOne, REAL, rows } from '../helpers.js';
import { canonicalIp, quoteBigIds, suricataConnState, suricataEve } from '../../main/ingest/suricata-eve.js';
import { choosePlugin } from '../../main/ingest/registry.js';

const TS = "strftime(ts, '%Y-%m-%d %H:%M:%S.%f')";

function tmpFile(name: string, lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'metronome-eve-'));
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Lines of a file whose text matches a pattern: an independent count of its events. */
function countLines(path: string, re: RegExp): number {
  return readFileSync(path, 'utf8').split('\n').filter((l) => re.test(l)).length;
}

test('sniff: eve lines (plain and AWS-wrapped) are taken, other JSON refused with a reason', () => {
  const plain = '{"timestamp":"2025-05-01T10:00:00Z","event_type":"flow","src_ip":"10.0.0.1"}\n';
  assert.deepEqual(suricataEve.sniff(plain, 'eve.json'), { ok: true, why: 'JSON lines with a Suricata "event_type"' });
  const wrapped = readFileSync(join(EDGE, 'eve-aws-wrapped.json'), 'utf8');
  assert.match(suricataEve.sniff(wrapped, 'eve-aws-wrapped.json').why, /nested under "event"/);
  // A first line cut by the sniff window is still recognised by its keys.
  assert.equal(suricataEve.sniff('{"firewall_name":"x","event":{"timestamp":"2025', 'x.json').ok, false);
  assert.equal(suricataEve.sniff('{"firewall_name":"x","event":{"event_type":"netflow","x":', 'x.json').ok, true);
  const zeek = suricataEve.sniff('{"ts":1746093600.25,"uid":"C1","id.orig_h":"10.0.0.1"}\n', 'conn.log');
  assert.deepEqual(zeek, { ok: false, why: 'JSON without "event_type", so not Suricata eve' });
  assert.deepEqual(suricataEve.sniff('#separator \\x09\n', 'conn.log'), { ok: false, why: 'first line is not a JSON object' });
  assert.deepEqual(suricataEve.sniff('\n\n', 'eve.json'), { ok: false, why: 'file is empty' });
  const choice = choosePlugin(plain, 'eve.json');
  assert.equal(choice.plugin?.format, 'suricata-eve');
});

test('flow ids above 2^53 are quoted before parsing, digits kept', () => {
  assert.equal(quoteBigIds('{"flow_id": 1234567890123456789, "parent_id":-5,"tx_id":3}'),
    '{"flow_id": "1234567890123456789", "parent_id":"-5","tx_id":3}');
  // Text inside a string value is left alone (its quotes are escaped).
  assert.equal(quoteBigIds('{"payload":"\\"flow_id\\":1"}'), '{"payload":"\\"flow_id\\":1"}');
});

test('IPv6 is written in the compressed form Zeek uses', () => {
  assert.equal(canonicalIp('fe80:0000:0000:0000:fada:0cff:fedc:87f1'), 'fe80::fada:cff:fedc:87f1');
  assert.equal(canonicalIp('ff02:0000:0000:0000:0000:0000:0001:0002'), 'ff02::1:2');
  assert.equal(canonicalIp('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(canonicalIp('2001:0db8:0000:0001:0000:0000:0000:0000'), '2001:db8:0:1::');
  assert.equal(canonicalIp('::1'), '::1');
  assert.equal(canonicalIp('10.0.0.1'), '10.0.0.1');
});

test('conn_state: a Zeek-like summary of flow state, reply packets and TCP flags', () => {
  const tcp = (respPkts: bigint | null, state: string | null, tsFlags: number | null, tcFlags: number | null) =>
    suricataConnState({ proto: 'tcp', respPkts, state, tsFlags, tcFlags });
  assert.equal(tcp(0n, 'new', 0x02, 0x00), 'S0'); // SYN, no reply
  assert.equal(tcp(0n, 'new', null, null), 'S0');
  assert.equal(tcp(0n, 'new', 0x18, 0x00), 'OTH'); // midstream, no SYN seen
  assert.equal(tcp(1n, 'closed', 0x02, 0x14), 'REJ'); // SYN answered by RST+ACK
  assert.equal(tcp(5n, 'closed', 0x1b, 0x1b), 'SF'); // both sides FIN
  assert.equal(tcp(5n, 'closed', null, null), 'SF'); // tcp flags not logged
  assert.equal(tcp(5n, 'closed', 0x06, 0x12), 'RSTO'); // originator aborted
  assert.equal(tcp(5n, 'closed', 0x12, 0x16), 'RSTR'); // responder aborted after SYN-ACK
  assert.equal(tcp(5n, 'established', 0x12, 0x12), 'S1');
  assert.equal(tcp(5n, 'established', 0x13, 0x12), 'S2'); // originator FIN only
  assert.equal(tcp(5n, 'established', 0x12, 0x13), 'S3'); // responder FIN only
  assert.equal(tcp(5n, 'established', null, null), 'OTH');
  assert.equal(tcp(null, null, null, null), null);
  assert.equal(suricataConnState({ proto: 'udp', respPkts: 0n, state: 'new', tsFlags: null, tcFlags: null }), 'S0');
  assert.equal(suricataConnState({ proto: 'udp', respPkts: 2n, state: 'established', tsFlags: null, tcFlags: null }), 'SF');
  assert.equal(suricataConnState({ proto: 'icmp', respPkts: 0n, state: 'new', tsFlags: null, tcFlags: null }), 'OTH');
});

test('edge case eve-offsets.json: 4 connections from flow.start, 0.5 s each, 700 out / 420 in', async () => {
  const { engine, report } = await load(join(EDGE, 'eve-offsets.json'));
  const f = report.files[0];
  assert.equal(f.format, 'suricata-eve');
  assert.equal(f.logType, 'eve');
  assert.equal(f.rows, 4);
  assert.equal(f.rejected, 0);
  // The offset-less time is read as UTC, with one warning for the file.
  assert.deepEqual(f.warnings.filter((w) => /read as UTC/.test(w)), [
    'times without a UTC offset were read as UTC (first on line 4: 2025-05-01T10:03:00.100000)',
  ]);
  const got = await rows(engine, `SELECT conn_id, ${TS} AS t, duration, orig_bytes, resp_bytes, orig_ip_bytes, resp_ip_bytes,
    orig_pkts, resp_pkts, proto, service, conn_state, history, is_open FROM connections ORDER BY ts`);
  const base = {
    duration: 0.5, orig_bytes: null, resp_bytes: null, orig_ip_bytes: 700n, resp_ip_bytes: 420n,
    orig_pkts: 6n, resp_pkts: 5n, proto: 'tcp', service: 'tls', conn_state: 'SF', history: null, is_open: false,
  };
  assert.deepEqual(got, [
    { conn_id: '1111111111111101', t: '2025-05-01 10:00:00.100000', ...base },
    { conn_id: '1111111111111102', t: '2025-05-01 10:01:00.100000', ...base },
    { conn_id: '1111111111111103', t: '2025-05-01 10:02:00.100000', ...base },
    { conn_id: '1111111111111104', t: '2025-05-01 10:03:00.100000', ...base },
  ]);
  engine.close();
});

test('edge case eve-impossible-date.json: 3 connections, line 3 rejected, earliest 10:00:00.1 UTC', async () => {
  const { engine, report } = await load(join(EDGE, 'eve-impossible-date.json'));
  const f = report.files[0];
  assert.equal(f.rows, 3);
  assert.equal(f.rejected, 1);
  assert.deepEqual(f.errors, [
    { line: 3, reason: 'flow event: flow.start "1900-01-00T00:00:14.199185+0000" is not a valid date' },
  ]);
  assert.equal(report.tables.connections, 3);
  const [r] = await rows<{ t: string; n: bigint }>(engine, `SELECT strftime(min(ts), '%Y-%m-%d %H:%M:%S.%f') AS t, count(*) AS n FROM connections`);
  assert.deepEqual(r, { t: '2025-05-01 10:00:00.100000', n: 3n });
  const ids = await rows<{ conn_id: string }>(engine, 'SELECT conn_id FROM connections ORDER BY conn_id');
  assert.deepEqual(ids.map((x) => x.conn_id), ['1111111111111101', '1111111111111102', '1111111111111103']);
  engine.close();
});

test('edge case eve-big-flow-id.json: id kept exactly; the alert and SNI belong to the first flow only', async () => {
  const { engine, report } = await load(join(EDGE, 'eve-big-flow-id.json'));
  assert.equal(report.files[0].rejected, 0);
  assert.deepEqual(
    { connections: report.tables.connections, tls: report.tables.tls, alerts: report.tables.alerts },
    { connections: 2, tls: 1, alerts: 1 },
  );
  const got = await rows(engine, `SELECT c.conn_id, c.src_port, t.server_name, t.version, a.signature_id, a.signature, a.severity
    FROM connections c LEFT JOIN tls t USING (conn_id) LEFT JOIN alerts a USING (conn_id) ORDER BY c.conn_id`);
  assert.deepEqual(got, [
    { conn_id: '1234567890123456789', src_port: 54002, server_name: 'beacon.example.test', version: 'TLS 1.3',
      signature_id: 9000001n, signature: 'EXAMPLE beacon-like TLS', severity: 1 },
    { conn_id: '1234567890123456790', src_port: 54099, server_name: null, version: null,
      signature_id: null, signature: null, severity: null },
  ]);
  const [a] = await rows(engine, `SELECT conn_id, ${TS} AS t, src_ip, dst_ip, dst_port, proto, category, action FROM alerts`);
  assert.deepEqual(a, {
    conn_id: '1234567890123456789', t: '2025-05-01 10:02:00.300000', src_ip: '10.9.0.11', dst_ip: '203.0.113.50',
    dst_port: 443, proto: 'tcp', category: 'A Network Trojan was detected', action: 'allowed',
  });
  engine.close();
});

test('edge case eve-aws-wrapped.json: 5 netflow connections from netflow.start, 900 out, in unknown', async () => {
  const { engine, report } = await load(join(EDGE, 'eve-aws-wrapped.json'));
  const f = report.files[0];
  assert.equal(f.format, 'suricata-eve');
  assert.equal(f.rows, 5);
  assert.equal(f.rejected, 0);
  const got = await rows(engine, `SELECT conn_id, ${TS} AS t, src_ip, src_port, dst_ip, dst_port, duration,
    orig_ip_bytes, resp_ip_bytes, orig_bytes, resp_bytes, orig_pkts, resp_pkts, conn_state, sensor FROM connections ORDER BY ts`);
  assert.deepEqual(got, [0, 1, 2, 3, 4].map((i) => ({
    conn_id: `222222222222220${i + 1}`, t: `2025-05-01 10:0${i}:00.000000`, src_ip: '10.9.0.12', src_port: 55000 + i,
    dst_ip: '198.51.100.60', dst_port: 443, duration: 1, orig_ip_bytes: 900n, resp_ip_bytes: null, orig_bytes: null,
    resp_bytes: null, orig_pkts: 7n, resp_pkts: null, conn_state: null, sensor: 'fw-example',
  })));
  engine.close();
});

test('edge case eve-dns-v1-and-v2.json: 2 lookups of multi.example.test by 10.9.0.13, 4 answers each', async () => {
  const { engine, report } = await load(join(EDGE, 'eve-dns-v1-and-v2.json'));
  assert.equal(report.files[0].rejected, 0);
  assert.equal(report.tables.dns, 2);
  const got = await rows(engine, `SELECT conn_id, ${TS} AS t, src_ip, src_port, dst_ip, dst_port, proto, trans_id, query,
    qtype, rcode, answers, ttls FROM dns ORDER BY ts`);
  const answers = ['203.0.113.70', '203.0.113.71', '203.0.113.72', '203.0.113.73'];
  const ttls = ['30', '30', '30', '30'];
  const plain = got.map((r) => ({ ...r, answers: (r.answers as { items: string[] }).items, ttls: (r.ttls as { items: string[] }).items }));
  assert.deepEqual(plain, [
    // v1: the query event, then one answer event per record (resolver → client).
    { conn_id: '3333333333333301', t: '2025-05-01 10:00:00.000000', src_ip: '10.9.0.13', src_port: 40001, dst_ip: '10.9.0.53',
      dst_port: 53, proto: 'udp', trans_id: 4242, query: 'multi.example.test', qtype: 'A', rcode: null, answers, ttls },
    // v2: an answer with answers[] and no query event; the client is dest_ip.
    { conn_id: '3333333333333302', t: '2025-05-01 10:01:00.010000', src_ip: '10.9.0.13', src_port: 40002, dst_ip: '10.9.0.53',
      dst_port: 53, proto: 'udp', trans_id: 4243, query: 'multi.example.test', qtype: 'A', rcode: 'NOERROR', answers, ttls },
  ]);
  engine.close();
});

test('real slips test6 eve: every event loads; connection times from flow.start, not timestamp', async () => {
  const path = join(REAL, 'slips/test6-malicious.suricata.json');
  const { engine, report } = await load(path);
  const f = report.files[0];
  assert.equal(f.format, 'suricata-eve');
  assert.equal(f.rejected, 0);
  const flows = countLines(path, /"event_type":"flow"/);
  const queries = countLines(path, /"event_type":"dns".*"type":"query"/);
  const alerts = countLines(path, /"event_type":"alert"/);
  const http = countLines(path, /"event_type":"http"/);
  const tls = countLines(path, /"event_type":"tls"/);
  const other = countLines(path, /"event_type":"(fileinfo|anomaly)"/);
  assert.deepEqual([flows, queries, alerts, http, tls, other], [3512, 340, 745, 56, 1, 6]);
  assert.deepEqual(report.tables, { connections: flows, dns: queries, http, tls, alerts });
  assert.equal(f.rows, flows + queries + alerts + http + tls + other);
  const [span] = await rows(engine, `SELECT strftime(min(ts), '%Y-%m-%d %H:%M:%S.%f') AS a, strftime(max(ts), '%Y-%m-%d %H:%M:%S.%f') AS b FROM connections`);
  // The earliest flow event is stamped 13:57:37.272281 UTC, but its flow starts later.
  assert.deepEqual(span, { a: '2021-06-06 13:57:39.105835', b: '2021-06-07 13:56:04.947028' });
  const [one] = await rows(engine, `SELECT ${TS} AS t, duration, src_ip, dst_ip, dst_port, proto, service, conn_state, orig_ip_bytes, sensor
    FROM connections WHERE conn_id = '445348883402532'`);
  assert.deepEqual(one, { t: '2021-06-06 14:38:55.855844', duration: 1.107183, src_ip: '192.168.1.132', dst_ip: '192.168.1.129',
    dst_port: 44232, proto: 'udp', service: null, conn_state: 'S0', orig_ip_bytes: 4056n, sensor: 'stratosphere.org' });
  // Every lookup found its answer (v1 queries, v2 answers in flow direction).
  const [dns] = await rows(engine, `SELECT count(*) AS n, count(answers) AS answered, count(*) FILTER (WHERE src_ip = '192.168.1.129') AS from_host FROM dns`);
  assert.deepEqual(dns, { n: 340n, answered: 340n, from_host: 340n });
  // T1: inbound uptime checks every 300 s, kept as connections (not a finding: inbound).
  const [t1] = await rows(engine, `SELECT count(*) AS n, median(gap) AS gap FROM (SELECT epoch(ts) - lag(epoch(ts)) OVER (ORDER BY ts) AS gap
    FROM connections WHERE src_ip = '216.245.221.83' AND dst_ip = '192.168.1.129' AND dst_port = 80)`);
  assert.equal(t1.n, 287n);
  assert.ok(Math.abs((t1.gap as number) - 300) < 1, `median gap ${t1.gap}`);
  const states = await rows(engine, 'SELECT conn_state, count(*) AS n FROM connections GROUP BY 1 ORDER BY 2 DESC, 1');
  assert.deepEqual(states.map((s) => [s.conn_state, s.n]), [
    ['REJ', 1939n], ['S0', 977n], ['S2', 334n], ['SF', 215n], ['RSTO', 25n], ['OTH', 15n], ['S1', 7n],
  ]);
  engine.close();
});

test('real zeus eve (Suricata 7): every event loads; times from flow.start; IPv6 and ICMP tuples', async () => {
  const path = join(REAL, 'zeus-suricata-eve/eve.json');
  const { engine, report } = await load(path);
  const f = report.files[0];
  assert.equal(f.format, 'suricata-eve');
  assert.equal(f.rejected, 0);
  const flows = countLines(path, /"event_type":"flow"/);
  const queries = countLines(path, /"event_type":"dns".*"type":"query"/);
  const alerts = countLines(path, /"event_type":"alert"/);
  const other = countLines(path, /"event_type":"(dhcp|stats)"/);
  assert.deepEqual([flows, queries, alerts, other], [1092, 2432, 3246, 44]);
  assert.deepEqual(report.tables, { connections: flows, dns: queries, http: 0, tls: 0, alerts });
  assert.equal(f.rows, flows + queries + alerts + other);
  const [span] = await rows(engine, `SELECT strftime(min(ts), '%Y-%m-%d %H:%M:%S.%f') AS a, strftime(max(ts), '%Y-%m-%d %H:%M:%S.%f') AS b FROM connections`);
  assert.deepEqual(span, { a: '2024-12-19 00:35:54.288831', b: '2024-12-19 01:31:05.259161' });
  const [icmp] = await rows(engine, `SELECT ${TS} AS t, src_ip, src_port, dst_ip, dst_port, proto, conn_state FROM connections WHERE conn_id = '26506176329434'`);
  assert.deepEqual(icmp, { t: '2024-12-19 00:36:40.530459', src_ip: 'fe80::870a:159e:acca:1b3', src_port: 135,
    dst_ip: 'ff02::1:ff00:1', dst_port: 0, proto: 'icmp', conn_state: 'OTH' });
  // Alerts carry the flow's own tuple (Suricata 7 alert.flow); 48 packet alerts have no flow.
  const [al] = await rows(engine, 'SELECT count(*) AS n, count(conn_id) AS with_flow FROM alerts');
  assert.deepEqual(al, { n: 3246n, with_flow: BigInt(3246 - countLines(path, /^(?!.*"flow_id").*"event_type":"alert"/)) });
  assert.equal(al.with_flow, 3198n);
  const kept = await rows(engine, 'SELECT log_type, count(*) AS n FROM other_logs GROUP BY 1 ORDER BY 1');
  assert.deepEqual(kept, [{ log_type: 'dhcp', n: 40n }, { log_type: 'stats', n: 4n }]);
  assert.ok(f.warnings.includes('Suricata events kept aside in other_logs, not analysed: dhcp 40, stats 4'));
  engine.close();
});

test('real elastic-beats eve: one row per table, DNS answer flipped to its client, others kept aside', async () => {
  const { engine, report } = await load(join(REAL, 'elastic-beats/suricata_eve_test_eve.json'));
  const f = report.files[0];
  assert.equal(f.rows, 8);
  assert.equal(f.rejected, 0);
  assert.deepEqual(report.tables, { connections: 1, dns: 1, http: 1, tls: 1, alerts: 1 });
  const [c] = await rows(engine, `SELECT conn_id, ${TS} AS t, src_ip, dst_ip, proto, service, conn_state, orig_ip_bytes, resp_ip_bytes FROM connections`);
  assert.deepEqual(c, { conn_id: '1828507008887644', t: '2018-07-05 19:51:23.453468', src_ip: 'fe80::fada:cff:fedc:87f1',
    dst_ip: 'ff02::1:2', proto: 'udp', service: null, conn_state: 'S0', orig_ip_bytes: 110n, resp_ip_bytes: 0n });
  const [d] = await rows(engine, `SELECT src_ip, src_port, dst_ip, dst_port, query, rcode, answers FROM dns`);
  assert.deepEqual({ ...d, answers: (d.answers as { items: string[] }).items }, { src_ip: '192.168.86.85', src_port: 39464,
    dst_ip: '192.168.86.1', dst_port: 53, query: 'clients.l.google.com', rcode: 'NOERROR', answers: ['172.217.13.110'] });
  const [h] = await rows(engine, 'SELECT method, host, uri, status_code, response_body_len, request_body_len FROM http');
  assert.deepEqual(h, { method: 'GET', host: '192.168.86.28', uri: '/dd.xml', status_code: 200, response_body_len: 1155n, request_body_len: null });
  const [t] = await rows(engine, 'SELECT server_name, version, subject, issuer FROM tls');
  assert.deepEqual(t, { server_name: 'p33-btmmdns.icloud.com.', version: 'TLS 1.2',
    subject: 'CN=*.icloud.com/OU=management:idms.group.506364/O=Apple Inc./ST=California/C=US',
    issuer: 'CN=Apple IST CA 2 - G1/OU=Certification Authority/O=Apple Inc./C=US' });
  const [a] = await rows(engine, `SELECT ${TS} AS t, signature_id, severity, src_ip, dst_port FROM alerts`);
  assert.deepEqual(a, { t: '2018-07-05 19:07:20.910626', signature_id: 2024833n, severity: 1, src_ip: '192.168.86.85', dst_port: 443 });
  const kept = await rows(engine, 'SELECT log_type, conn_id FROM other_logs ORDER BY log_type');
  assert.deepEqual(kept, [
    { log_type: 'fileinfo', conn_id: '2211411903323127' },
    { log_type: 'ssh', conn_id: '298824096901438' },
    { log_type: 'stats', conn_id: null },
  ]);
  engine.close();
});

test('bad lines are rejected with line and reason; other event types never error', async () => {
  const flow = (id: number, start: string) =>
    `{"timestamp":"2025-05-01T10:00:00Z","flow_id":${id},"event_type":"flow","src_ip":"10.0.0.1","src_port":1000,"dest_ip":"192.0.2.1","dest_port":443,"proto":"TCP","flow":{"pkts_toserver":1,"pkts_toclient":0,"bytes_toserver":60,"bytes_toclient":0,"start":"${start}","end":"${start}","state":"new"}}`;
  const path = tmpFile('eve.json', [
    flow(1, '2025-05-01T10:00:00.000000+0000'),
    'not json at all',
    '[1,2,3]',
    '{"timestamp":"2025-05-01T10:00:00Z","no_type":true}',
    flow(2, '2025-13-01T10:00:00.000000+0000'),
    '{"timestamp":"2025-05-01T10:00:00Z","flow_id":3,"event_type":"flow","src_ip":"10.0.0.1","dest_ip":"192.0.2.1","proto":"TCP","flow":{"pkts_toserver":1}}',
    '',
    '{"timestamp":"2025-05-01T10:00:00Z","event_type":"stats","stats":{"uptime":1,"nested":{"deep":[1,{"x":null}]}}}',
    '{"timestamp":"2025-05-01T10:00:00Z","event_type":"some_future_type","some_future_type":{"a":1}}',
    flow(4, '2025-05-01T10:05:00.000000+0000').replace('"proto":"TCP"', '"proto":"TCP","unknown":{"deep":{"x":[1,2]}}'),
  ]);
  const { engine, report } = await load(path);
  const f = report.files[0];
  assert.equal(f.format, 'suricata-eve');
  assert.equal(f.rejected, 5);
  assert.deepEqual(f.errors.map((e) => e.line), [2, 3, 4, 5, 6]);
  assert.match(f.errors[0].reason, /^not valid JSON/);
  assert.equal(f.errors[1].reason, 'line is not a JSON object');
  assert.equal(f.errors[2].reason, 'no "event_type": not a Suricata eve record');
  assert.equal(f.errors[3].reason, 'flow event: flow.start "2025-13-01T10:00:00.000000+0000" is not a valid date');
  assert.equal(f.errors[4].reason, 'flow event: flow.start is missing');
  assert.equal(report.tables.connections, 2);
  const kept = await rows(engine, 'SELECT log_type, record FROM other_logs ORDER BY log_type');
  assert.deepEqual(kept.map((k) => k.log_type), ['some_future_type', 'stats']);
  assert.match(kept[1].record as string, /"uptime":1/);
  engine.close();
});

test('netflow: the two directions of one flow_id make one connection; a flow event wins over netflow', async () => {
  const nf = (id: string, src: string, sp: number, dst: string, dp: number, pkts: number, bytes: number, flags: string) =>
    `{"timestamp":"2025-05-01T10:00:05.000000+0000","flow_id":${id},"event_type":"netflow","src_ip":"${src}","src_port":${sp},"dest_ip":"${dst}","dest_port":${dp},"proto":"TCP","app_proto":"http","netflow":{"pkts":${pkts},"bytes":${bytes},"start":"2025-05-01T10:00:00.250000+0000","end":"2025-05-01T10:00:02.750000+0000","age":2},"tcp":{"tcp_flags":"${flags}"}}`;
  const flowEvent = '{"timestamp":"2025-05-01T10:10:05.000000+0000","flow_id":9007199254740993,"event_type":"flow","src_ip":"10.0.0.5","src_port":40000,"dest_ip":"192.0.2.9","dest_port":80,"proto":"TCP","flow":{"pkts_toserver":3,"pkts_toclient":2,"bytes_toserver":300,"bytes_toclient":200,"start":"2025-05-01T10:10:00.000000+0000","end":"2025-05-01T10:10:01.000000+0000","state":"closed"}}';
  const path = tmpFile('eve.json', [
    nf('9007199254740993', '10.0.0.5', 40000, '192.0.2.9', 80, 3, 300, '1b'), // also has a flow event
    flowEvent,
    nf('9007199254740993', '192.0.2.9', 80, '10.0.0.5', 40000, 2, 200, '1b'),
    nf('9007199254740995', '10.0.0.5', 40001, '192.0.2.9', 80, 6, 640, '1b'),
    nf('9007199254740995', '192.0.2.9', 80, '10.0.0.5', 40001, 4, 2600, '1b'),
  ]);
  const { engine, report } = await load(path);
  assert.equal(report.files[0].rejected, 0);
  const got = await rows(engine, `SELECT conn_id, ${TS} AS t, src_ip, src_port, dst_ip, dst_port, duration, orig_pkts, orig_ip_bytes,
    resp_pkts, resp_ip_bytes, service, conn_state FROM connections ORDER BY conn_id`);
  assert.deepEqual(got, [
    { conn_id: '9007199254740993', t: '2025-05-01 10:10:00.000000', src_ip: '10.0.0.5', src_port: 40000, dst_ip: '192.0.2.9',
      dst_port: 80, duration: 1, orig_pkts: 3n, orig_ip_bytes: 300n, resp_pkts: 2n, resp_ip_bytes: 200n, service: null, conn_state: 'SF' },
    { conn_id: '9007199254740995', t: '2025-05-01 10:00:00.250000', src_ip: '10.0.0.5', src_port: 40001, dst_ip: '192.0.2.9',
      dst_port: 80, duration: 2.5, orig_pkts: 6n, orig_ip_bytes: 640n, resp_pkts: 4n, resp_ip_bytes: 2600n, service: 'http', conn_state: 'S1' },
  ]);
  assert.ok(report.files[0].warnings.includes('1 netflow connections also have a flow event; the flow event was used'));
  engine.close();
});

test('DNS v1 CNAME chain, repeated queries and a lone NXDOMAIN: one row per lookup', async () => {
  const ev = (ts: string, src: string, sp: number, dst: string, dp: number, dns: string) =>
    `{"timestamp":"2025-05-01T10:00:${ts}+0000","flow_id":77,"event_type":"dns","src_ip":"${src}","src_port":${sp},"dest_ip":"${dst}","dest_port":${dp},"proto":"UDP","dns":${dns}}`;
  const c = '10.0.0.7';
  const r = '10.0.0.53';
  const path = tmpFile('eve.json', [
    ev('00.000000', c, 5000, r, 53, '{"type":"query","id":1,"rrname":"www.example.test","rrtype":"A","tx_id":0}'),
    ev('00.000010', c, 5000, r, 53, '{"type":"query","id":1,"rrname":"www.example.test","rrtype":"A","tx_id":1}'),
    ev('00.020000', r, 53, c, 5000, '{"type":"answer","id":1,"rrname":"www.example.test","rrtype":"CNAME","ttl":60,"rdata":"cdn.example.test"}'),
    ev('00.020000', r, 53, c, 5000, '{"type":"answer","id":1,"rrname":"cdn.example.test","rrtype":"A","ttl":20,"rdata":"192.0.2.80"}'),
    ev('00.030000', r, 53, c, 5000, '{"type":"answer","id":1,"rrname":"www.example.test","rrtype":"CNAME","ttl":60,"rdata":"cdn.example.test"}'),
    ev('01.000000', r, 53, c, 5001, '{"type":"answer","id":2,"rrname":"nothing.example.test","rcode":"NXDOMAIN"}'),
    ev('02.000000', c, 5002, r, 53, '{"version":2,"type":"answer","id":3,"rrname":"g.example.test","rrtype":"A","rcode":"NOERROR","grouped":{"A":["192.0.2.1","192.0.2.2"]}}'),
  ]);
  const { engine, report } = await load(path);
  assert.equal(report.files[0].rejected, 0);
  const got = await rows(engine, `SELECT ${TS} AS t, src_ip, src_port, dst_ip, trans_id, query, qtype, rcode, answers, ttls FROM dns ORDER BY ts`);
  const list = (v: unknown) => (v === null ? null : (v as { items: string[] }).items);
  assert.deepEqual(got.map((g) => ({ ...g, answers: list(g.answers), ttls: list(g.ttls) })), [
    { t: '2025-05-01 10:00:00.000000', src_ip: c, src_port: 5000, dst_ip: r, trans_id: 1, query: 'www.example.test', qtype: 'A',
      rcode: null, answers: ['cdn.example.test', '192.0.2.80'], ttls: ['60', '20'] },
    { t: '2025-05-01 10:00:00.000010', src_ip: c, src_port: 5000, dst_ip: r, trans_id: 1, query: 'www.example.test', qtype: 'A',
      rcode: null, answers: ['cdn.example.test'], ttls: ['60'] },
    { t: '2025-05-01 10:00:01.000000', src_ip: c, src_port: 5001, dst_ip: r, trans_id: 2, query: 'nothing.example.test', qtype: null,
      rcode: 'NXDOMAIN', answers: [], ttls: [] },
    { t: '2025-05-01 10:00:02.000000', src_ip: c, src_port: 5002, dst_ip: r, trans_id: 3, query: 'g.example.test', qtype: 'A',
      rcode: 'NOERROR', answers: ['192.0.2.1', '192.0.2.2'], ttls: null },
  ]);
  engine.close();
});

test('re-importing the same eve file adds nothing; loadOne reports the eve format', async () => {
  const f = await loadOne(join(EDGE, 'eve-offsets.json'));
  assert.equal(f.format, 'suricata-eve');
  assert.equal(f.tables.connections, 4);
  const path = join(EDGE, 'eve-big-flow-id.json');
  const { engine, report } = await load(path, path);
  assert.equal(report.files[1].skipped, true);
  assert.equal(report.tables.connections, 2);
  engine.close();
});
