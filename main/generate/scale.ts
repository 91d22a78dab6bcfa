// Performance-scale mode: a realistic Zeek conn.log of N rows (TSV, optionally gzip), written as
// fast as possible and streaming. Rows are encoded byte by byte into 4 MB buffers (no per-row
// strings), sampled from precomputed tables (hosts by activity, destinations by Zipf popularity,
// sizes and durations by quantile), in time order with a day/night rhythm; a few beacons and
// benign fleets (NTP, telemetry) are planted through a small heap of periodic processes.
import { once } from 'node:events';
import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { hash32, Rng } from './rng.js';
import { isoToUs, usToIso, zeekStamp, US_PER_DAY, US_PER_S } from './time.js';
import type { TruthItem } from './truth.js';

export interface ScaleOptions {
  rows: number;
  path: string;
  seed?: number;
  gzip?: boolean;
  /** zlib level for gzip (default 1: about 10 % bigger than level 6 and several times faster). */
  gzipLevel?: number;
  /** Span of the log in days (default 1). */
  days?: number;
  /** ISO start (default 2025-06-02T00:00:00Z, a Monday). */
  start?: string;
  /** Internal hosts (default rows / 2000, at least 20). */
  hosts?: number;
  onProgress?: (rowsWritten: number) => void;
}

export interface ScaleResult {
  path: string;
  rows: number;
  bytes: number;
  seconds: number;
  start: string;
  end: string;
  hosts: number;
  destinations: number;
  /** Planted periodic sources (beacons are malicious, fleets benign), with observed counts. */
  planted: (Omit<TruthItem, 'observed'> & { observed: { connections: number; checkins: number; firstSeen: string | null; lastSeen: string | null } })[];
}

const CHUNK = 4 << 20;
const MAX_ROW = 512;

// ---- byte-level writing -------------------------------------------------------------------

function ascii(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

class Bytes {
  buf: Buffer = Buffer.allocUnsafe(CHUNK);
  pos = 0;

  put(b: Uint8Array): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < b.length; i++) buf[p++] = b[i];
    this.pos = p;
  }

  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** A non-negative integer below 2^53. */
  uint(n: number): void {
    const buf = this.buf;
    if (n < 10) {
      buf[this.pos++] = 48 + n;
      return;
    }
    let len = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) len++;
    let p = this.pos + len;
    this.pos = p;
    while (n >= 10) {
      const q = Math.floor(n / 10);
      buf[--p] = 48 + (n - q * 10);
      n = q;
    }
    buf[--p] = 48 + n;
  }

  /** Microseconds as seconds with six decimals (Zeek time / interval). */
  fixed6(us: number): void {
    const s = Math.floor(us / 1_000_000);
    let f = us - s * 1_000_000;
    this.uint(s);
    const buf = this.buf;
    buf[this.pos++] = 46;
    let p = this.pos + 6;
    this.pos = p;
    for (let i = 0; i < 6; i++) {
      const q = Math.floor(f / 10);
      buf[--p] = 48 + (f - q * 10);
      f = q;
    }
  }
}

const B62 = ascii('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');

// ---- sampling tables ----------------------------------------------------------------------

/** 4096 quantiles of a log-normal (median, sigma), rounded to integers ≥ min. */
function lognormalTable(median: number, sigma: number, min = 0): Float64Array {
  const t = new Float64Array(4096);
  for (let i = 0; i < 4096; i++) {
    const p = (i + 0.5) / 4096;
    t[i] = Math.max(min, Math.round(median * Math.exp(sigma * probit(p))));
  }
  return t;
}

