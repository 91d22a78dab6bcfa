// Address classification: internal ranges (configurable), and destinations that are never
// findings (multicast, broadcast, link-local, unspecified). Pure, so the views can filter by
// CIDR with the same rules the engine uses.
import type { Direction } from './types.js';

export interface Cidr {
  v6: boolean;
  /** Network address as a bigint (v4: 32 bits, v6: 128 bits). */
  net: bigint;
  bits: number;
  text: string;
}

/** RFC 1918, RFC 4193 (unique local) and loopback. */
export const DEFAULT_INTERNAL = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', 'fc00::/7', '::1/128'];

export function parseIpv4(s: string): bigint | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    v = (v << 8n) | BigInt(o);
  }
  return v;
}

export function parseIpv6(input: string): bigint | null {
  let s = input.toLowerCase();
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  if (!/^[0-9a-f:.]+$/.test(s) || !s.includes(':')) return null;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const n = parseIpv4(v4[1]);
    if (n === null) return null;
    s = s.slice(0, -v4[1].length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

export function parseCidr(text: string): Cidr {
  const [addr, bitsText] = text.trim().split('/');
  const v4 = parseIpv4(addr);
  const v6 = v4 === null ? parseIpv6(addr) : null;
  if (v4 === null && v6 === null) throw new Error(`"${text}" is not a CIDR range`);
  const isV6 = v4 === null;
  const width = isV6 ? 128 : 32;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) throw new Error(`"${text}" has an invalid prefix length`);
  const value = (isV6 ? v6 : v4) as bigint;
  const shift = BigInt(width - bits);
  return { v6: isV6, net: (value >> shift) << shift, bits, text: text.trim() };
}

export function inCidr(ip: string, c: Cidr): boolean {
  const v = c.v6 ? parseIpv6(ip) : parseIpv4(ip);
  if (v === null) return false;
  const shift = BigInt((c.v6 ? 128 : 32) - c.bits);
  return v >> shift === c.net >> shift;
}

export function parseCidrList(list: string[]): Cidr[] {
  return list.filter((s) => s.trim() !== '').map(parseCidr);
}

const NOT_EGRESS = parseCidrList([
  '224.0.0.0/4', // IPv4 multicast
  '255.255.255.255/32', // limited broadcast
  '169.254.0.0/16', // IPv4 link-local
  '0.0.0.0/32',
  'ff00::/8', // IPv6 multicast
  'fe80::/10', // IPv6 link-local
  '::/128',
]);

export interface IpClass {
  internal: boolean;
  /** Multicast, broadcast, link-local or unspecified: repeats there are not findings. */
  special: boolean;
}

export function classifyIp(ip: string, internal: Cidr[]): IpClass {
  // As inCidr for each range, but the address is parsed once (a scan classifies ~10^5 of them).
  let v4: bigint | null | undefined;
  let v6: bigint | null | undefined;
  const within = (c: Cidr) => {
    const v = c.v6 ? (v6 === undefined ? (v6 = parseIpv6(ip)) : v6) : v4 === undefined ? (v4 = parseIpv4(ip)) : v4;
    if (v === null) return false;
    const shift = BigInt((c.v6 ? 128 : 32) - c.bits);
    return v >> shift === c.net >> shift;
  };
  const special = NOT_EGRESS.some(within);
  return { internal: internal.some(within), special };
}

export function directionOf(srcInternal: boolean, dstInternal: boolean): Direction {
  if (srcInternal) return dstInternal ? 'internal' : 'outbound';
  return dstInternal ? 'inbound' : 'external';
}
