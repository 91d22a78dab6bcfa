// Suricata eve.json (one JSON event per line, also nested under `event` as AWS Network Firewall
// writes it). `flow` events become connections, `netflow` records (one per direction) are paired
// by flow_id, dns query/answer events are joined into one row per lookup, http / tls / alert
// events fill their tables, and every other event type is kept aside in other_logs.
//
// Mapping choices (see also the notes on each builder):
// - Connection time is flow.start (netflow.start), never the event `timestamp` (that is the time
//   the flow was logged; on a pcap replay it can even be earlier than the start).
// - flow_id can exceed 2^53: it is turned into a string before JSON.parse, so it is kept exactly;
//   conn_id is that decimal string in every table, which links alerts, dns, http and tls rows to
//   their connection.
// - Bytes: Suricata counts whole captured packets per direction (the length of each packet as
//   captured, link-layer header included: 14 bytes more per packet than Zeek's IP-level count on
//   Ethernet). They go to orig_ip_bytes / resp_ip_bytes; orig_bytes / resp_bytes (payload) stay
//   null, because eve does not say how much of that was payload.
// - conn_state is a Zeek-like summary (see suricataConnState).
import { ALERTS, CONNECTIONS, DNS, HTTP, OTHER_LOGS, TLS, type CellValue, type Row, type TableDef } from '../../shared/schema.js';
import type { ReadContext, RowSink, SniffResult, SourcePlugin } from './source.js';
import { clip, parseAddr, parseCount, parsePort, parseTime, RowError } from './values.js';

type Obj = Record<string, unknown>;

interface Endpoint {
  ip: string | null;
  port: number | null;
}

/** Big integers that must not go through JSON.parse as numbers (flow ids exceed 2^53). */
const BIG_ID_RE = /("(?:flow_id|parent_id)"\s*:\s*)(-?\d+)/g;

/** Quotes flow_id / parent_id values textually so JSON.parse keeps every digit. */
export function quoteBigIds(line: string): string {
  return line.includes('_id"') ? line.replace(BIG_ID_RE, '$1"$2"') : line;
}

function firstLine(head: string): string | undefined {
  return head.split('\n').find((l) => l.trim() !== '')?.trim();
}

function asObj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** A text value; numbers and booleans as text; objects and arrays are not text (null). */
function text(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** An integer field (number or decimal string); null when absent. */
function int(v: unknown, field: string): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new RowError(`${field} "${clip(String(v))}" is not an integer`);
  return n;
}

/** A flow id as a decimal string (quoteBigIds made it one); null when absent. */
function idText(v: unknown): string | null {
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v)).toString();
  if (typeof v === 'string' && v !== '') return v;
  return null;
}

