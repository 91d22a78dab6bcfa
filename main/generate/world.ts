// The simulated network a scenario runs in (hosts, resolver, the web) and the Emitter each
// traffic generator writes through: it opens connections (Zeek fields, Suricata flow), looks
// names up through the resolver with a per-host cache and rotating answers, and adds the TLS
// handshake and HTTP requests, so every source produces consistent records in every format.
import { hostAddress, inCidr4, md5Hex, parseCidr4, serverAddress, sha256Hex, suricataFlowId, zeekFuid, zeekUid, publicIp, type Cidr4 } from './net.js';
import { Pending, shapeConn, type Conn, type ConnShape, type Dns, type DnsAnswer, type Http, type Tls } from './records.js';
import { hash32, Rng } from './rng.js';
import { selectHosts, type Destination, type Scenario } from './scenario.js';
import { ActiveWindow, isoToUs, parseUtcOffset, US_PER_DAY } from './time.js';
import { buildUniverse, type Universe } from './universe.js';

export type Os = 'windows' | 'mac' | 'linux';

export interface Host {
  index: number;
  ip: string;
  os: Os;
  portLo: number;
  portHi: number;
  userAgent: string;
  ja3: string;
  /** When the machine is powered on (empty: always). */
  awake: ActiveWindow[];
}

export interface World {
  scenario: Scenario;
  seed: number;
  startUs: number;
  endUs: number;
  tz: string;
  internal: Cidr4;
  resolver: string;
  /** Domain controller / file server (internal services for noise). */
  servers: string[];
  hosts: Host[];
  universe: Universe;
  eveOffsetMin: number;
  /** Whether an address is internal (memoized: asked for every connection). */
  internalCache: Map<string, boolean>;
}

const USER_AGENTS: Record<Os, string[]> = {
  windows: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  ],
  mac: [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  ],
  linux: ['Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'],
};

export function buildWorld(s: Scenario, seed: number, rng: Rng): World {
  const internal = parseCidr4(s.network.internal);
  const tz = s.timeZone ?? 'UTC';
  const hostRng = rng.fork('hosts');
  const awakeByHost = new Map<number, ActiveWindow[]>();
  for (const hh of s.hostHours ?? []) {
    const win = new ActiveWindow(hh.awake, tz);
    for (const i of selectHosts(hh.hosts, s.network.hosts)) awakeByHost.set(i, [...(awakeByHost.get(i) ?? []), win]);
  }
  const hosts: Host[] = [];
  for (let i = 0; i < s.network.hosts; i++) hosts.push(makeHost(i, hostAddress(internal, i), hostRng, awakeByHost.get(i) ?? []));
  let size = 0;
  let httpShare = 0.08;
  for (const src of s.sources) {
    if (src.type === 'browsing') {
      size = Math.max(size, src.sites ?? 400);
      if (src.httpShare !== undefined) httpShare = src.httpShare;
    }
  }
  const startUs = isoToUs(s.start);
  return {
    scenario: s,
    seed,
    startUs,
    endUs: startUs + Math.round(s.days * US_PER_DAY),
    tz,
    internal,
    resolver: s.network.resolver ?? serverAddress(internal, 2),
    servers: [serverAddress(internal, 5), serverAddress(internal, 6), serverAddress(internal, 7)],
    hosts,
    universe: buildUniverse(rng.fork('universe'), Math.max(size, 20), httpShare),
    eveOffsetMin: parseUtcOffset(s.output?.eveUtcOffset ?? '+0000'),
    internalCache: new Map(),
  };
}

function makeHost(index: number, ip: string, rng: Rng, awake: ActiveWindow[]): Host {
  const r = rng.float();
  const os: Os = r < 0.7 ? 'windows' : r < 0.9 ? 'mac' : 'linux';
  const userAgent = rng.choice(USER_AGENTS[os]);
  return {
    index,
    ip,
    os,
    portLo: os === 'linux' ? 32768 : 49152,
    portHi: os === 'linux' ? 60999 : 65535,
    userAgent,
    ja3: md5Hex(`client-hello:${userAgent}`),
    awake,
  };
}

