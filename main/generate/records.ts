// What the generator produces: one stream of time-ordered records that every writer reads.
// A connection is one `conn` record at its start (Zeek conn.log) and one `flow` record when
// Suricata would log it (after the flow times out); its application records (DNS query and
// answer, HTTP requests, TLS handshake) refer to it, so every format links them the same way.

export type Proto = 'tcp' | 'udp';

export interface Conn {
  /** Start, microseconds since the epoch. */
  ts: number;
  uid: string;
  flowId: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  proto: Proto;
  /** Zeek `service` (dns, http, ssl, ntp) or null. */
  service: string | null;
  /** Duration in µs; null when Zeek leaves it unset (a lone SYN). */
  duration: number | null;
  origBytes: number | null;
  respBytes: number | null;
  state: string;
  history: string;
  origPkts: number;
  origIpBytes: number;
  respPkts: number;
  respIpBytes: number;
  localOrig: boolean;
  localResp: boolean;
  /** Community ID, computed when a writer first needs it. */
  cid?: string;
}

export interface DnsAnswer {
  type: 'A' | 'AAAA' | 'CNAME' | 'TXT';
  data: string;
  ttl: number;
  /** The owner name of this record (the query, or the CNAME target it belongs to). */
  name: string;
}

export interface Dns {
  transId: number;
  /** Round-trip time in µs (answer time − query time). */
  rtt: number;
  query: string;
  qtype: 'A' | 'AAAA' | 'TXT';
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';
  answers: DnsAnswer[];
  /** Suricata transaction number within the flow. */
  txId: number;
}

export interface Http {
  depth: number;
  method: string;
  host: string;
  uri: string;
  referrer: string | null;
  userAgent: string;
  requestBodyLen: number;
  responseBodyLen: number;
  status: number;
  statusMsg: string;
  mime: string | null;
  respFuid: string | null;
}

export interface Tls {
  version: 'TLSv12' | 'TLSv13';
  cipher: string;
  curve: string;
  sni: string | null;
  resumed: boolean;
  established: boolean;
  nextProtocol: string | null;
  ja3: string;
  ja3s: string;
  /** Certificate details (TLS 1.2 only: TLS 1.3 certificates are encrypted). */
  subject: string | null;
  issuer: string | null;
  certFp: string | null;
  serial: string | null;
}

export type Rec =
  | { k: 'conn'; ts: number; c: Conn }
  | { k: 'flow'; ts: number; c: Conn; reason: 'timeout' | 'shutdown' }
  | { k: 'dns'; ts: number; c: Conn; d: Dns }
  | { k: 'dnsans'; ts: number; c: Conn; d: Dns }
  | { k: 'http'; ts: number; c: Conn; h: Http }
  | { k: 'ssl'; ts: number; c: Conn; s: Tls };

export interface ConnShape {
  proto: Proto;
  service: string | null;
  /** µs */
  duration: number;
  origBytes: number;
  respBytes: number;
  /** 'ok' (default), 'no-answer' (S0), 'rejected' (REJ), 'reset' (RSTO). */
  outcome?: 'ok' | 'no-answer' | 'rejected' | 'reset';
  /** UDP: packets each way when not one per 1400 bytes (two DNS queries in one flow). */
  origPkts?: number;
  respPkts?: number;
}

const MSS = 1448;