/** IPv6 in the RFC 5952 form Zeek writes (`fe80::1`); Suricata writes every group in full. */
export function canonicalIp(ip: string): string {
  if (!ip.includes(':') || ip.includes('.') || ip.includes('%')) return ip;
  const halves = ip.toLowerCase().split('::');
  if (halves.length > 2) return ip;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  let groups: string[];
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return ip;
    groups = [...head, ...Array<string>(fill).fill('0'), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return ip;
  const parts = groups.map((g) => parseInt(g, 16).toString(16));
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (parts[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && parts[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) return parts.join(':');
  return `${parts.slice(0, best).join(':')}::${parts.slice(best + bestLen).join(':')}`;
}

function addr(v: unknown, field: string): string {
  return canonicalIp(parseAddr(v, field));
}

function optAddr(v: unknown, field: string): string | null {
  return v === undefined || v === null || v === '' ? null : addr(v, field);
}

/** tcp, udp, icmp (ICMPv6 too, as Zeek writes it), or Suricata's name lower-cased. */
function normProto(v: unknown): string | null {
  const p = text(v)?.toLowerCase() ?? null;
  if (p === 'ipv6-icmp' || p === 'icmpv6') return 'icmp';
  return p;
}

/** Source and destination of an event as written; ICMP type/code stand in for the ports. */
function tuple(e: Obj, required: boolean): [Endpoint, Endpoint] {
  const src: Endpoint = {
    ip: required ? addr(e.src_ip, 'src_ip') : optAddr(e.src_ip, 'src_ip'),
    port: parsePort(e.src_port, 'src_port'),
  };
  const dst: Endpoint = {
    ip: required ? addr(e.dest_ip, 'dest_ip') : optAddr(e.dest_ip, 'dest_ip'),
    port: parsePort(e.dest_port, 'dest_port'),
  };
  if (src.port === null && dst.port === null && (e.icmp_type !== undefined || e.icmp_code !== undefined)) {
    src.port = parsePort(e.icmp_type, 'icmp_type');
    dst.port = parsePort(e.icmp_code, 'icmp_code');
  }
  return [src, dst];
}

const DNS_PORTS = new Set([53, 853, 5353, 5355]);

/** The app_proto as a service name; "failed" (detection gave up) and absent are null. */
function service(v: unknown): string | null {
  const s = text(v);
  return s === null || s === '' || s === 'failed' || s === 'unknown' ? null : s;
}

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;

function tcpFlags(v: unknown): number | null {
  return typeof v === 'string' && /^[0-9a-f]{1,2}$/i.test(v) ? parseInt(v, 16) : null;
}

export interface ConnStateInput {
  proto: string | null;
  /** Packets from the responder; null when the source does not say. */
  respPkts: bigint | null;
  /** Suricata flow.state: new, established, closed, bypassed; null when unknown. */
  state: string | null;
  /** TCP flags seen from the client / from the server (OR of all packets); null when not logged. */
  tsFlags: number | null;
  tcFlags: number | null;
}

/**
 * Zeek-like conn_state from what eve says about a flow:
 * - ICMP → OTH (as Zeek writes it); other non-TCP: no reply packets → S0, else SF.
 * - TCP, no reply packets → S0 (OTH when the client's flags show no SYN: a midstream pickup).
 * - TCP, the responder sent RST but never SYN (no SYN-ACK) → REJ.
 * - TCP session closed (flow.state "closed") → SF, or RSTO / RSTR when the originator / the
 *   responder sent a RST and the two sides did not both send FIN.
 * - otherwise (both directions seen, not closed): when both sides' SYN is seen S1, or S2 / S3
 *   when only the originator / only the responder sent FIN; else OTH.
 * Without tcp flags (tcp logging off) the RST / SYN refinements are skipped.
 */
export function suricataConnState(c: ConnStateInput): string | null {
  if (c.respPkts === null) return null;
  const noReply = c.respPkts === 0n;
  if (c.proto === 'icmp') return 'OTH';
  if (c.proto !== 'tcp') return noReply ? 'S0' : 'SF';
  const ts = c.tsFlags;
  const tc = c.tcFlags;
  if (noReply) return ts !== null && !(ts & SYN) ? 'OTH' : 'S0';
  if (tc !== null && tc & RST && !(tc & SYN)) return 'REJ';
  if (c.state === 'closed') {
    if (ts !== null && tc !== null && !(ts & FIN && tc & FIN)) {
      if (ts & RST) return 'RSTO';
      if (tc & RST) return 'RSTR';
    }
    return 'SF';
  }
  if (ts !== null && tc !== null && ts & SYN && tc & SYN) {
    if (ts & FIN && !(tc & FIN)) return 'S2';
    if (tc & FIN && !(ts & FIN)) return 'S3';
    return 'S1';
  }
  return 'OTH';
}

/** Builds rows by column name, so a column added to the schema never shifts the values. */
function row(table: TableDef, values: Record<string, CellValue | undefined>): Row {
  return table.columns.map((c) => values[c.name] ?? null);
}

function sameName(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  const n = (s: string) => s.toLowerCase().replace(/\.$/, '');
  return n(a) === n(b);
}

interface DnsQuery {
  ts: bigint;
  connId: string | null;
  client: Endpoint;
  server: Endpoint;
  proto: string | null;
  id: number | null;
  txId: number | null;
  name: string | null;
  qtype: string | null;
  sensor: string | null;
  answered: boolean;
}

interface DnsResponse {
  ts: bigint;
  /** Old (v1) format: one event per answer record; the events of one response share a time. */
  perRecord: boolean;
  connId: string | null;
  client: Endpoint;
  server: Endpoint;
  proto: string | null;
  id: number | null;
  /** The name asked for, when the event says (v2 `rrname`, v3 `queries[0]`, else the first record). */
  name: string | null;
  qtype: string | null;
  rcode: string | null;
  answers: string[];
  /** null when the answers carry no TTL (the "grouped" format). */
  ttls: string[] | null;
  sensor: string | null;
}

interface DnsGroup {
  queries: DnsQuery[];
  responses: DnsResponse[];
}

interface NetflowRecord {
  src: Endpoint;
  dst: Endpoint;
  proto: string | null;
  start: bigint;
  end: bigint | null;
  pkts: bigint | null;
  bytes: bigint | null;
  flags: number | null;
  service: string | null;
  communityId: string | null;
  sensor: string | null;
}

/** How many recent flow ids are remembered before the first netflow record is seen. */
const RECENT_FLOWS = 256;

class EveReader {
  private utcWarned = false;
  private readonly dns = new Map<string, Map<string, DnsGroup>>();
  private readonly netflow = new Map<string, NetflowRecord[]>();
  /** Flow ids of `flow` events, tracked once netflow records appear (a flow event wins). */
  private flowIds: Set<string> | null = null;
  private readonly recentFlowIds: string[] = [];
  private readonly kept = new Map<string, number>();
  private line = 0;
  private raw = '';

  constructor(
    private readonly sink: RowSink,
    private readonly fileId: number,
  ) {}

  private time(v: unknown, field: string): bigint {
    const t = parseTime(v, field);
    if (t.assumedUtc && !this.utcWarned) {
      this.utcWarned = true;
      this.sink.warn(`times without a UTC offset were read as UTC (first on line ${this.line}: ${clip(String(v))})`);
    }
    return t.micros;
  }

  private optTime(v: unknown, field: string): bigint | null {
    return v === undefined || v === null ? null : this.time(v, field);
  }

  handle(lineNo: number, raw: string): void {
    this.line = lineNo;
    this.raw = raw;
    let parsed: unknown;
    try {
      parsed = JSON.parse(quoteBigIds(raw));
    } catch (e) {
      this.sink.reject(lineNo, `not valid JSON (${clip((e as Error).message, 80)})`);
      return;
    }
    let e = asObj(parsed);
    if (!e) {
      this.sink.reject(lineNo, 'line is not a JSON object');
      return;
    }
    let wrapperSensor: string | null = null;
    if (typeof e.event_type !== 'string') {
      // AWS Network Firewall (and similar shippers) nest the Suricata record under `event`.
      const inner = asObj(e.event);
      if (inner && typeof inner.event_type === 'string') {
        wrapperSensor = text(e.firewall_name);
        e = inner;
      } else {
        this.sink.reject(lineNo, 'no "event_type": not a Suricata eve record');
        return;
      }
    }
    const type = e.event_type as string;
    const sensor = text(e.host) ?? text(e.sensor_name) ?? wrapperSensor;
    try {
      switch (type) {
        case 'flow':
          return this.flow(e, sensor);
        case 'netflow':
          return this.netflowRecord(e, sensor);
        case 'dns':
          return this.dnsEvent(e, sensor);
        case 'http':
          return this.http(e, sensor);
        case 'tls':
          return this.tls(e, sensor);
        case 'alert':
          return this.alert(e, sensor);
        default:
          return this.other(type, e, sensor);
      }
    } catch (err) {
      if (err instanceof RowError) this.sink.reject(lineNo, `${type} event: ${err.message}`);
      else throw err;
    }
  }

  /** One connection per flow event, whatever its state. */
  private flow(e: Obj, sensor: string | null): void {
    const f = asObj(e.flow);
    if (!f) throw new RowError('no "flow" object');
    if (f.start === undefined || f.start === null) throw new RowError('flow.start is missing');
    const start = this.time(f.start, 'flow.start');
    const end = this.optTime(f.end, 'flow.end');
    const [src, dst] = tuple(e, true);
    const proto = normProto(e.proto);
    const respPkts = parseCount(f.pkts_toclient, 'flow.pkts_toclient');
    const tcp = asObj(e.tcp);
    const connId = idText(e.flow_id);
    this.sink.add(CONNECTIONS, row(CONNECTIONS, {
      conn_id: connId,
      ts: start,
      src_ip: src.ip,
      src_port: src.port,
      dst_ip: dst.ip,
      dst_port: dst.port,
      proto,
      service: service(e.app_proto),
      duration: end === null ? null : Number(end - start) / 1e6,
      orig_bytes: null,
      resp_bytes: null,
      conn_state: suricataConnState({
        proto,
        respPkts,
        state: text(f.state),
        tsFlags: tcpFlags(tcp?.tcp_flags_ts),
        tcFlags: tcpFlags(tcp?.tcp_flags_tc),
      }),
      history: null,
      orig_pkts: parseCount(f.pkts_toserver, 'flow.pkts_toserver'),
      orig_ip_bytes: parseCount(f.bytes_toserver, 'flow.bytes_toserver'),
      resp_pkts: respPkts,
      resp_ip_bytes: parseCount(f.bytes_toclient, 'flow.bytes_toclient'),
      community_id: text(e.community_id),
      is_open: false,
      sensor,
      file_id: this.fileId,
    }));
    if (connId !== null) {
      if (this.flowIds) this.flowIds.add(connId);
      else {
        this.recentFlowIds.push(connId);
        if (this.recentFlowIds.length > RECENT_FLOWS) this.recentFlowIds.shift();
      }
      // A flow is logged when it ends, after its DNS transactions: finish its lookups now.
      const pending = this.dns.get(connId);
      if (pending) {
        this.dns.delete(connId);
        for (const g of pending.values()) this.emitDnsGroup(g);
      }
    }
  }

  /**
   * Netflow records are one direction each (the to-server record first, then the to-client one
   * with source and destination swapped, only when the server answered). They are held until the
   * end of the file and merged by flow_id.
   */
  private netflowRecord(e: Obj, sensor: string | null): void {
    const n = asObj(e.netflow);
    if (!n) throw new RowError('no "netflow" object');
    if (n.start === undefined || n.start === null) throw new RowError('netflow.start is missing');
    const [src, dst] = tuple(e, true);
    const rec: NetflowRecord = {
      src,
      dst,
      proto: normProto(e.proto),
      start: this.time(n.start, 'netflow.start'),
      end: this.optTime(n.end, 'netflow.end'),
      pkts: parseCount(n.pkts, 'netflow.pkts'),
      bytes: parseCount(n.bytes, 'netflow.bytes'),
      flags: tcpFlags(asObj(e.tcp)?.tcp_flags),
      service: service(e.app_proto),
      communityId: text(e.community_id),
      sensor,
    };
    if (!this.flowIds) this.flowIds = new Set(this.recentFlowIds);
    const id = idText(e.flow_id) ?? `line ${this.line}`;
    const list = this.netflow.get(id);
    if (list) list.push(rec);
    else this.netflow.set(id, [rec]);
  }

  private emitNetflow(id: string, recs: NetflowRecord[]): void {
    const first = recs[0];
    const orig = first.src;
    const isOut = (r: NetflowRecord) => r.src.ip === orig.ip && r.src.port === orig.port;
    const out = recs.filter(isOut);
    const back = recs.filter((r) => !isOut(r));
    const sum = (rs: NetflowRecord[], k: 'pkts' | 'bytes'): bigint | null =>
      rs.length === 0 || rs.some((r) => r[k] === null) ? null : rs.reduce((a, r) => a + (r[k] as bigint), 0n);
    const start = recs.reduce((a, r) => (r.start < a ? r.start : a), first.start);
    const ends = recs.map((r) => r.end).filter((x): x is bigint => x !== null);
    const end = ends.length ? ends.reduce((a, b) => (b > a ? b : a)) : null;
    const respPkts = sum(back, 'pkts');
    this.sink.add(CONNECTIONS, row(CONNECTIONS, {
      conn_id: id.startsWith('line ') ? null : id,
      ts: start,
      src_ip: orig.ip,
      src_port: orig.port,
      dst_ip: first.dst.ip,
      dst_port: first.dst.port,
      proto: first.proto,
      service: first.service,
      duration: end === null ? null : Number(end - start) / 1e6,
      orig_bytes: null,
      resp_bytes: null,
      // A missing to-client record may be a reply that was never seen or one this file lacks:
      // the state is only given when both directions are here.
      conn_state: respPkts === null ? null : suricataConnState({
        proto: first.proto,
        respPkts,
        state: null,
        tsFlags: out.find((r) => r.flags !== null)?.flags ?? null,
        tcFlags: back.find((r) => r.flags !== null)?.flags ?? null,
      }),
      history: null,
      orig_pkts: sum(out, 'pkts'),
      orig_ip_bytes: sum(out, 'bytes'),
      resp_pkts: respPkts,
      resp_ip_bytes: sum(back, 'bytes'),
      community_id: first.communityId,
      is_open: false,
      sensor: first.sensor,
      file_id: this.fileId,
    }));
  }

  /**
   * DNS: v1 logs a query event and one answer event per record; v2 one answer event with an
   * `answers` array (or `grouped`); v3 (Suricata 8) request/response events with `queries`.
   * Events are grouped by flow and DNS id and paired query ↔ response in time order; a response
   * with no query becomes a lookup of its own. Answer events of v1 (and some v2) run resolver →
   * client, so the client of a lone response is the side that is not on a DNS port.
   */
  private dnsEvent(e: Obj, sensor: string | null): void {
    const d = asObj(e.dns);
    if (!d) throw new RowError('no "dns" object');
    const ts = this.time(e.timestamp, 'timestamp');
    const [src, dst] = tuple(e, false);
    const proto = normProto(e.proto);
    const connId = idText(e.flow_id);
    const id = int(d.id, 'dns.id');
    const kind = text(d.type);
    const firstQuery = Array.isArray(d.queries) ? asObj(d.queries[0]) : undefined;
    if (kind === 'query' || kind === 'request') {
      const q: DnsQuery = {
        ts,
        connId,
        client: src,
        server: dst,
        proto,
        id,
        txId: int(d.tx_id ?? e.tx_id, 'tx_id'),
        name: text(d.rrname) ?? text(firstQuery?.rrname),
        qtype: text(d.rrtype) ?? text(firstQuery?.rrtype),
        sensor,
        answered: false,
      };
      this.dnsGroup(connId, q.client, q.server, proto, id).queries.push(q);
      return;
    }
    if (kind !== 'answer' && kind !== 'response' && kind !== 'authority') {
      throw new RowError(`dns.type "${clip(String(d.type))}" is neither a query nor an answer`);
    }
    const flip = src.port !== null && DNS_PORTS.has(src.port) && !(dst.port !== null && DNS_PORTS.has(dst.port));
    const client = flip ? dst : src;
    const server = flip ? src : dst;
    const group = this.dnsGroup(connId, client, server, proto, id);
    const answers: string[] = [];
    let ttls: string[] | null = [];
    let firstRecordName: string | null = null;
    const addRecord = (a: Obj) => {
      firstRecordName ??= text(a.rrname);
      const data = text(a.rdata) ?? recordData(a);
      if (data === null) return;
      answers.push(data);
      const ttl = int(a.ttl, 'ttl');
      ttls?.push(ttl === null ? '' : String(ttl));
    };
    let perRecord = false;
    if (Array.isArray(d.answers)) {
      for (const a of d.answers) {
        const o = asObj(a);
        if (o) addRecord(o);
      }
    } else if (asObj(d.grouped)) {
      ttls = null;
      for (const vals of Object.values(asObj(d.grouped) as Obj)) {
        if (Array.isArray(vals)) for (const v of vals) {
          const s = text(v) ?? (asObj(v) ? JSON.stringify(v) : null);
          if (s !== null) answers.push(s);
        }
      }
    } else if (d.version === undefined || d.version === 1 || d.version === '1') {
      // v1: this event is one record of a response (or a bare rcode such as NXDOMAIN).
      perRecord = true;
      if (kind !== 'authority' && (d.rdata !== undefined || recordData(d) !== null)) addRecord(d);
      else firstRecordName = text(d.rrname);
    }
    const rcode = text(d.rcode);
    const last = group.responses[group.responses.length - 1];
    if (perRecord && last && last.perRecord && last.ts === ts) {
      last.answers.push(...answers);
      if (last.ttls && ttls) last.ttls.push(...ttls);
      last.rcode ??= rcode;
      return;
    }
    const name = perRecord ? firstRecordName : text(d.rrname) ?? text(firstQuery?.rrname) ?? firstRecordName;
    group.responses.push({
      ts, perRecord, connId, client, server, proto, id, name,
      qtype: perRecord ? null : text(d.rrtype) ?? text(firstQuery?.rrtype),
      rcode, answers, ttls, sensor,
    });
  }

  private dnsGroup(connId: string | null, client: Endpoint, server: Endpoint, proto: string | null, id: number | null): DnsGroup {
    const flowKey = connId ?? `${client.ip}|${client.port}|${server.ip}|${server.port}|${proto}`;
    let byId = this.dns.get(flowKey);
    if (!byId) this.dns.set(flowKey, (byId = new Map()));
    const key = String(id);
    let g = byId.get(key);
    if (!g) byId.set(key, (g = { queries: [], responses: [] }));
    return g;
  }

  private emitDnsGroup(g: DnsGroup): void {
    const queries = [...g.queries].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : (a.txId ?? 0) - (b.txId ?? 0)));
    const responses = [...g.responses].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    const matched = new Map<DnsQuery, DnsResponse>();
    const lone: DnsResponse[] = [];
    for (const r of responses) {
      const open = queries.filter((q) => !q.answered);
      const q = open.find((x) => sameName(x.name, r.name)) ?? open[0];
      if (q) {
        q.answered = true;
        matched.set(q, r);
      } else {
        lone.push(r);
      }
    }
    for (const q of queries) {
      const r = matched.get(q);
      this.sink.add(DNS, row(DNS, {
        conn_id: q.connId,
        ts: q.ts,
        src_ip: q.client.ip,
        src_port: q.client.port,
        dst_ip: q.server.ip,
        dst_port: q.server.port,
        proto: q.proto,
        trans_id: q.id,
        query: q.name ?? r?.name ?? null,
        qtype: q.qtype ?? r?.qtype ?? null,
        rcode: r?.rcode ?? null,
        answers: r ? r.answers : null,
        ttls: r ? r.ttls : null,
        sensor: q.sensor,
        file_id: this.fileId,
      }));
    }
    for (const r of lone) {
      this.sink.add(DNS, row(DNS, {
        conn_id: r.connId,
        ts: r.ts,
        src_ip: r.client.ip,
        src_port: r.client.port,
        dst_ip: r.server.ip,
        dst_port: r.server.port,
        proto: r.proto,
        trans_id: r.id,
        query: r.name,
        qtype: r.qtype,
        rcode: r.rcode,
        answers: r.answers,
        ttls: r.ttls,
        sensor: r.sensor,
        file_id: this.fileId,
      }));
    }
  }

  private http(e: Obj, sensor: string | null): void {
    const h = asObj(e.http);
    if (!h) throw new RowError('no "http" object');
    const [src, dst] = tuple(e, true);
    this.sink.add(HTTP, row(HTTP, {
      ...this.eventHead(e, src, dst),
      method: text(h.http_method),
      host: text(h.hostname),
      uri: text(h.url),
      user_agent: text(h.http_user_agent),
      referrer: text(h.http_refer),
      status_code: int(h.status, 'http.status'),
      // eve's `length` is the response body size; the request body size is not logged.
      request_body_len: null,
      response_body_len: parseCount(h.length, 'http.length'),
      sensor,
      file_id: this.fileId,
    }));
  }

  /** The columns every per-event row (http, tls, alert) starts with: flow, time, client, server. */
  private eventHead(e: Obj, src: Endpoint, dst: Endpoint) {
    return {
      conn_id: idText(e.flow_id),
      ts: this.time(e.timestamp, 'timestamp'),
      src_ip: src.ip,
      src_port: src.port,
      dst_ip: dst.ip,
      dst_port: dst.port,
    };
  }

  private tls(e: Obj, sensor: string | null): void {
    const t = asObj(e.tls);
    if (!t) throw new RowError('no "tls" object');
    const [src, dst] = tuple(e, true);
    const alpn = Array.isArray(t.server_alpns) ? text(t.server_alpns[0]) : null;
    const ja4 = asObj(t.ja4) ? text((t.ja4 as Obj).hash) : text(t.ja4);
    this.sink.add(TLS, row(TLS, {
      ...this.eventHead(e, src, dst),
      version: text(t.version),
      server_name: text(t.sni),
      next_protocol: alpn,
      established: null,
      ja3: text(asObj(t.ja3)?.hash),
      ja3s: text(asObj(t.ja3s)?.hash),
      ja4,
      subject: text(t.subject),
      issuer: text(t.issuerdn),
      validation_status: null,
      // eve's fingerprint is the SHA-1 of the server certificate; Zeek's list holds SHA-256
      // values, so it is not mixed in here.
      cert_chain_fps: null,
      sensor,
      file_id: this.fileId,
    }));
  }

  /**
   * An alert's tuple is the packet's direction; the flow's client and server come from
   * alert.flow's own tuple (Suricata 7) or from "direction": "to_client".
   */
  private alert(e: Obj, sensor: string | null): void {
    const a = asObj(e.alert);
    if (!a) throw new RowError('no "alert" object');
    let [src, dst] = tuple(e, false);
    const f = asObj(e.flow);
    if (f && f.src_ip !== undefined && f.dest_ip !== undefined) {
      src = { ip: addr(f.src_ip, 'flow.src_ip'), port: parsePort(f.src_port, 'flow.src_port') ?? src.port };
      dst = { ip: addr(f.dest_ip, 'flow.dest_ip'), port: parsePort(f.dest_port, 'flow.dest_port') ?? dst.port };
    } else if (e.direction === 'to_client') {
      [src, dst] = [dst, src];
    }
    const sid = a.signature_id;
    this.sink.add(ALERTS, row(ALERTS, {
      ...this.eventHead(e, src, dst),
      proto: normProto(e.proto),
      signature_id: sid === undefined || sid === null ? null : BigInt(int(sid, 'alert.signature_id') as number),
      signature: text(a.signature),
      category: text(a.category),
      severity: int(a.severity, 'alert.severity'),
      action: text(a.action),
      sensor,
      file_id: this.fileId,
    }));
  }

  /** Any other event type (stats, dhcp, fileinfo, anomaly, ssh, …): kept as JSON, never an error. */
  private other(type: string, e: Obj, sensor: string | null): void {
    const ts = this.optTime(e.timestamp, 'timestamp');
    this.sink.add(OTHER_LOGS, row(OTHER_LOGS, {
      log_type: type,
      ts,
      conn_id: idText(e.flow_id),
      record: this.raw,
      sensor,
      file_id: this.fileId,
    }));
    this.kept.set(type, (this.kept.get(type) ?? 0) + 1);
  }

  finish(): void {
    for (const byId of this.dns.values()) for (const g of byId.values()) this.emitDnsGroup(g);
    this.dns.clear();
    let superseded = 0;
    for (const [id, recs] of this.netflow) {
      if (this.flowIds?.has(id)) superseded++;
      else this.emitNetflow(id, recs);
    }
    this.netflow.clear();
    if (superseded) this.sink.warn(`${superseded} netflow connections also have a flow event; the flow event was used`);
    if (this.kept.size) {
      const list = [...this.kept].map(([t, n]) => `${t} ${n}`).join(', ');
      this.sink.warn(`Suricata events kept aside in other_logs, not analysed: ${list}`);
    }
  }
}

/** Answer data of a record without `rdata` (SOA, SRV, SSHFP … logged as an object). */
function recordData(a: Obj): string | null {
  for (const k of ['soa', 'srv', 'sshfp', 'svcb', 'https']) {
    if (asObj(a[k])) return JSON.stringify(a[k]);
  }
  return null;
}

export const suricataEve: SourcePlugin = {
  format: 'suricata-eve',

  sniff(head: string): SniffResult {
    const line = firstLine(head);
    if (line === undefined) return { ok: false, why: 'file is empty' };
    if (!line.startsWith('{')) return { ok: false, why: 'first line is not a JSON object' };
    // The first line may be cut by the sniff window: parse it when whole, else look at its keys.
    if (!/"event_type"\s*:/.test(line)) return { ok: false, why: 'JSON without "event_type", so not Suricata eve' };
    let wrapped: boolean;
    try {
      const o = asObj(JSON.parse(quoteBigIds(line)));
      wrapped = typeof o?.event_type !== 'string' && typeof asObj(o?.event)?.event_type === 'string';
    } catch {
      const nested = /"event"\s*:\s*\{/.exec(line);
      wrapped = nested !== null && nested.index < line.search(/"event_type"\s*:/);
    }
    return wrapped
      ? { ok: true, why: 'Suricata eve records nested under "event" (AWS Network Firewall style)' }
      : { ok: true, why: 'JSON lines with a Suricata "event_type"' };
  },

  async read(ctx: ReadContext): Promise<void> {
    const reader = new EveReader(ctx.sink, ctx.fileId);
    ctx.sink.logType('eve');
    let lineNo = 0;
    for await (const batch of ctx.lines) {
      for (const raw of batch) {
        lineNo++;
        const line = raw.trim();
        if (line === '') continue;
        reader.handle(lineNo, line);
      }
    }
    reader.finish();
  },
};
