// Addresses, identifiers and names for generated traffic: internal host addresses inside a CIDR,
// plausible public addresses for names (stable per name), Zeek uids, Suricata flow ids and the
// Community ID v1 flow hash (https://github.com/corelight/community-id-spec).
import { createHash, hash } from 'node:crypto';
import { hash32, type Rng } from './rng.js';

export function ipv4ToInt(ip: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m || m.slice(1).some((o) => +o > 255)) throw new Error(`"${ip}" is not an IPv4 address`);
  return ((+m[1] << 24) >>> 0) + (+m[2] << 16) + (+m[3] << 8) + +m[4];
}

export function intToIpv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export interface Cidr4 {
  base: number;
  bits: number;
  text: string;
}

export function parseCidr4(text: string): Cidr4 {
  const [ip, b] = text.split('/');
  const bits = b === undefined ? 32 : Number(b);
  if (!Number.isInteger(bits) || bits < 8 || bits > 30) throw new Error(`"${text}" must be an IPv4 CIDR from /8 to /30`);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (ipv4ToInt(ip) & mask) >>> 0, bits, text };
}

export function inCidr4(ip: string, c: Cidr4): boolean {
  let n: number;
  try {
    n = ipv4ToInt(ip);
  } catch {
    return false;
  }
  const mask = (0xffffffff << (32 - c.bits)) >>> 0;
  return ((n & mask) >>> 0) === c.base;
}

/** How many host addresses `hostAddress` can hand out in a range. */
export function hostCapacity(c: Cidr4): number {
  const size = 2 ** (32 - c.bits);
  if (size >= 512) return (size / 256 - 1) * 200;
  return Math.max(0, size - 16);
}

/**
 * The address of internal host i: in ranges of /23 or wider, 200 hosts per /24 from x.y.1.10
 * (x.y.0.0/24 holds servers: gateway .1, resolver .2, domain controller .5, …); in smaller
 * ranges, base + 10 + i.
 */
export function hostAddress(c: Cidr4, i: number): string {
  const size = 2 ** (32 - c.bits);
  if (i < 0 || i >= hostCapacity(c)) throw new Error(`host ${i} does not fit in ${c.text}`);
  if (size >= 512) return intToIpv4(c.base + (1 + Math.floor(i / 200)) * 256 + 10 + (i % 200));
  return intToIpv4(c.base + 10 + i);
}

/** A server address in the range's first /24 (x.y.0.n); for small ranges, base + n. */
export function serverAddress(c: Cidr4, n: number): string {
  return intToIpv4(c.base + n);
}

/**
 * First octets of ordinary public unicast space (no private, shared, loopback, multicast,
 * documentation or benchmarking ranges), for addresses made up from names.
 */
const PUBLIC_FIRST_OCTETS = [
  13, 18, 20, 23, 31, 34, 35, 37, 40, 44, 45, 46, 50, 51, 52, 54, 62, 63, 64, 66, 69, 72, 74, 77, 78, 80, 81, 82, 85,
  87, 88, 91, 93, 94, 95, 96, 99, 104, 107, 108, 128, 130, 138, 140, 141, 142, 143, 146, 151, 152, 157, 162, 163, 167,
  173, 176, 178, 185, 188, 190, 193, 195, 199, 204, 205, 206, 207, 208, 209, 212, 213, 216, 217,
];

/** A stable public IPv4 address for a label (a name plus an index). */
export function publicIp(label: string, salt = 0): string {
  const h = hash32(label, 0x5eed0000 + salt);
  const h2 = hash32(label, 0xa11ce000 + salt);
  const first = PUBLIC_FIRST_OCTETS[h % PUBLIC_FIRST_OCTETS.length];
  const last = 1 + (h2 % 253);
  return `${first}.${(h >>> 8) & 255}.${(h >>> 16) & 255}.${last}`;
}

/** A random public address (for noise). */
export function randomPublicIp(rng: Rng): string {
  return `${rng.choice(PUBLIC_FIRST_OCTETS)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A Zeek connection uid: "C" and 17 base62 characters. */
export function zeekUid(rng: Rng): string {
  let s = 'C';
  for (let i = 0; i < 17; i++) s += BASE62[rng.u32() % 62];
  return s;
}

/** A Zeek file id (F + 17 base62). */
export function zeekFuid(rng: Rng): string {
  let s = 'F';
  for (let i = 0; i < 17; i++) s += BASE62[rng.u32() % 62];
  return s;
}

/** A Suricata flow_id: a positive integer below 2^51, like real ones (exact as a JS number). */
export function suricataFlowId(rng: Rng): number {
  return (rng.u32() & 0x7ffff) * 4294967296 + rng.u32() + 1;
}

const ipIntCache = new Map<string, number>();

function ipInt(ip: string): number {
  let n = ipIntCache.get(ip);
  if (n === undefined) {
    if (ip.includes(':')) throw new Error('IPv6 community id is not generated');
    n = ipv4ToInt(ip);
    if (ipIntCache.size > 500_000) ipIntCache.clear();
    ipIntCache.set(ip, n);
  }
  return n;
}

const PROTO_NUM: Record<string, number> = { icmp: 1, tcp: 6, udp: 17 };
const cidBuf = Buffer.alloc(16);

/** Community ID v1 (seed 0) of a flow. */
export function communityId(src: string, sport: number, dst: string, dport: number, proto: string): string {
  let a = ipInt(src);
  let b = ipInt(dst);
  let pa = sport;
  let pb = dport;
  if (a > b || (a === b && pa > pb)) {
    [a, b] = [b, a];
    [pa, pb] = [pb, pa];
  }
  const buf = cidBuf;
  buf.writeUInt16BE(0, 0); // seed
  buf.writeUInt32BE(a, 2);
  buf.writeUInt32BE(b, 6);
  buf.writeUInt8(PROTO_NUM[proto] ?? 0, 10);
  buf.writeUInt8(0, 11);
  buf.writeUInt16BE(pa, 12);
  buf.writeUInt16BE(pb, 14);
  return `1:${hash('sha1', buf, 'base64')}`;
}

/** md5 hex of a label (JA3-like fingerprints that are stable per client profile). */
export function md5Hex(label: string): string {
  return createHash('md5').update(label).digest('hex');
}

export function sha256Hex(label: string): string {
  return createHash('sha256').update(label).digest('hex');
}
