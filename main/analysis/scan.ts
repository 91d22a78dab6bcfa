// Scan v1: RITA v5's published beacon score per (source, destination IP) pair. SQL gathers each
// pair's start times and sizes (rita-pairs.sql); the pure scorer in shared/scoring/rita.ts does
// the math and writes the sentences. The detection issue replaces the default scorer and keeps
// this one as the baseline it is measured against.
import { createHash } from 'node:crypto';
import { parseCidrList, DEFAULT_INTERNAL, directionOf, type Cidr } from '../../shared/net.js';
import { ritaBeaconScore, ritaReasons } from '../../shared/scoring/rita.js';
import { microsToIso } from '../../shared/time.js';
import type { Finding, ScanResult, ScanSummary } from '../../shared/types.js';
import { num, type Database } from '../engine/db.js';
import { buildIpClass } from './ip-class.js';
import { sql } from './sql.js';

/** RITA calls a pair with this many connections (one a second for a day) a strobe. */
const STROBE_CONNECTIONS = 86_400;

export interface ScanOptions {
  internal?: Cidr[];
}

interface PairRow {
  src_ip: string;
  dst_ip: string;
  src_internal: boolean;
  dst_internal: boolean;
  n: bigint;
  ts: number[];
  sizes: (bigint | number)[];
  bytes_out: bigint | null;
  bytes_in: bigint | null;
  n_bytes_out: bigint;
  n_bytes_in: bigint;
  first_us: bigint;
  last_us: bigint;
  ports: { key: string; value: bigint }[];
}

export function findingId(category: string, key: string[]): string {
  return createHash('sha256').update([category, ...key].join('\u0000')).digest('hex').slice(0, 16);
}

export async function summarize(db: Database): Promise<ScanSummary & { startUs: bigint | null; endUs: bigint | null }> {
  const r = await db.one<{ n: bigint; a: bigint | null; b: bigint | null; pairs: bigint }>(
    `SELECT count(*) AS n, epoch_us(min(ts)) AS a, epoch_us(max(ts)) AS b,
            count(DISTINCT (src_ip, dst_ip)) AS pairs FROM connections`,
  );
  const a = r?.a ?? null;
  const b = r?.b ?? null;
  return {
    connections: num(r?.n) ?? 0,
    pairs: num(r?.pairs) ?? 0,
    start: a === null ? null : microsToIso(a),
    end: b === null ? null : microsToIso(b),
    startUs: a,
    endUs: b,
  };
}

/** Orders findings as the contract says: score, then check-ins, then id. */
export function compareFindings(a: Finding, b: Finding): number {
  return b.score - a.score || b.checkins - a.checkins || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export async function scanRita(db: Database, opts: ScanOptions = {}): Promise<ScanResult> {
  const internal = opts.internal ?? parseCidrList(DEFAULT_INTERNAL);
  await buildIpClass(db, internal);
  const summary = await summarize(db);
  const { startUs, endUs, ...publicSummary } = summary;
  if (startUs === null || endUs === null) return { findings: [], summary: publicSummary };
  const windowStart = Number(startUs) / 1e6;
  const windowEnd = Number(endUs) / 1e6;

  const prevalence = new Map<string, number>();
  for (const p of await db.all<{ dst_ip: string; sources: bigint; internal_sources: bigint }>(sql('prevalence'))) {
    const total = num(p.internal_sources) ?? 0;
    if (total > 0) prevalence.set(p.dst_ip, (num(p.sources) ?? 0) / total);
  }

  const reader = await db.conn.runAndReadAll(sql('rita-pairs'));
  const rows = reader.getRowObjectsJS() as unknown as PairRow[];
  const findings: Finding[] = [];
  for (const r of rows) {
    const n = Number(r.n);
    const score = ritaBeaconScore({
      timestamps: r.ts,
      bytes: r.sizes.map(Number),
      windowStart,
      windowEnd,
      prevalence: r.src_internal ? prevalence.get(r.dst_ip) : undefined,
    });
    const category = n >= STROBE_CONNECTIONS ? 'strobe' : 'beacon';
    if (!score && category !== 'strobe') continue;
    const ports = [...r.ports]
      .map((p) => ({ key: p.key, count: Number(p.value) }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
    const [portText, proto] = (ports[0]?.key ?? '?/?').split('/');
    const onlyPort = ports.length === 1 && portText !== '?';
    const reasons = score ? ritaReasons(score) : [];
    if (category === 'strobe') {
      reasons.unshift({ feature: 'strobe', contribution: 0, text: `${n} connections: more than one a second for a day (a strobe)` });
    }
    findings.push({
      id: findingId('rita-beacon', [r.src_ip, r.dst_ip]),
      category,
      src: r.src_ip,
      dst: r.dst_ip,
      dstKind: 'ip',
      ...(onlyPort ? { port: Number(portText), proto } : {}),
      dstPorts: ports.slice(0, 3).map((p) => {
        const [port, pr] = p.key.split('/');
        return { port: port === '?' ? null : Number(port), proto: pr === '?' ? null : pr, count: p.count };
      }),
      direction: directionOf(r.src_internal, r.dst_internal),
      eventType: 'connection',
      connections: n,
      checkins: score ? score.distinctTimestamps : n,
      period: score ? score.medianInterval : null,
      score: score ? score.final : 0,
      firstSeen: microsToIso(r.first_us),
      lastSeen: microsToIso(r.last_us),
      bytesOut: num(r.n_bytes_out) ? num(r.bytes_out) : null,
      bytesIn: num(r.n_bytes_in) ? num(r.bytes_in) : null,
      reasons,
      scorer: 'rita-v5',
      subscores: score
        ? { timestamp: score.timestamp, dataSize: score.dataSize, histogram: score.histogram, duration: score.duration, beacon: score.beacon }
        : undefined,
      prevalence: r.src_internal ? prevalence.get(r.dst_ip) ?? null : null,
    });
  }
  findings.sort(compareFindings);
  return { findings, summary: publicSummary };
}