/** Inverse standard normal CDF (Acklam's rational approximation). */
function probit(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Maps a uniform 2^bits index to an item with probability ∝ weight (a quantized CDF). */
function indexTable(weights: Float64Array, bits: number): Uint32Array {
  const n = 1 << bits;
  const t = new Uint32Array(n);
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  let acc = 0;
  let item = 0;
  let next = weights[0] / total;
  for (let i = 0; i < n; i++) {
    const u = (i + 0.5) / n;
    while (u > next && item < weights.length - 1) {
      acc = next;
      item++;
      next = acc + weights[item] / total;
    }
    t[i] = item;
  }
  return t;
}

// ---- connection templates -----------------------------------------------------------------

type Mode = 'tcp' | 'tcp-s0' | 'tcp-rej' | 'udp' | 'udp-lost';

interface Template {
  /** "\tproto\tservice\t" */
  protoService: Uint8Array;
  /** "\tstate\tT\tF\t0\thistory\t" */
  stateHistory: Uint8Array;
  mode: Mode;
  udp: boolean;
  out: Float64Array;
  in: Float64Array;
  dur: Float64Array;
}

function template(proto: string, service: string, state: string, localResp: boolean, history: string, out: Float64Array, inn: Float64Array, dur: Float64Array): Template {
  const mode: Mode =
    proto === 'udp' ? (state === 'S0' ? 'udp-lost' : 'udp') : state === 'S0' ? 'tcp-s0' : state === 'REJ' ? 'tcp-rej' : 'tcp';
  return {
    protoService: ascii(`\t${proto}\t${service}\t`),
    stateHistory: ascii(`\t${state}\tT\t${localResp ? 'T' : 'F'}\t0\t${history}\t`),
    mode,
    udp: proto === 'udp',
    out,
    in: inn,
    dur,
  };
}

const PUBLIC_FIRST = [13, 18, 20, 23, 31, 34, 35, 37, 40, 44, 45, 46, 50, 51, 52, 54, 62, 64, 66, 69, 72, 74, 77, 80, 81, 82, 85, 87, 88, 91, 93, 94, 95, 99, 104, 107, 108, 128, 130, 138, 140, 142, 143, 146, 151, 152, 157, 162, 163, 167, 173, 176, 178, 185, 188, 190, 193, 195, 199, 204, 205, 206, 207, 208, 209, 212, 213, 216, 217];

const HEADER_FIELDS =
  'ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents';
const HEADER_TYPES = 'time\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]';

interface Periodic {
  id: string;
  kind: 'beacon' | 'fleet-schedule';
  malicious: boolean;
  host: number;
  dst: Uint8Array;
  dstText: string;
  port: Uint8Array;
  portNum: number;
  tpl: Template;
  period: number; // µs
  jitter: number;
  symmetric: boolean;
  miss: number;
  burst: [number, number] | null;
  /** pending burst rows still to write for the current check-in */
  burstLeft: number;
  /** fleet id shared by many processes (truth groups them) */
  group: number;
}

/**
 * Writes a conn.log of exactly `rows` rows. Memory stays constant (two 4 MB buffers in flight
 * plus the tables), whatever the row count.
 */
export async function generateConnLog(o: ScaleOptions): Promise<ScaleResult> {
  const t0 = Date.now();
  const N = Math.floor(o.rows);
  if (!(N >= 1)) throw new Error('rows must be at least 1');
  const seed = (o.seed ?? 1) >>> 0;
  const rng = new Rng(hash32('scale', seed));
  const days = o.days ?? 1;
  const startUs = isoToUs(o.start ?? '2025-06-02T00:00:00Z');
  const spanUs = Math.round(days * US_PER_DAY);
  const endUs = startUs + spanUs;

  // Hosts: 10.a.b.c, activity heavy-tailed (a few busy servers, many quiet desktops).
  const H = Math.max(20, Math.min(60_000, o.hosts ?? Math.round(N / 2000)));
  const hostIp: Uint8Array[] = [];
  const hostText: string[] = [];
  const hostW = new Float64Array(H);
  const hostLinux = new Uint8Array(H);
  for (let i = 0; i < H; i++) {
    const t = `10.${1 + Math.floor(i / 62500)}.${Math.floor(i / 250) % 250}.${2 + (i % 250)}`;
    hostText.push(t);
    hostIp.push(ascii(t));
    hostW[i] = Math.exp(1.2 * rng.normal());
    hostLinux[i] = rng.bernoulli(0.2) ? 1 : 0;
  }
  const hostTable = indexTable(hostW, 16);

  // Destinations: Zipf popularity, each with a port profile.
  const D = Math.max(500, Math.min(250_000, Math.round(N / 40)));
  const dstIp: Uint8Array[] = [];
  const dstKind = new Uint8Array(D); // 0 = https, 1 = http, 2 = other tcp, 3 = other udp
  const dstPort = new Uint16Array(D);
  const dstW = new Float64Array(D);
  const OTHER_TCP = [22, 25, 587, 993, 8080, 8443, 5222, 1935, 3389, 5228];
  const OTHER_UDP = [443, 3478, 19302, 500, 4500];
  for (let i = 0; i < D; i++) {
    dstIp.push(ascii(`${PUBLIC_FIRST[rng.int(0, PUBLIC_FIRST.length - 1)]}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`));
    const r = rng.float();
    const k = r < 0.78 ? 0 : r < 0.9 ? 1 : r < 0.97 ? 2 : 3;
    dstKind[i] = k;
    dstPort[i] = k === 0 ? 443 : k === 1 ? 80 : k === 2 ? rng.choice(OTHER_TCP) : rng.choice(OTHER_UDP);
    dstW[i] = 1 / Math.pow(i + 1, 1.05);
  }
  const dstTable = indexTable(dstW, 20);
  const portText = new Map<number, Uint8Array>();
  const portBytes = (p: number) => {
    let b = portText.get(p);
    if (!b) portText.set(p, (b = ascii(String(p))));
    return b;
  };

  const resolvers = [ascii('10.0.0.2'), ascii('10.0.0.3')];
  const servers = [ascii('10.0.0.5'), ascii('10.0.0.6'), ascii('10.0.0.10'), ascii('10.0.0.11')];
  const mdns = ascii('224.0.0.251');

  // Size / duration tables.
  const L = lognormalTable;
  const T = {
    sslOk: template('tcp', 'ssl', 'SF', false, 'ShADadFf', L(1400, 1.0, 1), L(9000, 1.6, 1), L(2_500_000, 1.5, 2000)),
    sslRst: template('tcp', 'ssl', 'RSTO', false, 'ShADadR', L(900, 0.8, 1), L(4000, 1.2, 1), L(8_000_000, 1.2, 2000)),
    httpOk: template('tcp', 'http', 'SF', false, 'ShADadFf', L(500, 0.5, 60), L(12000, 1.6, 100), L(900_000, 1.4, 1000)),
    tcpOk: template('tcp', '-', 'SF', false, 'ShADadFf', L(800, 1.2, 1), L(3000, 1.5, 1), L(4_000_000, 1.8, 1000)),
    s0: template('tcp', '-', 'S0', false, 'S', L(0, 0), L(0, 0), L(0, 0)),
    rej: template('tcp', '-', 'REJ', false, 'Sr', L(0, 0), L(0, 0), L(200, 0.5, 20)),
    udpOk: template('udp', '-', 'SF', false, 'Dd', L(300, 1.0, 20), L(600, 1.2, 20), L(60_000, 1.5, 100)),
    dns: template('udp', 'dns', 'SF', true, 'Dd', L(36, 0.2, 17), L(90, 0.5, 17), L(15_000, 1.0, 200)),
    dnsLost: template('udp', 'dns', 'S0', true, 'D', L(36, 0.2, 17), L(0, 0), L(0, 0)),
    smb: template('tcp', 'smb', 'SF', true, 'ShADadFf', L(2000, 1.3, 1), L(6000, 1.6, 1), L(600_000, 1.5, 500)),
    ldap: template('tcp', 'ldap_tcp', 'SF', true, 'ShADadFf', L(600, 0.8, 1), L(1800, 1.0, 1), L(80_000, 1.0, 300)),
    krb: template('tcp', 'krb_tcp', 'SF', true, 'ShADadFf', L(1500, 0.3, 1), L(1400, 0.3, 1), L(6_000, 0.8, 200)),
    mdns: template('udp', 'dns', 'S0', true, 'D', L(80, 0.6, 20), L(0, 0), L(0, 0)),
    ntp: template('udp', 'ntp', 'SF', false, 'Dd', L(48, 0), L(48, 0), L(25_000, 0.5, 1000)),
    beacon: template('tcp', 'ssl', 'SF', false, 'ShADadFf', L(420, 0.15, 1), L(900, 0.4, 1), L(350_000, 0.5, 20_000)),
  };
  T.ntp.out.fill(48);
  T.ntp.in.fill(48);
  const P53 = ascii('53');
  const P5353 = ascii('5353');
  const SRV = [
    { port: ascii('445'), tpl: T.smb },
    { port: ascii('389'), tpl: T.ldap },
    { port: ascii('88'), tpl: T.krb },
  ];

  // Planted periodic processes: beacons (malicious) and two benign fleets.
  const procs: Periodic[] = [];
  const pickHost = () => rng.int(0, H - 1);
  const beaconSpecs: { id: string; period: number; jitter: number; symmetric: boolean; miss: number; burst: [number, number] | null }[] = [
    { id: 'scale-beacon-60s-0pct', period: 60, jitter: 0, symmetric: false, miss: 0, burst: null },
    { id: 'scale-beacon-60s-30pct', period: 60, jitter: 0.3, symmetric: false, miss: 0, burst: null },
    { id: 'scale-beacon-120s-50pct-burst', period: 120, jitter: 0.5, symmetric: false, miss: 0.05, burst: [2, 3] },
    { id: 'scale-beacon-300s-20pct', period: 300, jitter: 0.2, symmetric: true, miss: 0, burst: null },
    { id: 'scale-beacon-900s-10pct-missed', period: 900, jitter: 0.1, symmetric: false, miss: 0.1, burst: null },
    { id: 'scale-beacon-3600s-5pct', period: 3600, jitter: 0.05, symmetric: true, miss: 0, burst: null },
  ];
  for (const b of beaconSpecs) {
    const d = `${rng.choice(PUBLIC_FIRST)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
    procs.push({
      id: b.id, kind: 'beacon', malicious: true, host: pickHost(), dst: ascii(d), dstText: d, port: ascii('443'), portNum: 443, tpl: T.beacon,
      period: b.period * US_PER_S, jitter: b.jitter, symmetric: b.symmetric, miss: b.miss, burst: b.burst, burstLeft: 0, group: -1,
    });
  }
  const perDay = (p: number) => (86400 / p) * days;
  const ntpHosts = Math.min(H, Math.floor((0.04 * N) / Math.max(1, perDay(1024))));
  const telHosts = Math.min(H, Math.floor((0.04 * N) / Math.max(1, perDay(900))));
  const ntpIps = ['162.159.200.1', '162.159.200.123'];
  const telIps = ['20.42.65.92', '20.42.73.29', '20.189.173.1', '52.168.117.173'];
  for (let i = 0; i < ntpHosts; i++) {
    const d = ntpIps[i % 2];
    procs.push({
      id: 'scale-fleet-ntp', kind: 'fleet-schedule', malicious: false, host: i % H, dst: ascii(d), dstText: d, port: ascii('123'), portNum: 123, tpl: T.ntp,
      period: 1024 * US_PER_S, jitter: 0.02, symmetric: true, miss: 0, burst: null, burstLeft: 0, group: 0,
    });
  }
  for (let i = 0; i < telHosts; i++) {
    const d = telIps[i % 4];
    procs.push({
      id: 'scale-fleet-telemetry', kind: 'fleet-schedule', malicious: false, host: (H - 1 - i + H) % H, dst: ascii(d), dstText: d, port: ascii('443'), portNum: 443, tpl: T.sslOk,
      period: 900 * US_PER_S, jitter: 0.1, symmetric: true, miss: 0, burst: null, burstLeft: 0, group: 1,
    });
  }
  const stats = procs.map(() => ({ n: 0, checkins: 0, first: Infinity, last: -Infinity }));
  let expectedPeriodic = 0;
  for (const p of procs) {
    const burstAvg = p.burst ? (p.burst[0] + p.burst[1]) / 2 : 1;
    const meanGap = p.symmetric ? p.period : p.period * (1 - p.jitter / 2);
    expectedPeriodic += (spanUs / meanGap) * (1 - p.miss) * burstAvg;
  }

  // Heap of processes by next time.
  const nextT = new Float64Array(procs.length);
  const heap: number[] = [];
  const hless = (a: number, b: number) => nextT[a] < nextT[b] || (nextT[a] === nextT[b] && a < b);
  const hpush = (i: number) => {
    heap.push(i);
    let j = heap.length - 1;
    while (j > 0) {
      const p = (j - 1) >> 1;
      if (hless(heap[j], heap[p])) {
        [heap[j], heap[p]] = [heap[p], heap[j]];
        j = p;
      } else break;
    }
  };
  const hdown = () => {
    let j = 0;
    for (;;) {
      const l = 2 * j + 1;
      const r = l + 1;
      let m = j;
      if (l < heap.length && hless(heap[l], heap[m])) m = l;
      if (r < heap.length && hless(heap[r], heap[m])) m = r;
      if (m === j) break;
      [heap[j], heap[m]] = [heap[m], heap[j]];
      j = m;
    }
  };
  procs.forEach((p, i) => {
    nextT[i] = startUs + Math.floor(rng.float() * p.period);
    hpush(i);
  });

  // Background arrival times: a Poisson process warped by a diurnal profile (per minute).
  const bgRows = Math.max(N - expectedPeriodic, N * 0.2);
  const binUs = 60 * US_PER_S;
  const bins = Math.max(1, Math.ceil(spanUs / binUs));
  const cum = new Float64Array(bins);
  let acc = 0;
  for (let b = 0; b < bins; b++) {
    const t = startUs + b * binUs;
    const hour = ((t / 3_600_000_000) % 24 + 24) % 24;
    const dow = Math.floor(t / US_PER_DAY + 4) % 7; // 0 = Sunday
    const work = dow === 0 || dow === 6 ? 0.35 : 1;
    const shape = 0.15 + 0.85 * Math.exp(-Math.pow((hour - 13) / 4.2, 2));
    acc += shape * work;
    cum[b] = acc;
  }
  const total = acc;
  const meanStep = total / bgRows;
  let x = 0;
  let bin = 0;
  const nextBackground = (): number => {
    x += -meanStep * Math.log(1 - rng.fast());
    while (bin < bins - 1 && cum[bin] <= x) bin++;
    const lo = bin === 0 ? 0 : cum[bin - 1];
    const w = cum[bin] - lo;
    return Math.floor(startUs + bin * binUs + ((x - lo) / w) * binUs);
  };
  let bgNext = nextBackground();

  // Output.
  mkdirSync(dirname(o.path), { recursive: true });
  // High-water marks of a few chunks let generation (main thread) overlap with compression and
  // disk writes (libuv threads): two cores busy instead of taking turns.
  const file = createWriteStream(o.path, { highWaterMark: 4 * CHUNK });
  const zopts = { level: o.gzipLevel ?? 1, chunkSize: 1 << 18, highWaterMark: 4 * CHUNK }; // zlib passes stream options on
  const gz = o.gzip ? createGzip(zopts) : null;
  if (gz) gz.pipe(file);
  const sink = gz ?? file;
  const out = new Bytes();
  out.put(
    ascii(
      `#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#open\t${zeekStamp(startUs)}\n` +
        `#fields\t${HEADER_FIELDS}\n#types\t${HEADER_TYPES}\n`,
    ),
  );

  const TAB = 9;
  const NL = 10;
  const DASH = 45;
  const UNSET3 = ascii('-\t-\t-');
  let lastTs = startUs;

  const writeRow = (ts: number, src: Uint8Array, sport: number, dst: Uint8Array, dport: Uint8Array, tpl: Template) => {
    out.fixed6(ts);
    out.byte(TAB);
    // uid: C + 17 base62
    const buf = out.buf;
    let p = out.pos;
    buf[p++] = 67;
    let a = rng.u32();
    let b = rng.u32();
    let c = rng.u32();
    for (let i = 0; i < 5; i++) {
      buf[p++] = B62[a % 62];
      a = Math.floor(a / 62);
    }
    for (let i = 0; i < 5; i++) {
      buf[p++] = B62[b % 62];
      b = Math.floor(b / 62);
    }
    for (let i = 0; i < 5; i++) {
      buf[p++] = B62[c % 62];
      c = Math.floor(c / 62);
    }
    const d = rng.u32();
    buf[p++] = B62[d % 62];
    buf[p++] = B62[Math.floor(d / 62) % 62];
    buf[p++] = TAB;
    out.pos = p;
    out.put(src);
    out.byte(TAB);
    out.uint(sport);
    out.byte(TAB);
    out.put(dst);
    out.byte(TAB);
    out.put(dport);
    out.put(tpl.protoService);
    const r = rng.u32();
    const mode = tpl.mode;
    let ob = tpl.out[r & 4095];
    let ib = tpl.in[(r >>> 12) & 4095];
    const du = tpl.dur[(r >>> 20) & 4095];
    let op: number;
    let rp: number;
    let oib: number;
    let rib: number;
    if (mode === 'tcp') {
      const od = Math.ceil(ob / 1448);
      const rd = Math.ceil(ib / 1448);
      op = 3 + od + Math.ceil(rd / 2);
      rp = 2 + rd + Math.ceil(od / 2);
      oib = ob + 52 * op;
      rib = ib + 52 * rp;
    } else if (mode === 'udp') {
      op = ob > 1400 ? Math.ceil(ob / 1400) : 1;
      rp = ib > 1400 ? Math.ceil(ib / 1400) : 1;
      oib = ob + 28 * op;
      rib = ib + 28 * rp;
    } else if (mode === 'udp-lost') {
      ib = 0;
      op = 1;
      rp = 0;
      oib = ob + 28;
      rib = 0;
    } else if (mode === 'tcp-rej') {
      ob = 0;
      ib = 0;
      op = 1;
      rp = 1;
      oib = 52;
      rib = 40;
    } else {
      op = 1;
      rp = 0;
      oib = 52;
      rib = 0;
    }
    if (mode === 'tcp-s0') {
      out.put(UNSET3);
    } else {
      if (mode === 'udp-lost') {
        out.byte(DASH);
      } else out.fixed6(du);
      out.byte(TAB);
      out.uint(ob);
      out.byte(TAB);
      out.uint(ib);
    }
    out.put(tpl.stateHistory);
    out.uint(op);
    out.byte(TAB);
    out.uint(oib);
    out.byte(TAB);
    out.uint(rp);
    out.byte(TAB);
    out.uint(rib);
    out.byte(TAB);
    out.byte(DASH);
    out.byte(NL);
  };

  const sportOf = (h: number) => (hostLinux[h] ? 32768 + (rng.u32() % 28232) : 49152 + (rng.u32() % 16384));

  const backgroundRow = (ts: number) => {
    const h = hostTable[rng.u32() >>> 16];
    const src = hostIp[h];
    const r = rng.fast();
    if (r < 0.27) {
      const lost = rng.fast() < 0.02;
      writeRow(ts, src, sportOf(h), resolvers[h & 1], P53, lost ? T.dnsLost : T.dns);
    } else if (r < 0.35) {
      const s = SRV[rng.u32() % SRV.length];
      writeRow(ts, src, sportOf(h), servers[rng.u32() % servers.length], s.port, s.tpl);
    } else if (r < 0.365) {
      writeRow(ts, src, 5353, mdns, P5353, T.mdns);
    } else {
      const di = dstTable[rng.u32() >>> 12];
      const kind = dstKind[di];
      const o2 = rng.fast();
      let tpl: Template;
      if (o2 < 0.03) tpl = T.s0;
      else if (o2 < 0.045) tpl = T.rej;
      else if (kind === 0) tpl = o2 < 0.06 ? T.sslRst : T.sslOk;
      else if (kind === 1) tpl = T.httpOk;
      else if (kind === 2) tpl = T.tcpOk;
      else tpl = T.udpOk;
      writeRow(ts, src, sportOf(h), dstIp[di], portBytes(dstPort[di]), tpl);
    }
  };

  let written = 0;
  let lastProgress = 0;
  const flushChunk = async (final: boolean) => {
    if (final) {
      const closeUs = Math.max(endUs, lastTs) + US_PER_S;
      out.put(ascii(`#close\t${zeekStamp(closeUs)}\n`));
    }
    const chunk = out.buf.subarray(0, out.pos);
    out.buf = Buffer.allocUnsafe(CHUNK);
    out.pos = 0;
    if (!sink.write(chunk)) await once(sink, 'drain');
  };

  while (written < N) {
    // Fill one chunk synchronously.
    const limit = CHUNK - MAX_ROW;
    while (written < N && out.pos < limit) {
      const pi = heap.length ? heap[0] : -1;
      if (pi >= 0 && nextT[pi] <= bgNext) {
        const p = procs[pi];
        const ts = Math.round(nextT[pi]);
        const st = stats[pi];
        if (p.burstLeft === 0) {
          // A new check-in (unless missed).
          st.checkins++;
          if (p.burst) p.burstLeft = rng.int(p.burst[0], p.burst[1]) - 1;
          writeRow(ts, hostIp[p.host], sportOf(p.host), p.dst, p.port, p.tpl);
        } else {
          p.burstLeft--;
          writeRow(ts, hostIp[p.host], sportOf(p.host), p.dst, p.port, p.tpl);
        }
        st.n++;
        if (ts < st.first) st.first = ts;
        st.last = ts;
        lastTs = ts;
        written++;
        // Next time: the next burst member, or the next (non-missed) check-in.
        if (p.burstLeft > 0) nextT[pi] = ts + Math.round(rng.uniform(0.05, 2) * US_PER_S);
        else {
          let t = nextT[pi];
          do {
            const g = p.jitter <= 0 ? p.period : p.symmetric ? p.period * (1 + p.jitter * (2 * rng.float() - 1)) : p.period * (1 - p.jitter * rng.float());
            t += g;
          } while (p.miss > 0 && rng.float() < p.miss);
          nextT[pi] = t;
        }
        if (nextT[pi] >= endUs && p.burstLeft === 0) {
          const last = heap.pop()!;
          if (heap.length) {
            heap[0] = last;
            hdown();
          }
        } else hdown();
      } else {
        lastTs = bgNext;
        backgroundRow(bgNext);
        written++;
        bgNext = nextBackground();
      }
    }
    await flushChunk(written >= N);
    if (o.onProgress && written - lastProgress >= 1_000_000) {
      lastProgress = written;
      o.onProgress(written);
    }
  }
  o.onProgress?.(written);
  sink.end();
  await finished(file);

  const planted: ScaleResult['planted'] = [];
  const groups = new Map<number, { item: ScaleResult['planted'][number]; hosts: Set<string> }>();
  procs.forEach((p, i) => {
    const st = stats[i];
    const obs = {
      connections: st.n,
      checkins: st.checkins,
      firstSeen: st.first === Infinity ? null : usToIso(st.first),
      lastSeen: st.last === -Infinity ? null : usToIso(st.last),
    };
    const base = {
      id: p.id,
      kind: p.kind,
      source: (p.kind === 'beacon' ? 'beacon' : 'fleet') as TruthItem['source'],
      malicious: p.malicious,
      port: p.portNum,
      proto: (p.tpl.udp ? 'udp' : 'tcp') as 'udp' | 'tcp',
      eventType: 'connection' as const,
      period: p.period / US_PER_S,
      jitter: p.jitter,
      jitterMode: (p.symmetric ? 'symmetric' : 'one-sided') as 'symmetric' | 'one-sided',
      missProbability: p.miss,
      ...(p.burst ? { burst: { size: p.burst, spread: [0.05, 2] as [number, number] } } : {}),
    };
    if (p.group < 0) {
      planted.push({ ...base, src: hostText[p.host], dst: { ip: p.dstText }, observed: obs });
      return;
    }
    let g = groups.get(p.group);
    if (!g) {
      g = { item: { ...base, hosts: [], dst: { ips: [] }, observed: { connections: 0, checkins: 0, firstSeen: null, lastSeen: null } }, hosts: new Set() };
      groups.set(p.group, g);
      planted.push(g.item);
    }
    g.hosts.add(hostText[p.host]);
    if (!g.item.dst.ips!.includes(p.dstText)) g.item.dst.ips!.push(p.dstText);
    const go = g.item.observed;
    go.connections += obs.connections;
    go.checkins += obs.checkins;
    if (obs.firstSeen && (!go.firstSeen || obs.firstSeen < go.firstSeen)) go.firstSeen = obs.firstSeen;
    if (obs.lastSeen && (!go.lastSeen || obs.lastSeen > go.lastSeen)) go.lastSeen = obs.lastSeen;
  });
  for (const g of groups.values()) g.item.hosts = [...g.hosts];

  return {
    path: o.path,
    rows: written,
    bytes: statSync(o.path).size,
    seconds: (Date.now() - t0) / 1000,
    start: usToIso(startUs),
    end: usToIso(endUs),
    hosts: H,
    destinations: D,
    planted,
  };
}
