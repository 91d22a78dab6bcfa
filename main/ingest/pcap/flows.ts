// Packets → normalized rows. tshark numbers TCP streams and UDP conversations for the whole
// capture; this table turns them into Zeek-like connections:
// - originator = the sender of the flow's first packet (as Zeek: except a TCP flow whose first
//   packet is a SYN-ACK, which is turned round and gets `^` in its history);
// - a flow idle longer than Zeek's inactivity timeout (TCP 5 min, UDP and ICMP 1 min) ends, and
//   its next packet starts a new connection (Zeek's udp/tcp/icmp_inactivity_timeout); a TCP flow
//   closed by FIN from both sides or by a RST ends 5 s after its last packet (tcp_close_delay);
// - payload bytes (orig_bytes / resp_bytes) of TCP come from sequence numbers, as Zeek counts
//   them (a retransmission is not counted twice); UDP/ICMP payload is the datagram's length;
//   orig_ip_bytes / resp_ip_bytes are IP lengths (IPv6: payload length + 40);
// - conn_state and history follow Zeek's definitions (S0, REJ, SF, S1, S2, S3, RSTO, RSTR,
//   RSTOS0, RSTRH, SH, SHR, OTH);
// - DNS queries are joined with their response by (connection, transaction id, name); HTTP
//   responses are matched to requests in order on their connection; a TLS row is a client hello
//   with what the server hello answered.
// Flows are emitted as soon as they time out, so memory follows the number of live flows.
import { CONNECTIONS, DNS, HTTP, TLS, type CellValue, type Row, type TableDef } from '../../../shared/schema.js';
import type { RowSink } from '../source.js';
import {
  dnsAnswers, epochMicros, first, int, locate, qtypeName, rcodeName, SERVICES, tlsVersionName,
  type Layers, type Transport,
} from './fields.js';

const SEC = 1_000_000n;

export interface FlowTimeouts {
  tcp: bigint;
  udp: bigint;
  icmp: bigint;
  /** After both FINs or a RST (Zeek tcp_close_delay / tcp_reset_delay). */
  closed: bigint;
}

/** Zeek's defaults, in microseconds. */
export const ZEEK_TIMEOUTS: FlowTimeouts = { tcp: 300n * SEC, udp: 60n * SEC, icmp: 60n * SEC, closed: 5n * SEC };

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

interface Side {
  pkts: number;
  ipBytes: number;
  /** Sum of payload lengths (UDP, ICMP; fallback for TCP). */
  payload: number;
  /** TCP: lowest sequence number and highest end (seq + len) of data-carrying segments. */
  seqLo: number;
  seqHi: number;
  syn: boolean;
  synAck: boolean;
  fin: boolean;
  rst: boolean;
  /** Sent a packet after the other side's SYN-ACK (completes the handshake for the originator). */
  ackedSynAck: boolean;
}

function newSide(): Side {
  return { pkts: 0, ipBytes: 0, payload: 0, seqLo: -1, seqHi: -1, syn: false, synAck: false, fin: false, rst: false, ackedSynAck: false };
}

interface PendingDns {
  ts: bigint;
  transId: number | null;
  query: string | null;
  qtype: string | null;
}

interface PendingHttp {
  ts: bigint;
  method: string | null;
  host: string | null;
  uri: string | null;
  userAgent: string | null;
  referrer: string | null;
  requestLen: bigint | null;
  status: number | null;
  responseLen: bigint | null;
  answered: boolean;
}

interface PendingTls {
  ts: bigint;
  serverName: string | null;
  ja3: string | null;
  clientVersion: number | null;
  version: string | null;
  nextProtocol: string | null;
  ja3s: string | null;
  serverHello: boolean;
  established: boolean;
}