/** A host for a literal source address that is not one of the numbered hosts. */
export function hostFor(w: World, ref: number | string): Host {
  if (typeof ref === 'number') return w.hosts[ref];
  const known = w.hosts.find((h) => h.ip === ref);
  if (known) return known;
  return makeHost(-1, ref, new Rng(hash32(ref)), []);
}

export interface ResolvedDst {
  fqdn: string | null;
  ips: string[];
  ttl: number;
  cname: string | null;
}

export function resolveDst(d: Destination): ResolvedDst {
  if (d.ip) return { fqdn: null, ips: [d.ip], ttl: 0, cname: null };
  const fqdn = d.fqdn!.toLowerCase().replace(/\.$/, '');
  const ips = d.ips ?? Array.from({ length: d.ipCount ?? 1 }, (_, k) => publicIp(fqdn, k));
  return { fqdn, ips, ttl: d.ttl ?? 300, cname: d.cname ?? null };
}

/** What a connection carries, for Zeek's `service` and the records that go with it. */
export type App = 'tls' | 'http' | 'dns' | 'ntp' | null;

export function appFor(port: number, proto: 'tcp' | 'udp', tls: unknown, http: unknown): App {
  if (proto === 'udp') return port === 53 ? 'dns' : port === 123 ? 'ntp' : null;
  if (tls === false) return http || port === 80 || port === 8080 ? 'http' : null;
  if (tls || port === 443 || port === 8443) return 'tls';
  if (http || port === 80 || port === 8080) return 'http';
  return null;
}

export const SERVICE: Record<string, string> = { tls: 'ssl', http: 'http', dns: 'dns', ntp: 'ntp' };

/** Per-generator traffic counters, for the truth file. */
export interface Stats {
  connections: number;
  checkins: number;
  requests: number;
  lookups: number;
  bytesOut: number;
  bytesIn: number;
  first: number;
  last: number;
  dstIps: Map<string, number>;
}

export function newStats(): Stats {
  return { connections: 0, checkins: 0, requests: 0, lookups: 0, bytesOut: 0, bytesIn: 0, first: Infinity, last: -Infinity, dstIps: new Map() };
}

export function countConn(st: Stats, c: Conn): void {
  st.connections++;
  st.bytesOut += c.origBytes ?? 0;
  st.bytesIn += c.respBytes ?? 0;
  if (c.ts < st.first) st.first = c.ts;
  if (c.ts > st.last) st.last = c.ts;
  st.dstIps.set(c.dst, (st.dstIps.get(c.dst) ?? 0) + 1);
}

const TLS13_CIPHERS = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const TLS12_CIPHERS = ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'];
const ISSUERS = [
  "CN=R3,O=Let's Encrypt,C=US",
  'CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1,O=DigiCert Inc,C=US',
  'CN=GTS CA 1C3,O=Google Trust Services LLC,C=US',
  'CN=Amazon RSA 2048 M02,O=Amazon,C=US',
  'CN=Sectigo RSA Domain Validation Secure Server CA,O=Sectigo Limited,L=Salford,ST=Greater Manchester,C=GB',
];

export interface TlsProfile {
  version?: 'TLSv12' | 'TLSv13';
  ja3?: string;
  nextProtocol?: string | null;
}

export interface HttpReq {
  method: string;
  host: string;
  uri: string;
  userAgent: string;
  referrer?: string | null;
  requestBodyLen: number;
  responseBodyLen: number;
  status?: number;
  mime?: string | null;
}

const STATUS_MSG: Record<number, string> = { 200: 'OK', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 404: 'Not Found' };

/** Header bytes of an HTTP request/response (what orig_bytes/resp_bytes count beyond bodies). */
export function requestHeaderBytes(r: HttpReq): number {
  return 90 + r.host.length + r.uri.length + r.userAgent.length + (r.referrer ? r.referrer.length + 10 : 0);
}
export const RESPONSE_HEADER_BYTES = 220;

/**
 * Writes one generator's traffic: connections, lookups, handshakes and requests go into its
 * Pending heap, from which the generator yields them in time order.
 */
export class Emitter {
  readonly p = new Pending();
  private readonly cache = new Map<string, { until: number; ips: string[] }>();
  private readonly rotation = new Map<string, number>();

  constructor(readonly w: World, readonly rng: Rng, readonly host: Host) {}

