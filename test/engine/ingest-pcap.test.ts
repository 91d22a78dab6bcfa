// PCAP ingest through tshark, on the real captures in ../shared/data (PROVENANCE.md: beacons
// B5–B10 with their pairs and counts). Tests that need tshark are skipped, saying why, where it
// is not installed; the "no tshark" behaviour is tested everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { gzipSync } from 'node:zlib';
import { pcap, TSHARK_MISSING, type PcapProgress } from '../../main/ingest/pcap.js';
import type { Layers } from '../../main/ingest/pcap/fields.js';
import { FlowTable } from '../../main/ingest/pcap/flows.js';
import { captureKindFromBytes, captureKindFromText } from '../../main/ingest/pcap/magic.js';
import { CONNECTIONS, columnIndex, type Row, type TableDef } from '../../shared/schema.js';
import { findTshark } from '../../main/ingest/pcap/tshark.js';
import type { RowSink } from '../../main/ingest/source.js';
import { BIN, load, loadOne, REAL, ROOT, rows } from '../helpers.js';

const TSHARK = findTshark();
const skip = TSHARK ? false : 'tshark is not installed here (Debian/Ubuntu: apt-get install tshark)';

const CC1 = join(REAL, 'slips/test-cc/test-cc-capture-1.pcap');
const CC2 = join(REAL, 'slips/test-cc/test-cc-capture-2.pcap');
const CALDERA = join(REAL, 'corelight/caldera/testing/Traces');
const QUASAR = join(REAL, 'corelight/quasarrat/testing/Traces/09ffabf7-774a-43a3-8c97-68f2046fd385.pcap');
const SLIPS_MIXED = join(REAL, 'slips/test7-malicious.pcap');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'metronome-pcap-'));
}

/** Within a few percent (5 %, rounded down) of PROVENANCE.md's count. */
function near(actual: bigint | number, expected: number, what: string): void {
  const n = Number(actual);
  const slack = Math.floor(expected * 0.05);
  assert.ok(Math.abs(n - expected) <= slack, `${what}: ${n}, expected ${expected} ± ${slack}`);
}

async function pairCount(path: string, src: string, dst: string, port: number, proto = 'tcp') {
  const { engine, report } = await load(path);
  const [r] = await rows<{ n: bigint }>(
    engine,
    `SELECT count(*) AS n FROM connections WHERE src_ip = '${src}' AND dst_ip = '${dst}' AND dst_port = ${port} AND proto = '${proto}'`,
  );
  return { engine, report, n: r.n };
}

// --- sniffing (no tshark needed) -----------------------------------------------------------

test('sniff: pcap and pcapng magic numbers survive the importer\'s UTF-8 head; text is refused', () => {
  const decode = (b: Buffer) => new StringDecoder('utf8').write(b);
  const real = readFileSync(CC1).subarray(0, 4096);
  assert.equal(captureKindFromBytes(real), 'pcap');
  assert.equal(captureKindFromText(decode(real)), 'pcap');
  assert.equal(pcap.sniff(decode(real), 'x.pcap').ok, true);
  const heads: [string, string][] = [
    ['a1b2c3d400020004', 'pcap'], // big-endian, µs
    ['d4c3b2a102000400', 'pcap'], // little-endian, µs
    ['a1b23c4d00020004', 'pcap'], // big-endian, ns
    ['4d3cb2a102000400', 'pcap'], // little-endian, ns
    ['0a0d0d0a1c0000004d3c2b1a01000000', 'pcapng'], // SHB, little-endian
    ['0a0d0d0a0000001c1a2b3c4d00010000', 'pcapng'], // SHB, big-endian
    ['0a0d0d0a9c0000004d3c2b1a01000000', 'pcapng'], // block length with a byte ≥ 0x80
  ];
  for (const [hex, kind] of heads) {
    const b = Buffer.from(hex + '00'.repeat(16), 'hex');
    assert.equal(captureKindFromBytes(b), kind, hex);
    assert.equal(captureKindFromText(decode(b)), kind, `${hex} as text`);
    assert.equal(pcap.sniff(decode(b), 'x').ok, true, hex);
    assert.equal(pcap.sniff('', 'x', b).ok, true, `${hex} as bytes`);
  }
  for (const text of ['#separator \\x09\n#fields\tts', '{"ts":1}', '', '\n\r\r\nnot a block']) {
    assert.equal(pcap.sniff(text, 'conn.log').ok, false, JSON.stringify(text));
  }
});