/** Fills Zeek's state, history, packet and IP-byte counts from payload sizes and outcome. */
export function shapeConn(base: Omit<Conn, 'duration' | 'origBytes' | 'respBytes' | 'state' | 'history' | 'origPkts' | 'origIpBytes' | 'respPkts' | 'respIpBytes' | 'service' | 'proto'>, s: ConnShape): Conn {
  const c = base as Conn;
  c.proto = s.proto;
  c.service = s.service;
  const outcome = s.outcome ?? 'ok';
  if (s.proto === 'udp') {
    const oPk = s.origPkts ?? Math.max(1, Math.ceil(s.origBytes / 1400));
    const answered = outcome === 'ok';
    const rPk = answered ? (s.respPkts ?? Math.max(1, Math.ceil(s.respBytes / 1400))) : 0;
    c.duration = answered || oPk > 1 ? Math.round(s.duration) : null;
    c.origBytes = s.origBytes;
    c.respBytes = answered ? s.respBytes : 0;
    c.state = answered ? 'SF' : 'S0';
    c.history = answered ? 'Dd' : 'D';
    c.origPkts = oPk;
    c.origIpBytes = s.origBytes + 28 * oPk;
    c.respPkts = rPk;
    c.respIpBytes = answered ? s.respBytes + 28 * rPk : 0;
    return c;
  }
  if (outcome === 'no-answer') {
    const tries = s.duration > 0 ? 2 : 1;
    c.duration = tries > 1 ? Math.round(s.duration) : null;
    c.origBytes = tries > 1 ? 0 : null;
    c.respBytes = tries > 1 ? 0 : null;
    c.state = 'S0';
    c.history = 'S';
    c.origPkts = tries;
    c.origIpBytes = 52 * tries;
    c.respPkts = 0;
    c.respIpBytes = 0;
    c.service = null;
    return c;
  }
  if (outcome === 'rejected') {
    c.duration = Math.round(s.duration);
    c.origBytes = 0;
    c.respBytes = 0;
    c.state = 'REJ';
    c.history = 'Sr';
    c.origPkts = 1;
    c.origIpBytes = 52;
    c.respPkts = 1;
    c.respIpBytes = 40;
    c.service = null;
    return c;
  }
  const oData = Math.ceil(s.origBytes / MSS);
  const rData = Math.ceil(s.respBytes / MSS);
  // SYN, ACK, FIN + data segments + roughly one ACK per two segments from the other side.
  const oPk = 3 + oData + Math.ceil(rData / 2);
  const rPk = 2 + rData + Math.ceil(oData / 2);
  c.duration = Math.round(s.duration);
  c.origBytes = s.origBytes;
  c.respBytes = s.respBytes;
  if (outcome === 'reset') {
    c.state = 'RSTO';
    c.history = s.respBytes > 0 ? 'ShADadR' : 'ShADR';
  } else {
    c.state = 'SF';
    c.history = s.origBytes > 0 && s.respBytes > 0 ? 'ShADadFf' : s.origBytes > 0 ? 'ShADFf' : 'ShAFf';
  }
  c.origPkts = oPk;
  c.origIpBytes = s.origBytes + 52 * oPk;
  c.respPkts = rPk;
  c.respIpBytes = s.respBytes + 52 * rPk;
  return c;
}

/**
 * A small min-heap of records keyed by (ts, insertion order): a generator pushes the records of
 * one check-in (or click, or transfer) in any order and releases those no later than the start
 * of the next one, so its output is sorted.
 */
export class Pending {
  private items: { r: Rec; seq: number }[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(r: Rec): void {
    const it = { r, seq: this.seq++ };
    const a = this.items;
    a.push(it);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(a[i], a[p])) {
        [a[i], a[p]] = [a[p], a[i]];
        i = p;
      } else break;
    }
  }

  peekTs(): number {
    return this.items.length ? this.items[0].r.ts : Infinity;
  }

  pop(): Rec {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l], a[m])) m = l;
        if (r < a.length && less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top.r;
  }

  /** Records with ts ≤ upTo, in order. */
  *drain(upTo = Infinity): Generator<Rec> {
    while (this.items.length && this.items[0].r.ts <= upTo) yield this.pop();
  }
}

function less(a: { r: Rec; seq: number }, b: { r: Rec; seq: number }): boolean {
  return a.r.ts < b.r.ts || (a.r.ts === b.r.ts && a.seq < b.seq);
}

/** Merges sorted record streams into one sorted stream (ties: stream order, then stream's own). */
export function* mergeStreams(streams: Iterable<Rec>[]): Generator<Rec> {
  const its = streams.map((s) => s[Symbol.iterator]());
  const heads: { r: Rec; i: number }[] = [];
  const lessH = (a: { r: Rec; i: number }, b: { r: Rec; i: number }) => a.r.ts < b.r.ts || (a.r.ts === b.r.ts && a.i < b.i);
  const up = (j: number) => {
    while (j > 0) {
      const p = (j - 1) >> 1;
      if (lessH(heads[j], heads[p])) {
        [heads[j], heads[p]] = [heads[p], heads[j]];
        j = p;
      } else break;
    }
  };
  const down = (j: number) => {
    for (;;) {
      const l = 2 * j + 1;
      const r = l + 1;
      let m = j;
      if (l < heads.length && lessH(heads[l], heads[m])) m = l;
      if (r < heads.length && lessH(heads[r], heads[m])) m = r;
      if (m === j) break;
      [heads[j], heads[m]] = [heads[m], heads[j]];
      j = m;
    }
  };
  its.forEach((it, i) => {
    const n = it.next();
    if (!n.done) {
      heads.push({ r: n.value, i });
      up(heads.length - 1);
    }
  });
  let last = -Infinity;
  while (heads.length) {
    const top = heads[0];
    if (top.r.ts < last) throw new Error(`generator bug: stream ${top.i} went back in time`);
    last = top.r.ts;
    yield top.r;
    const n = its[top.i].next();
    if (!n.done) {
      heads[0] = { r: n.value, i: top.i };
      down(0);
    } else {
      const tail = heads.pop()!;
      if (heads.length) {
        heads[0] = tail;
        down(0);
      }
    }
  }
}
