// Test data for the browser tests and the pair-detail measurement: a Zeek conn.log with one
// planted beacon of N connections (period P ± jitter, one source to one destination) among
// background traffic, written as Zeek TSV. Deterministic (seeded).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface BeaconLogOptions {
  /** Connections of the planted beacon. */
  beacon: number;
  period: number;
  /** Symmetric jitter share (0.2 = ±20 %). */
  jitter: number;
  /** Background connections spread over the same span. */
  noise: number;
  start: number;
  src?: string;
  dst?: string;
  port?: number;
}

export const BEACON_SRC = '10.1.2.3';
export const BEACON_DST = '203.0.113.50';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#open\t2025-05-06-00-00-00',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
];

/** Writes the log and returns the planted beacon's key and count. */
export function writeBeaconLog(path: string, o: BeaconLogOptions): { src: string; dst: string; port: number; connections: number } {
  const r = rng(7);
  const src = o.src ?? BEACON_SRC;
  const dst = o.dst ?? BEACON_DST;
  const port = o.port ?? 8443;
  const rows: [number, string][] = [];
  let t = o.start;
  let uid = 0;
  const line = (ts: number, s: string, sp: number, d: string, dp: number, ob: number, rb: number, state = 'SF') =>
    [
      ts.toFixed(6), `C${(uid++).toString(36).padStart(8, '0')}`, s, sp, d, dp, 'tcp', 'ssl', (0.2 + r() * 0.3).toFixed(6),
      ob, rb, state, 'T', 'F', 0, 'ShADadfF', 8, ob + 420, 7, rb + 380, '-',
    ].join('\t');
  for (let i = 0; i < o.beacon; i++) {
    const out = Math.round(480 + r() * 40);
    const inb = Math.round(1100 + r() * 300);
    rows.push([t, line(t, src, 40000 + (i % 20000), dst, port, out, inb)]);
    t += o.period * (1 + o.jitter * (2 * r() - 1));
  }
  const end = t;
  for (let i = 0; i < o.noise; i++) {
    const ts = o.start + r() * (end - o.start);
    const host = `10.1.${1 + Math.floor(r() * 4)}.${10 + Math.floor(r() * 40)}`;
    const far = `198.51.100.${1 + Math.floor(r() * 200)}`;
    rows.push([ts, line(ts, host, 50000 + Math.floor(r() * 10000), far, r() < 0.7 ? 443 : 80, Math.round(200 + r() * 5000), Math.round(1000 + r() * 100000))]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${HEADER.join('\n')}\n${rows.map((x) => x[1]).join('\n')}\n#close\t2025-06-30-00-00-00\n`);
  return { src, dst, port, connections: o.beacon };
}