  isInternal(ip: string): boolean {
    const cache = this.w.internalCache;
    let v = cache.get(ip);
    if (v === undefined) {
      v = inCidr4(ip, this.w.internal);
      if (cache.size > 200_000) cache.clear();
      cache.set(ip, v);
    }
    return v;
  }

  /** One-way network delay to an address, µs. */
  rtt(ip: string): number {
    return this.isInternal(ip) ? Math.round(this.rng.uniform(150, 1500)) : Math.round(Math.min(400_000, this.rng.lognormal(28_000, 0.5)));
  }

  sport(): number {
    return this.rng.int(this.host.portLo, this.host.portHi);
  }

  /** Opens a connection at ts: pushes its conn record and its Suricata flow record. */
  conn(ts: number, dst: string, dport: number, shape: ConnShape, sport = this.sport()): Conn {
    const c = shapeConn(
      {
        ts: Math.round(ts),
        uid: zeekUid(this.rng),
        flowId: suricataFlowId(this.rng),
        src: this.host.ip,
        sport,
        dst,
        dport,
        localOrig: this.isInternal(this.host.ip),
        localResp: this.isInternal(dst),
      },
      shape,
    );
    this.p.push({ k: 'conn', ts: c.ts, c });
    const end = c.ts + (c.duration ?? 0);
    const answered = c.state === 'SF' || c.state === 'RSTO' || c.state === 'REJ';
    const timeout = c.proto === 'tcp' ? 60 : answered ? 300 : 30;
    let ft = end + timeout * 1_000_000 + Math.round(this.rng.uniform(0, 1_000_000));
    let reason: 'timeout' | 'shutdown' = 'timeout';
    if (ft > this.w.endUs) {
      ft = Math.max(end, this.w.endUs);
      reason = 'shutdown';
    }
    this.p.push({ k: 'flow', ts: ft, c, reason });
    return c;
  }

  /**
   * Resolves a name through the resolver unless the host's cache still holds it. Returns when
   * the answer arrived and the addresses in answer order (rotated per lookup for several).
   */
  lookup(t: number, name: string, d: ResolvedDst, opts: { aaaa?: boolean; force?: boolean } = {}): { at: number; ips: string[]; looked: boolean } {
    const hit = this.cache.get(name);
    if (!opts.force && hit && hit.until > t) return { at: t, ips: hit.ips, looked: false };
    let k = this.rotation.get(name);
    if (k === undefined) k = this.rng.int(0, d.ips.length - 1);
    this.rotation.set(name, k + 1);
    const n = Math.min(d.ips.length, 4);
    const ips: string[] = [];
    for (let i = 0; i < n; i++) ips.push(d.ips[(k + i) % d.ips.length]);
    const answers: DnsAnswer[] = [];
    if (d.cname) answers.push({ type: 'CNAME', data: d.cname, ttl: Math.max(d.ttl, 300), name });
    for (const ip of ips) answers.push({ type: 'A', data: ip, ttl: d.ttl, name: d.cname ?? name });
    const at = this.query(t, name, 'A', answers, opts.aaaa ? [d.cname ? answers[0] : null].filter((a): a is DnsAnswer => a !== null) : null);
    this.cache.set(name, { until: t + d.ttl * 1_000_000, ips });
    return { at, ips, looked: true };
  }