interface Flow {
  key: string;
  /** ICMP: the tuple its number was given for (released when the flow ends). */
  icmpTuple: string | null;
  id: string;
  proto: Transport;
  oIp: string;
  oPort: number;
  rIp: string;
  rPort: number;
  first: bigint;
  last: bigint;
  o: Side;
  r: Side;
  history: string;
  established: boolean;
  services: Set<string>;
  communityId: string | null;
  dns: Map<string, PendingDns> | null;
  http: PendingHttp[] | null;
  tls: PendingTls | null;
}

/**
 * Per stream key (`tcp:12`), how many connections it has produced so far. tshark numbers streams
 * densely from 0, so a counter array per protocol stays small even for millions of streams.
 */
class SegmentCounter {
  private arrays = new Map<string, Uint16Array>();
  private other = new Map<string, number>();

  /** The count before this call (0 for a stream's first connection). */
  next(key: string): number {
    const m = /^(\w+):(\d+)$/.exec(key);
    const i = m ? Number(m[2]) : NaN;
    if (!m || !Number.isSafeInteger(i) || i > 2 ** 31) {
      const n = this.other.get(key) ?? 0;
      this.other.set(key, n + 1);
      return n;
    }
    let a = this.arrays.get(m[1]) ?? new Uint16Array(1024);
    if (i >= a.length) {
      const b = new Uint16Array(Math.max(a.length * 2, i + 1));
      b.set(a);
      a = b;
    }
    this.arrays.set(m[1], a);
    const n = a[i];
    if (n < 0xffff) a[i] = n + 1;
    return n;
  }
}

/** A row for a table from named values (columns not named are null). */
function rowOf(table: TableDef, values: Record<string, CellValue>): Row {
  return table.columns.map((c) => values[c.name] ?? null);
}

function bytesOf(s: Side, tcp: boolean): number {
  if (tcp && s.seqLo >= 0) {
    const span = s.seqHi - s.seqLo;
    if (span >= 0 && span < 2 ** 32) return span;
  }
  return s.payload;
}

type EndpointState = 'INACTIVE' | 'SYN_SENT' | 'SYN_ACK_SENT' | 'PARTIAL' | 'ESTABLISHED' | 'CLOSED' | 'RESET';

function endpointState(s: Side, isOrig: boolean, established: boolean): EndpointState {
  if (s.rst) return 'RESET';
  if (s.fin) return 'CLOSED';
  if (established && (s.syn || s.synAck)) return 'ESTABLISHED';
  if (isOrig && s.syn) return 'SYN_SENT';
  if (!isOrig && s.synAck) return 'SYN_ACK_SENT';
  if (s.pkts > 0) return 'PARTIAL';
  return 'INACTIVE';
}