// --- the flow table on hand-made packets (no tshark needed) --------------------------------

function collector() {
  const out: { table: TableDef; row: Row }[] = [];
  const sink: RowSink = { add: (table, row) => out.push({ table, row }), reject() {}, warn() {}, logType() {}, unused() {} };
  const conns = () =>
    out.filter((r) => r.table === CONNECTIONS).map(({ row }) => {
      const o: Record<string, unknown> = {};
      for (const c of CONNECTIONS.columns) o[c.name] = row[columnIndex(CONNECTIONS, c.name)];
      return o;
    }).sort((a, b) => Number((a.ts as bigint) - (b.ts as bigint)));
  return { sink, conns };
}

function tcp(t: number, stream: number, fromClient: boolean, flags: number, len = 0, seq = 0): Layers {
  const [a, b] = fromClient ? ['10.0.0.1', '10.0.0.2'] : ['10.0.0.2', '10.0.0.1'];
  return {
    frame_time_epoch: [t.toFixed(6)], frame_protocols: ['eth:ethertype:ip:tcp'], ip_src: [a], ip_dst: [b],
    ip_len: [String(40 + len)], ip_hdr_len: ['20'], tcp_stream: [String(stream)],
    tcp_srcport: [fromClient ? '40000' : '443'], tcp_dstport: [fromClient ? '443' : '40000'],
    tcp_flags: ['0x' + flags.toString(16).padStart(4, '0')], tcp_len: [String(len)], tcp_seq: [String(seq)],
  };
}

function udp(t: number, stream: number, fromClient: boolean, len: number): Layers {
  const [a, b] = fromClient ? ['10.0.0.1', '10.0.0.3'] : ['10.0.0.3', '10.0.0.1'];
  return {
    frame_time_epoch: [t.toFixed(6)], frame_protocols: ['eth:ethertype:ip:udp:data'], ip_src: [a], ip_dst: [b],
    ip_len: [String(28 + len)], ip_hdr_len: ['20'], udp_stream: [String(stream)],
    udp_srcport: [fromClient ? '5000' : '7011'], udp_dstport: [fromClient ? '7011' : '5000'], udp_length: [String(8 + len)],
  };
}

test('flow table: Zeek conn_state (S0, REJ, SF), TCP bytes by sequence, idle splits', () => {
  const { sink, conns } = collector();
  const f = new FlowTable(sink, 7, 'Ptest');
  const SYN = 0x02, ACK = 0x10, FIN = 0x01, RST = 0x04, PSH = 0x08;
  const t0 = 1_700_000_000;
  // stream 0: SYN, SYN (retry), no answer → S0
  f.packet(tcp(t0, 0, true, SYN));
  f.packet(tcp(t0 + 1, 0, true, SYN));
  // stream 1: SYN, RST-ACK → REJ
  f.packet(tcp(t0 + 2, 1, true, SYN));
  f.packet(tcp(t0 + 2.0001, 1, false, RST | ACK));
  // stream 2: full exchange with a retransmitted data segment → SF, 10 bytes out, 20 back
  f.packet(tcp(t0 + 3, 2, true, SYN));
  f.packet(tcp(t0 + 3.1, 2, false, SYN | ACK));
  f.packet(tcp(t0 + 3.2, 2, true, ACK, 0, 1));
  f.packet(tcp(t0 + 3.3, 2, true, PSH | ACK, 10, 1));
  f.packet(tcp(t0 + 3.4, 2, true, PSH | ACK, 10, 1)); // retransmission
  f.packet(tcp(t0 + 3.5, 2, false, PSH | ACK, 20, 1));
  f.packet(tcp(t0 + 3.6, 2, true, FIN | ACK, 0, 11));
  f.packet(tcp(t0 + 3.7, 2, false, FIN | ACK, 0, 21));
  f.packet(tcp(t0 + 3.8, 2, true, ACK, 0, 12));
  // UDP stream 0: packets at +0, +30 (same connection), +100 (idle > 60 s: a new one), a reply
  f.packet(udp(t0, 0, true, 5));
  f.packet(udp(t0 + 30, 0, true, 5));
  f.packet(udp(t0 + 100, 0, true, 5));
  f.packet(udp(t0 + 100.5, 0, false, 2));
  f.finish();
  const c = conns();
  const tcpRows = c.filter((r) => r.proto === 'tcp');
  assert.deepEqual(tcpRows.map((r) => [r.conn_state, r.history]), [['S0', 'S'], ['REJ', 'Sr'], ['SF', 'ShADdFf']]);
  const sf = tcpRows[2];
  assert.equal(sf.orig_bytes, 10n, 'a retransmission is not counted twice');
  assert.equal(sf.resp_bytes, 20n);
  assert.equal(sf.orig_pkts, 6n);
  assert.equal(sf.resp_pkts, 3n);
  assert.equal(sf.duration, 0.8);
  assert.equal(sf.file_id, 7);
  assert.equal(tcpRows[0].duration, 1);
  const udpRows = c.filter((r) => r.proto === 'udp');
  assert.deepEqual(udpRows.map((r) => [r.conn_id, r.conn_state, r.orig_pkts, r.orig_bytes, r.resp_pkts]), [
    ['Ptest:udp:0', 'S0', 2n, 10n, 0n],
    ['Ptest:udp:0#1', 'SF', 1n, 5n, 1n],
  ]);
  assert.equal(udpRows[0].dst_port, 7011);
  assert.equal(udpRows[1].ts, BigInt(t0 + 100) * 1_000_000n);
});