  /** One DNS flow to the resolver (optionally with an AAAA query in the same flow). */
  query(t: number, name: string, qtype: Dns['qtype'], answers: DnsAnswer[], aaaaAnswers: DnsAnswer[] | null, rcode: Dns['rcode'] = 'NOERROR'): number {
    const cached = this.rng.bernoulli(0.35);
    const rtt = Math.round(cached ? this.rng.uniform(300, 1500) : Math.min(900_000, this.rng.lognormal(18_000, 0.8)));
    const qBytes = 17 + name.length + 1;
    const aBytes = (list: DnsAnswer[]) => qBytes + list.reduce((s, a) => s + 12 + (a.type === 'A' ? 4 : a.type === 'AAAA' ? 16 : a.data.length + 2), 0);
    const d1: Dns = { transId: this.rng.int(0, 65535), rtt, query: name, qtype, rcode, answers, txId: 0 };
    let d2: Dns | null = null;
    let dur = rtt;
    if (aaaaAnswers) {
      const rtt2 = Math.round(cached ? this.rng.uniform(300, 1500) : Math.min(900_000, this.rng.lognormal(18_000, 0.8)));
      d2 = { transId: this.rng.int(0, 65535), rtt: rtt2, query: name, qtype: 'AAAA', rcode: 'NOERROR', answers: aaaaAnswers, txId: 1 };
      dur = Math.max(rtt, 150 + rtt2);
    }
    const c = this.conn(
      t,
      this.w.resolver,
      53,
      {
        proto: 'udp',
        service: 'dns',
        duration: dur,
        origBytes: qBytes * (d2 ? 2 : 1),
        respBytes: aBytes(answers) + (d2 ? aBytes(aaaaAnswers!) : 0),
        origPkts: d2 ? 2 : 1,
        respPkts: d2 ? 2 : 1,
      },
    );
    this.p.push({ k: 'dns', ts: c.ts, c, d: d1 });
    this.p.push({ k: 'dnsans', ts: c.ts + rtt, c, d: d1 });
    if (d2) {
      this.p.push({ k: 'dns', ts: c.ts + 150, c, d: d2 });
      this.p.push({ k: 'dnsans', ts: c.ts + 150 + d2.rtt, c, d: d2 });
    }
    return c.ts + rtt + Math.round(this.rng.uniform(100, 900));
  }

  /** The TLS handshake of a connection. */
  tls(c: Conn, at: number, sni: string | null, p: TlsProfile = {}): void {
    const version = p.version ?? (this.rng.bernoulli(0.8) ? 'TLSv13' : 'TLSv12');
    const name = sni ?? c.dst;
    const h = serverHashes(c.dst, name, version);
    const s: Tls = {
      version,
      cipher: version === 'TLSv13' ? TLS13_CIPHERS[hashPick(name, 3)] : TLS12_CIPHERS[hashPick(name, 3)],
      curve: 'x25519',
      sni,
      resumed: false,
      established: true,
      nextProtocol: p.nextProtocol === undefined ? 'h2' : p.nextProtocol,
      ja3: p.ja3 ?? this.host.ja3,
      ja3s: h.ja3s,
      subject: version === 'TLSv12' ? `CN=${name}` : null,
      issuer: version === 'TLSv12' ? ISSUERS[hashPick(name, ISSUERS.length)] : null,
      certFp: version === 'TLSv12' ? h.certFp : null,
      serial: version === 'TLSv12' ? h.serial : null,
    };
    this.p.push({ k: 'ssl', ts: Math.round(at), c, s });
  }

  /** One HTTP request on a connection. */
  http(c: Conn, at: number, depth: number, r: HttpReq): void {
    const status = r.status ?? 200;
    const h: Http = {
      depth,
      method: r.method,
      host: r.host,
      uri: r.uri,
      referrer: r.referrer ?? null,
      userAgent: r.userAgent,
      requestBodyLen: r.requestBodyLen,
      responseBodyLen: r.responseBodyLen,
      status,
      statusMsg: STATUS_MSG[status] ?? 'OK',
      mime: r.responseBodyLen > 0 ? (r.mime ?? 'text/html') : null,
      respFuid: r.responseBodyLen > 0 ? zeekFuid(this.rng) : null,
    };
    this.p.push({ k: 'http', ts: Math.round(at), c, h });
  }
}

const serverCache = new Map<string, { ja3s: string; certFp: string; serial: string }>();

/** Server-side TLS fingerprints, stable per server address and name (cached: hashing is hot). */
function serverHashes(ip: string, name: string, version: string): { ja3s: string; certFp: string; serial: string } {
  const key = `${ip}|${name}|${version}`;
  let h = serverCache.get(key);
  if (!h) {
    const certLabel = `cert:${name}`;
    h = { ja3s: md5Hex(`server-hello:${ip}:${version}`), certFp: sha256Hex(certLabel), serial: md5Hex(certLabel).slice(0, 16).toUpperCase() };
    if (serverCache.size > 100_000) serverCache.clear();
    serverCache.set(key, h);
  }
  return h;
}

function hashPick(s: string, n: number): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h % n;
}