/** Zeek's conn_state (base/protocols/conn/main.zeek) from the endpoint states. */
export function connState(f: Pick<Flow, 'proto' | 'o' | 'r' | 'established' | 'history'>): string {
  if (f.proto === 'udp') return f.r.pkts > 0 ? 'SF' : 'S0';
  if (f.proto !== 'tcp') return 'OTH';
  const os = endpointState(f.o, true, f.established);
  const rs = endpointState(f.r, false, f.established);
  const oInactive = os === 'INACTIVE' || os === 'PARTIAL';
  const rInactive = rs === 'INACTIVE' || rs === 'PARTIAL';
  if (rs === 'RESET') {
    if (os === 'SYN_SENT' || os === 'SYN_ACK_SENT' || (os === 'RESET' && bytesOf(f.o, true) === 0 && bytesOf(f.r, true) === 0)) return 'REJ';
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (os === 'RESET') {
    if (rInactive) return /^\^?S[^HAFGIQ]*R/.test(f.history) ? 'RSTOS0' : 'OTH';
    return 'RSTO';
  }
  if (rs === 'CLOSED' && os === 'CLOSED') return 'SF';
  if (os === 'CLOSED') return rInactive ? 'SH' : 'S2';
  if (rs === 'CLOSED') return oInactive ? 'SHR' : 'S3';
  if (os === 'SYN_SENT' && rs === 'INACTIVE') return 'S0';
  if (os === 'ESTABLISHED' && rs === 'ESTABLISHED') return 'S1';
  return 'OTH';
}

export interface FlowStats {
  packets: number;
  /** Packets with no TCP/UDP/ICMP over IP (ARP, STP, first IP fragments, …): in no connection. */
  notFlows: number;
  connections: number;
}

export class FlowTable {
  readonly stats: FlowStats = { packets: 0, notFlows: 0, connections: 0 };
  private flows = new Map<string, Flow>();
  /** How many connections each tshark stream has produced (idle splits get a suffix). */
  private segments = new SegmentCounter();
  private icmpSeq = 0;
  private icmpIds = new Map<string, number>();
  private lastSweep: bigint | null = null;
  private now: bigint = 0n;

  constructor(
    private sink: RowSink,
    private fileId: number,
    /** Prefix of every conn_id from this capture (a hash of its first bytes). */
    private idPrefix: string,
    private timeouts: FlowTimeouts = ZEEK_TIMEOUTS,
  ) {}

  private timeout(f: Flow): bigint {
    if (f.proto === 'tcp') {
      if (f.o.rst || f.r.rst || (f.o.fin && f.r.fin)) return this.timeouts.closed;
      return this.timeouts.tcp;
    }
    return f.proto === 'udp' ? this.timeouts.udp : this.timeouts.icmp;
  }

  /** One packet's fields as tshark printed them. */
  packet(l: Layers): void {
    this.stats.packets++;
    const ts = epochMicros(first(l, 'frame_time_epoch'));
    const loc = locate(first(l, 'frame_protocols'));
    if (ts === null || !loc) {
      this.stats.notFlows++;
      return;
    }
    if (ts > this.now) this.now = ts;
    const v6 = loc.v6;
    const src = first(l, v6 ? 'ipv6_src' : 'ip_src', loc.ipIndex);
    const dst = first(l, v6 ? 'ipv6_dst' : 'ip_dst', loc.ipIndex);
    if (!src || !dst) {
      this.stats.notFlows++;
      return;
    }
    const ipLen = v6 ? (int(first(l, 'ipv6_plen', loc.ipIndex)) ?? 0) + 40 : (int(first(l, 'ip_len', loc.ipIndex)) ?? 0);
    const ipHdr = v6 ? 40 : (int(first(l, 'ip_hdr_len', loc.ipIndex)) ?? 20);

    let key: string;
    let sport: number;
    let dport: number;
    let flags = 0;
    let payload: number;
    let seq: number | null = null;
    let icmpTuple: string | null = null;
    const t = loc.tIndex;
    if (loc.transport === 'tcp') {
      const stream = first(l, 'tcp_stream', t);
      sport = int(first(l, 'tcp_srcport', t)) ?? 0;
      dport = int(first(l, 'tcp_dstport', t)) ?? 0;
      key = stream !== undefined ? `tcp:${stream}` : `tcp:${src}:${sport}-${dst}:${dport}`;
      flags = int(first(l, 'tcp_flags', t)) ?? 0;
      payload = int(first(l, 'tcp_len', t)) ?? 0;
      seq = int(first(l, 'tcp_seq', t));
    } else if (loc.transport === 'udp') {
      const stream = first(l, 'udp_stream', t);
      sport = int(first(l, 'udp_srcport', t)) ?? 0;
      dport = int(first(l, 'udp_dstport', t)) ?? 0;
      key = stream !== undefined ? `udp:${stream}` : `udp:${src}:${sport}-${dst}:${dport}`;
      payload = Math.max(0, (int(first(l, 'udp_length', t)) ?? 8) - 8);
    } else {
      const p = v6 ? 'icmpv6_' : 'icmp_';
      const type = int(first(l, `${p}type`, t)) ?? 0;
      const code = int(first(l, `${p}code`, t)) ?? 0;
      const ident = first(l, v6 ? 'icmpv6_echo_identifier' : 'icmp_ident', t);
      const echo = v6 ? type === 128 || type === 129 : type === 8 || type === 0;
      // Echo request and reply are one flow (by identifier); other messages one flow per
      // sender, receiver, type and code.
      const tuple = echo ? `${[src, dst].sort().join('|')}|echo|${ident ?? ''}` : `${src}|${dst}|${type}|${code}`;
      let n = this.icmpIds.get(tuple);
      if (n === undefined) {
        n = this.icmpSeq++;
        this.icmpIds.set(tuple, n);
      }
      key = `icmp:${n}`;
      icmpTuple = tuple;
      sport = type;
      dport = code;
      payload = Math.max(0, ipLen - ipHdr - 8);
    }

    let f = this.flows.get(key);
    if (f && ts - f.last > this.timeout(f)) {
      this.emit(f);
      f = undefined;
    }
    if (!f) {
      f = this.open(key, loc.transport, src, sport, dst, dport, ts, loc.transport === 'tcp' && (flags & (SYN | ACK)) === (SYN | ACK));
      f.communityId = first(l, 'communityid') ?? null;
      f.icmpTuple = icmpTuple;
    }
    if (ts > f.last) f.last = ts;
    const isOrig = src === f.oIp && (loc.transport === 'icmp' || sport === f.oPort);
    const side = isOrig ? f.o : f.r;
    const other = isOrig ? f.r : f.o;
    side.pkts++;
    side.ipBytes += ipLen;
    side.payload += payload;

    if (loc.transport === 'tcp') {
      this.tcpPacket(f, side, other, isOrig, flags, payload, seq);
    } else if (loc.transport === 'udp' && payload > 0) {
      this.letter(f, isOrig ? 'D' : 'd');
    }

    for (const p of (first(l, 'frame_protocols') ?? '').split(':')) {
      const s = SERVICES[p];
      if (s) f.services.add(s);
    }
    if (l.dns_id) this.dnsPacket(f, l, ts);
    if (l.http_request_method || l.http_response_code) this.httpPacket(f, l, ts);
    if (l.tls_handshake_type || l.tls_record_content_type || l.tls_record_opaque_type) this.tlsPacket(f, l, ts);

    if (this.lastSweep === null) this.lastSweep = ts;
    else if (ts - this.lastSweep >= this.timeouts.closed) this.sweep(ts);
  }

  private letter(f: Flow, c: string): void {
    if (!f.history.includes(c)) f.history += c;
  }

  private tcpPacket(f: Flow, side: Side, other: Side, isOrig: boolean, flags: number, len: number, seq: number | null): void {
    const up = (c: string) => (isOrig ? c : c.toLowerCase());
    const syn = (flags & SYN) !== 0;
    const ack = (flags & ACK) !== 0;
    if (syn && !ack) {
      side.syn = true;
      this.letter(f, up('S'));
    } else if (syn && ack) {
      side.synAck = true;
      this.letter(f, up('H'));
    } else if (ack && !(flags & (FIN | RST)) && len === 0) {
      this.letter(f, up('A'));
    }
    if (len > 0) {
      this.letter(f, up('D'));
      if (seq !== null) {
        if (side.seqLo < 0 || seq < side.seqLo) side.seqLo = seq;
        if (seq + len > side.seqHi) side.seqHi = seq + len;
      }
    }
    if (flags & FIN) {
      side.fin = true;
      this.letter(f, up('F'));
    }
    if (flags & RST) {
      side.rst = true;
      this.letter(f, up('R'));
    }
    // Handshake: originator's SYN, responder's SYN-ACK, then anything from the originator.
    if (isOrig && !syn && other.synAck && side.syn) side.ackedSynAck = true;
    if (!f.established && f.o.syn && f.r.synAck && f.o.ackedSynAck) f.established = true;
  }

  private open(key: string, proto: Transport, src: string, sport: number, dst: string, dport: number, ts: bigint, synAckFirst: boolean): Flow {
    const n = this.segments.next(key);
    const id = `${this.idPrefix}:${key}${n ? `#${n}` : ''}`;
    const flip = synAckFirst;
    const f: Flow = {
      key, icmpTuple: null, id, proto,
      oIp: flip ? dst : src, oPort: flip ? dport : sport,
      rIp: flip ? src : dst, rPort: flip ? sport : dport,
      first: ts, last: ts,
      o: newSide(), r: newSide(),
      history: flip ? '^' : '',
      established: false,
      services: new Set(),
      communityId: null,
      dns: null, http: null, tls: null,
    };
    this.flows.set(key, f);
    return f;
  }

  private endpoints(f: Flow): Record<string, CellValue> {
    return { conn_id: f.id, src_ip: f.oIp, src_port: f.oPort, dst_ip: f.rIp, dst_port: f.rPort, file_id: this.fileId };
  }

  // --- DNS -------------------------------------------------------------------------------

  private dnsPacket(f: Flow, l: Layers, ts: bigint): void {
    const transId = int(first(l, 'dns_id'));
    const query = first(l, 'dns_qry_name') ?? null;
    const qtype = qtypeName(int(first(l, 'dns_qry_type')));
    const response = /^(1|true)$/i.test(first(l, 'dns_flags_response') ?? '');
    const k = `${transId}|${query}`;
    f.dns ??= new Map();
    if (!response) {
      const old = f.dns.get(k);
      if (old) this.dnsRow(f, old, null, null, null); // a repeated query: the first went unanswered
      f.dns.set(k, { ts, transId, query, qtype });
      return;
    }
    const q = f.dns.get(k);
    if (q) f.dns.delete(k);
    const { answers, ttls } = dnsAnswers(l);
    this.dnsRow(f, q ?? { ts, transId, query, qtype }, rcodeName(int(first(l, 'dns_flags_rcode'))), answers, ttls);
  }

  private dnsRow(f: Flow, q: PendingDns, rcode: string | null, answers: string[] | null, ttls: string[] | null): void {
    this.sink.add(DNS, rowOf(DNS, {
      ...this.endpoints(f), ts: q.ts, proto: f.proto, trans_id: q.transId, query: q.query, qtype: q.qtype,
      rcode, answers: answers && answers.length ? answers : null, ttls: ttls && ttls.length ? ttls : null,
    }));
  }

  // --- HTTP ------------------------------------------------------------------------------

  private httpPacket(f: Flow, l: Layers, ts: bigint): void {
    f.http ??= [];
    const methods = l.http_request_method ?? [];
    const lengths = l.http_content_length ?? [];
    for (let i = 0; i < methods.length; i++) {
      const len = int(lengths[i]);
      f.http.push({
        ts, method: methods[i] ?? null, host: l.http_host?.[i] ?? null, uri: l.http_request_uri?.[i] ?? null,
        userAgent: l.http_user_agent?.[i] ?? null, referrer: l.http_referer?.[i] ?? null,
        requestLen: len === null ? null : BigInt(len), status: null, responseLen: null, answered: false,
      });
    }
    const codes = l.http_response_code ?? [];
    for (let i = 0; i < codes.length; i++) {
      const req = f.http.find((r) => !r.answered);
      const len = methods.length ? null : int(lengths[i]);
      if (!req) continue;
      req.answered = true;
      req.status = int(codes[i]);
      req.responseLen = len === null ? null : BigInt(len);
    }
    // Answered requests are complete: write them now (order of answers = order of requests).
    while (f.http.length && f.http[0].answered) this.httpRow(f, f.http.shift()!);
  }

  private httpRow(f: Flow, r: PendingHttp): void {
    this.sink.add(HTTP, rowOf(HTTP, {
      ...this.endpoints(f), ts: r.ts, method: r.method, host: r.host, uri: r.uri, user_agent: r.userAgent,
      referrer: r.referrer, status_code: r.status, request_body_len: r.requestLen, response_body_len: r.responseLen,
    }));
  }

  // --- TLS -------------------------------------------------------------------------------

  private tlsPacket(f: Flow, l: Layers, ts: bigint): void {
    const types = l.tls_handshake_type ?? [];
    if (types.includes('1')) {
      if (f.tls) this.tlsRow(f, f.tls);
      const ver = l.tls_handshake_version?.[0];
      f.tls = {
        ts, serverName: first(l, 'tls_handshake_extensions_server_name') ?? null, ja3: first(l, 'tls_handshake_ja3') ?? null,
        clientVersion: int(ver), version: null, nextProtocol: null, ja3s: null, serverHello: false, established: false,
      };
    }
    if (types.includes('2')) {
      f.tls ??= {
        ts, serverName: null, ja3: null, clientVersion: null, version: null, nextProtocol: null, ja3s: null,
        serverHello: false, established: false,
      };
      const t = f.tls;
      t.serverHello = true;
      // In a server hello, supported_versions (TLS 1.3) names the version chosen.
      const chosen = int(first(l, 'tls_handshake_extensions_supported_version')) ?? int(first(l, 'tls_handshake_version'));
      t.version = tlsVersionName(chosen);
      t.nextProtocol = first(l, 'tls_handshake_extensions_alpn_str') ?? null;
      t.ja3s = first(l, 'tls_handshake_ja3s') ?? null;
    }
    // Application data after the server hello (TLS 1.3 shows it as the record's opaque type).
    if (f.tls?.serverHello && ((l.tls_record_content_type ?? []).includes('23') || (l.tls_record_opaque_type ?? []).includes('23'))) {
      f.tls.established = true;
    }
  }

  private tlsRow(f: Flow, t: PendingTls): void {
    this.sink.add(TLS, rowOf(TLS, {
      ...this.endpoints(f), ts: t.ts, version: t.version ?? tlsVersionName(t.clientVersion), server_name: t.serverName,
      next_protocol: t.nextProtocol, established: t.established, ja3: t.ja3, ja3s: t.ja3s,
    }));
  }

  // --- connections -----------------------------------------------------------------------

  private emit(f: Flow): void {
    this.flows.delete(f.key);
    if (f.icmpTuple !== null) this.icmpIds.delete(f.icmpTuple);
    if (f.dns) for (const q of f.dns.values()) this.dnsRow(f, q, null, null, null);
    if (f.http) for (const r of f.http) this.httpRow(f, r);
    if (f.tls) this.tlsRow(f, f.tls);
    const tcp = f.proto === 'tcp';
    const micros = f.last - f.first;
    this.sink.add(CONNECTIONS, rowOf(CONNECTIONS, {
      ...this.endpoints(f),
      ts: f.first,
      proto: f.proto,
      service: f.services.size ? [...f.services].join(',') : null,
      duration: micros > 0n ? Number(micros) / 1e6 : null,
      orig_bytes: BigInt(bytesOf(f.o, tcp)),
      resp_bytes: BigInt(bytesOf(f.r, tcp)),
      conn_state: connState(f),
      history: f.history || null,
      orig_pkts: BigInt(f.o.pkts),
      orig_ip_bytes: BigInt(f.o.ipBytes),
      resp_pkts: BigInt(f.r.pkts),
      resp_ip_bytes: BigInt(f.r.ipBytes),
      community_id: f.communityId,
      is_open: false,
    }));
    this.stats.connections++;
  }

  /** Ends every flow idle past its timeout at capture time `now`. */
  private sweep(now: bigint): void {
    this.lastSweep = now;
    for (const f of [...this.flows.values()]) if (now - f.last > this.timeout(f)) this.emit(f);
  }

  /** End of the capture: every flow still open is written (as Zeek does at shutdown). */
  finish(): void {
    for (const f of [...this.flows.values()]) this.emit(f);
  }
}