test('flow table: a TCP flow seen first from its SYN-ACK is turned round', () => {
  const { sink, conns } = collector();
  const f = new FlowTable(sink, 1, 'P');
  f.packet(tcp(1_700_000_000, 0, false, 0x12));
  f.packet(tcp(1_700_000_000.1, 0, true, 0x10, 0, 1));
  f.finish();
  const [c] = conns();
  assert.equal(c.src_ip, '10.0.0.1');
  assert.equal(c.dst_port, 443);
  assert.equal(c.history, '^hA');
});

// --- without tshark (always runs) ----------------------------------------------------------

test('without tshark on PATH the CLI says in one line what to install, and exits cleanly', () => {
  const empty = join(tmp(), 'bin');
  mkdirSync(empty);
  const path = join(CALDERA, 'ragdoll.pcap');
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: empty };
  delete env.METRONOME_TSHARK;
  const r = spawnSync(process.execPath, [BIN, 'import', path, '--format', 'json'], { env, cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 1, `exit 1: nothing could be loaded (stderr: ${r.stderr})`);
  const report = JSON.parse(r.stdout) as { files: { format: string; reason: string }[] };
  assert.equal(report.files[0].format, 'pcap');
  assert.ok(report.files[0].reason.includes(TSHARK_MISSING), report.files[0].reason);
  assert.match(report.files[0].reason, /reading it needs tshark \(Debian\/Ubuntu: apt-get install tshark/);
  assert.ok(!report.files[0].reason.includes('\n'), 'one line');
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  // Same with a PATH that does not exist at all.
  const r2 = spawnSync(process.execPath, [BIN, 'import', path, '--format', 'json'], {
    env: { ...env, PATH: '/nonexistent' }, cwd: ROOT, encoding: 'utf8',
  });
  assert.equal(r2.status, 1);
  assert.match((JSON.parse(r2.stdout) as { files: { reason: string }[] }).files[0].reason, /needs tshark/);
});

test('without tshark, logs beside the capture still load', async () => {
  const saved = process.env.METRONOME_TSHARK;
  process.env.METRONOME_TSHARK = '/nonexistent/tshark';
  try {
    const { engine, report } = await load(join(CALDERA, 'ragdoll.pcap'), join(ROOT, 'samples/njrat/conn.log'));
    engine.close();
    const cap = report.files.find((f) => f.path.endsWith('.pcap'))!;
    const log = report.files.find((f) => f.path.endsWith('conn.log'))!;
    assert.match(cap.reason ?? '', /this is a pcap capture; reading it needs tshark/);
    assert.equal(log.reason, null);
    assert.equal(log.rows, 992);
  } finally {
    if (saved === undefined) delete process.env.METRONOME_TSHARK;
    else process.env.METRONOME_TSHARK = saved;
  }
});

// --- the beacons of PROVENANCE.md ----------------------------------------------------------

test('B5 test-cc-capture-1: 297 TLS connections to 141.193.213.21:443, SNI rows, sub-second times', { skip }, async () => {
  const { engine, report, n } = await pairCount(CC1, '147.32.80.37', '141.193.213.21', 443);
  const f = report.files[0];
  assert.equal(f.format, 'pcap');
  assert.equal(f.logType, 'pcap');
  assert.equal(f.reason, null);
  assert.deepEqual(f.warnings, []);
  near(n, 297, 'B5 connections');
  const states = await rows<{ s: string; n: bigint }>(
    engine, "SELECT conn_state AS s, count(*) AS n FROM connections WHERE dst_ip = '141.193.213.21' GROUP BY s",
  );
  assert.deepEqual(states.map((r) => r.s), ['SF'], 'every beacon connection opened and closed normally');
  const [c] = await rows<Record<string, unknown>>(
    engine, "SELECT * FROM connections WHERE dst_ip = '141.193.213.21' ORDER BY ts LIMIT 1",
  );
  assert.equal(c.src_port, 39210);
  assert.equal(c.service, 'ssl');
  assert.equal(c.history, 'ShADadFf');
  assert.equal(c.orig_pkts, 14n);
  assert.equal(c.resp_pkts, 11n);
  assert.equal(c.orig_bytes, 841n, 'payload bytes by sequence numbers');
  assert.ok((c.orig_ip_bytes as bigint) > (c.orig_bytes as bigint));
  assert.match(String(c.community_id), /^1:[A-Za-z0-9+/]+=*$/);
  assert.match(String(c.conn_id), /^P[0-9a-f]{8}:tcp:0$/);
  const [us] = await rows<{ us: bigint }>(engine, `SELECT epoch_us(ts) AS us FROM connections WHERE conn_id = '${c.conn_id}'`);
  assert.equal(us.us, 1_707_405_399_842_117n, 'microseconds kept');
  const [sni] = await rows<{ n: bigint; est: bigint }>(
    engine,
    "SELECT count(*) AS n, count(*) FILTER (WHERE established) AS est FROM tls WHERE dst_ip = '141.193.213.21' AND server_name = 'testing.com' AND version = 'TLSv13'",
  );
  near(sni.n, 297, 'B5 client hellos with SNI');
  assert.equal(sni.est, sni.n);
  const [joined] = await rows<{ n: bigint }>(
    engine, 'SELECT count(*) AS n FROM tls t JOIN connections c USING (conn_id)',
  );
  assert.equal(joined.n, BigInt(report.tables.tls), 'every TLS row names its connection');
  engine.close();
});

test('B6 test-cc-capture-2: 22 connections to 141.193.213.20:443, each after a DNS lookup', { skip }, async () => {
  const { engine, n } = await pairCount(CC2, '147.32.80.37', '141.193.213.20', 443);
  near(n, 22, 'B6 connections');
  const [d] = await rows<{ n: bigint; preceded: bigint }>(
    engine,
    `SELECT count(*) AS n, count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM dns d WHERE d.src_ip = '147.32.80.37' AND d.query = 'testing.com'
          AND d.ts BETWEEN c.ts - INTERVAL 5 SECOND AND c.ts)) AS preceded
     FROM connections c WHERE c.dst_ip = '141.193.213.20' AND c.dst_port = 443`,
  );
  assert.equal(d.preceded, d.n, 'a DNS query before each connection');
  const [q] = await rows<Record<string, unknown>>(
    engine,
    "SELECT * FROM dns WHERE query = 'rdap.apnic.net' AND qtype = 'AAAA' ORDER BY ts LIMIT 1",
  );
  assert.equal(q.proto, 'udp');
  assert.equal(q.rcode, 'NOERROR');
  assert.equal(q.dst_port, 53);
  assert.deepEqual((q.answers as { items: string[] }).items, [
    'rdap.apnic.net.cdn.cloudflare.net', '2606:4700::6812:eb44', '2606:4700::6812:ec44',
  ]);
  assert.equal((q.ttls as { items: string[] }).items.length, 3);
  const [nx] = await rows<{ n: bigint }>(engine, "SELECT count(*) AS n FROM dns WHERE rcode = 'NXDOMAIN'");
  assert.ok(nx.n > 0n);
  const [sni] = await rows<{ n: bigint }>(engine, "SELECT count(*) AS n FROM tls WHERE dst_ip = '141.193.213.20' AND server_name = 'testing.com'");
  near(sni.n, 22, 'B6 SNI rows');
  engine.close();
});

test('B7 manx-udp: 11 UDP connections to 172.18.0.3:7011 exactly 60 s apart', { skip }, async () => {
  const { engine, n } = await pairCount(join(CALDERA, 'manx-udp.pcap'), '172.18.0.2', '172.18.0.3', 7011, 'udp');
  near(n, 11, 'B7 connections');
  const gaps = await rows<{ g: number }>(
    engine,
    `SELECT (epoch_us(ts) - lag(epoch_us(ts)) OVER (ORDER BY ts)) / 1e6 AS g FROM connections
     WHERE dst_ip = '172.18.0.3' AND dst_port = 7011 QUALIFY g IS NOT NULL`,
  );
  for (const { g } of gaps) assert.ok(Math.abs(g - 60) < 0.5, `gap ${g}`);
  engine.close();
});

test('B8 ragdoll: 12 connections to 172.18.0.2:8888, 9 POST /weather check-ins', { skip }, async () => {
  const { engine, n } = await pairCount(join(CALDERA, 'ragdoll.pcap'), '172.18.0.3', '172.18.0.2', 8888);
  near(n, 12, 'B8 connections');
  const [h] = await rows<{ n: bigint; ua: string; host: string }>(
    engine,
    `SELECT count(*) AS n, any_value(user_agent) AS ua, any_value(host) AS host FROM http
     WHERE src_ip = '172.18.0.3' AND dst_ip = '172.18.0.2' AND dst_port = 8888 AND method = 'POST' AND uri = '/weather'`,
  );
  assert.equal(h.n, 9n);
  assert.equal(h.ua, 'python-requests/2.32.3');
  assert.equal(h.host, '172.18.0.2:8888');
  engine.close();
});

test('B9 sandcat: 58 POST /beacon requests inside only 2 TCP connections (found through HTTP)', { skip }, async () => {
  const { engine, n } = await pairCount(join(CALDERA, 'sandcat.pcap'), '172.18.0.3', '172.18.0.2', 8888);
  assert.equal(n, 2n, 'two TCP connections');
  const [h] = await rows<{ n: bigint; conns: bigint; ua: string; ok: bigint }>(
    engine,
    `SELECT count(*) AS n, count(DISTINCT conn_id) AS conns, any_value(user_agent) AS ua,
            count(*) FILTER (WHERE status_code = 200) AS ok
     FROM http WHERE src_ip = '172.18.0.3' AND dst_ip = '172.18.0.2' AND dst_port = 8888
       AND method = 'POST' AND uri = '/beacon'`,
  );
  near(h.n, 58, 'B9 requests');
  assert.equal(h.conns, 1n, 'all on one connection');
  assert.equal(h.ua, 'Go-http-client/1.1');
  assert.equal(h.ok, h.n, 'each response matched to its request');
  const gaps = await rows<{ g: number }>(
    engine,
    `SELECT (epoch_us(ts) - lag(epoch_us(ts)) OVER (ORDER BY ts)) / 1e6 AS g FROM http
     WHERE uri = '/beacon' QUALIFY g IS NOT NULL`,
  );
  // Check-ins ≈ 37–66 s apart; some are followed within a second by a second POST (the result).
  assert.ok(gaps.every(({ g }) => g < 1 || (g > 30 && g < 70)), `gaps ${gaps.map((r) => r.g.toFixed(1))}`);
  assert.ok(gaps.filter(({ g }) => g > 30).length >= 30, 'mostly check-in gaps');
  const [c] = await rows<{ state: string; duration: number }>(
    engine,
    `SELECT c.conn_state AS state, c.duration FROM connections c
     WHERE c.conn_id = (SELECT any_value(conn_id) FROM http WHERE uri = '/beacon')`,
  );
  assert.equal(c.state, 'S1', 'the beacon connection never closed');
  assert.ok(c.duration > 1500);
  engine.close();
});

test('B10 QuasarRAT: 77 connections to 86.136.67.231:1337', { skip }, async () => {
  const { engine, n } = await pairCount(QUASAR, '192.168.100.7', '86.136.67.231', 1337);
  near(n, 77, 'B10 connections');
  const [h] = await rows<{ n: bigint }>(engine, "SELECT count(*) AS n FROM http WHERE host = 'ocsp.digicert.com'");
  assert.ok(h.n > 0n, 'HTTP rows from the same capture');
  engine.close();
});

test('TCP state summary: S0 and REJ as Zeek writes them; UDP S0/SF', { skip }, async () => {
  const { engine } = await load(SLIPS_MIXED);
  const states = await rows<{ proto: string; s: string; h: string | null; n: bigint }>(
    engine,
    'SELECT proto, conn_state AS s, any_value(history) AS h, count(*) AS n FROM connections GROUP BY ALL ORDER BY ALL',
  );
  const get = (proto: string, s: string) => states.find((r) => r.proto === proto && r.s === s);
  assert.equal(get('tcp', 'S0')?.h, 'S');
  assert.equal(get('tcp', 'REJ')?.h, 'Sr');
  assert.equal(get('tcp', 'SF')?.h, 'ShADadFf');
  assert.ok(get('udp', 'S0') && get('udp', 'SF'));
  assert.ok(get('icmp', 'OTH'));
  engine.close();
});

// --- damaged, compressed, repeated ---------------------------------------------------------

test('a capture cut short keeps the packets before the cut, with a warning', { skip }, async () => {
  const dir = tmp();
  const cut = join(dir, 'cut.pcap');
  writeFileSync(cut, readFileSync(CC1).subarray(0, 1_000_000));
  const { engine, report, n } = await pairCount(cut, '147.32.80.37', '141.193.213.21', 443);
  engine.close();
  const f = report.files[0];
  assert.equal(f.reason, null);
  assert.ok(f.rows > 0);
  assert.match(f.warnings.join('\n'), /cut short in the middle of a packet; the \d+ packets before the cut were loaded/);
  assert.ok(n > 100n && n < 297n, `connections before the cut: ${n}`);

  // Nothing readable at all: an error, not a warning.
  const tiny = join(dir, 'tiny.pcap');
  writeFileSync(tiny, readFileSync(CC1).subarray(0, 30));
  const t = await loadOne(tiny);
  assert.equal(t.rows, 0);
  assert.match(t.reason ?? '', /could not be read: capture is unreadable: .*cut short/);
});

test('gzip-compressed capture loads the same; loading both copies counts each connection once', { skip }, async () => {
  const dir = tmp();
  const gz = join(dir, 'capture-1.pcap.gz');
  writeFileSync(gz, gzipSync(readFileSync(CC1)));
  const { engine, n } = await pairCount(gz, '147.32.80.37', '141.193.213.21', 443);
  engine.close();
  near(n, 297, 'B5 from gzip');
  const both = await load(CC1, gz);
  both.engine.close();
  assert.equal(both.report.tables.connections, 299, 'same capture, same connection ids: no double count');
  const two = await load(CC1, CC2);
  two.engine.close();
  assert.equal(two.report.tables.connections, 299 + 261, 'two captures do not collide');
});

test('progress (packets, bytes) is reported and a read can be cancelled', { skip }, async () => {
  const sink: RowSink & { rows: number; warnings: string[] } = {
    rows: 0, warnings: [],
    add() { this.rows++; }, reject() {}, warn(m) { this.warnings.push(m); }, logType() {}, unused() {},
  };
  const seen: PcapProgress[] = [];
  const size = statSync(CC1).size;
  await pcap.read({
    path: CC1, baseName: 'c.pcap', fileId: 1, lines: (async function* () {})(), sink,
    onProgress: (p) => seen.push(p as PcapProgress),
  });
  assert.ok(seen.length >= 1);
  const last = seen[seen.length - 1];
  assert.equal(last.bytesTotal, size);
  assert.equal(last.bytesRead, size);
  assert.ok(last.packets > 7000, `packets: ${last.packets}`);

  const ac = new AbortController();
  const rowsBefore = sink.rows;
  await assert.rejects(
    pcap.read({
      path: CC1, baseName: 'c.pcap', fileId: 1, lines: (async function* () {})(), sink, signal: ac.signal,
      onProgress: () => ac.abort(),
    }),
    { name: 'AbortError' },
  );
  assert.ok(sink.rows - rowsBefore < 598, 'stopped before the end');
});
