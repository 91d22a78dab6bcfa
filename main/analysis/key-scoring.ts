// Scoring of per-key event series, shared by the scan (in-process) and its scoring workers
// (score-worker.ts): a batch of keys as DuckDB streamed them (metadata objects plus flat
// time / bytes arrays) in, one Scored per key out. Pure given its context, so the same batch
// scores the same wherever it runs.
import { createHash } from 'node:crypto';
import { directionOf } from '../../shared/net.js';
import { scoreKey, type KeyScore } from '../../shared/scoring/detect.js';
import type { EventType, Finding } from '../../shared/types.js';
import { priorsFor, userAgentEvidence, type PriorRule } from './priors.js';

export type KeyLevel = 'fqdn' | 'domain' | 'ip';

/** What scoring a key needs beside its events; plain data, so it can be sent to a worker. */
export interface ScoreContext {
  /** Per source, the hour indices floor(t / 3600) in which it sent anything. */
  awake: Map<string, Set<number>>;
  internalSources: number;
  priors: PriorRule[];
  timeZone?: string;
}

/**
 * One chunk of key-series rows: per-key metadata, and each key's events as a slice
 * [offsets[k], offsets[k] + lengths[k]) of the flat arrays t (epoch seconds), o and i (bytes
 * out / in, NaN = unknown), in no particular order.
 */
export interface SeriesBatch {
  level: KeyLevel;
  eventType: EventType;
  metas: SeriesMeta[];
  offsets: Int32Array;
  lengths: Int32Array;
  t: Float64Array;
  o: Float64Array;
  i: Float64Array;
}

/** The per-key columns of key-series*.sql other than the event list (JS values). */
export interface SeriesMeta {
  src_ip: string;
  dst_key: string;
  src_internal: boolean;
  dst_internal: boolean;
  n: bigint;
  dst_ips?: { key: string; value: bigint }[] | null;
  ports?: { key: string; value: bigint }[] | null;
  dst_ip?: string;
  dst_port?: number | null;
  proto?: string | null;
  top_name: string | null;
  named: bigint;
  user_agents: { key: string; value: bigint }[] | null;
}

/**
 * What selection, fleets and findings read of a key's score. The full KeyScore also carries the
 * period fit, every schedule fit and the size statistics; at millions of keys those are most of
 * the heap, so only the best schedule fit is kept.
 */
export type KeptScore = Omit<KeyScore, 'timing' | 'schedule' | 'size'> & { schedule: Pick<KeyScore['schedule'], 'best'> };

export function keep(k: KeyScore): KeptScore {
  const { timing: _t, schedule, size: _s, ...rest } = k;
  return { ...rest, schedule: { best: schedule.best } };
}

/** One scored key before selection. */
export interface Scored {
  level: KeyLevel;
  eventType: EventType;
  src: string;
  dstKey: string;
  /** Name of the key (fqdn/domain), or the dominant name behind an IP key. */
  name: string | null;
  namedShare: number;
  dstIp: string | null;
  port: number | null;
  proto: string | null;
  direction: Finding['direction'];
  dstIps: { ip: string; count: number }[];
  ports: { port: number | null; proto: string | null; count: number }[];
  prevalence: number | null;
  score: KeptScore;
  /** The finding id this key gets when listed (a hash: computed where the key is scored). */
  id: string;
}

/** Stable finding id: a hash of the category and the key. */
export function findingIdFor(category: string, key: string[]): string {
  return createHash('sha256').update([category, ...key].join('\u0000')).digest('hex').slice(0, 16);
}

export function hist(h: { key: string; value: bigint }[] | null | undefined): { key: string; count: number }[] {
  return (h ?? []).map((x) => ({ key: x.key, count: Number(x.value) })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
}


function parsePortKey(k: string): { port: number | null; proto: string | null } {
  const [p, pr] = k.split('/');
  return { port: p === '?' ? null : Number(p), proto: pr === '?' ? null : pr };
}

/** Orders sizes with unknown (NaN) last. */
function cmpNaN(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}

/** Scores every key of a batch (keys that score nothing are left out). */
export function scoreBatch(batch: SeriesBatch, prevalence: Map<string, number>, ctx: ScoreContext): Scored[] {
  const { t: tAll, o: oAll, i: iAll } = batch;
  const out: Scored[] = [];
  for (let row = 0; row < batch.metas.length; row++) {
    const off = batch.offsets[row];
    const len = batch.lengths[row];
    // The list arrives in no order; sorted once here, every later sort in the scorer meets
    // sorted input and is linear.
    const order = new Array<number>(len);
    let sorted = true;
    for (let j = 0; j < len; j++) {
      order[j] = off + j;
      if (j > 0 && tAll[off + j] <= tAll[off + j - 1]) sorted = false;
    }
    // Ties in time are broken by the sizes, not by list position (DuckDB's list order varies).
    if (!sorted) order.sort((a, b) => tAll[a] - tAll[b] || cmpNaN(oAll[a], oAll[b]) || cmpNaN(iAll[a], iAll[b]));
    const times = new Array<number>(len);
    const bytesOut = new Array<number | null>(len);
    const bytesIn = new Array<number | null>(len);
    for (let j = 0; j < len; j++) {
      const x = order[j];
      times[j] = tAll[x];
      const o = oAll[x];
      const b = iAll[x];
      bytesOut[j] = Number.isNaN(o) ? null : o;
      bytesIn[j] = Number.isNaN(b) ? null : b;
    }
    const s = scoreSeries(batch.metas[row], times, bytesOut, bytesIn, batch.level, batch.eventType, prevalence, ctx);
    if (s) out.push(s);
  }
  return out;
}

export function scoreSeries(
  r: SeriesMeta,
  times: number[],
  bytesOut: (number | null)[],
  bytesIn: (number | null)[],
  level: KeyLevel,
  eventType: EventType,
  prevalence: Map<string, number>,
  ctx: ScoreContext,
): Scored | null {
  const direction = directionOf(r.src_internal, r.dst_internal);
  if (direction === 'inbound') return null;
  const n = Number(r.n);
  let name: string | null = null;
  let dstIp: string | null = null;
  let port: number | null = null;
  let proto: string | null = null;
  let ports: { port: number | null; proto: string | null; count: number }[];
  let dstIps: { ip: string; count: number }[];
  if (level === 'ip') {
    // An address key is one destination IP, port and proto: its histograms are the key itself.
    dstIp = r.dst_ip as string;
    port = r.dst_port ?? null;
    proto = r.proto ?? null;
    name = r.top_name;
    ports = [{ port, proto, count: n }];
    dstIps = [{ ip: dstIp, count: n }];
  } else {
    ports = hist(r.ports ?? null).map((p) => ({ ...parsePortKey(p.key), count: p.count }));
    dstIps = hist(r.dst_ips ?? null).map((d) => ({ ip: d.key, count: d.count }));
    name = r.dst_key;
    if (ports.length === 1) ({ port, proto } = ports[0]);
  }
  const priors = priorsFor({ name, port: port ?? (ports.length === 1 ? ports[0].port : null), proto: proto ?? ports[0]?.proto ?? null }, ctx.priors);
  const ua = userAgentEvidence(new Map(hist(r.user_agents).map((u) => [u.key, u.count])));
  if (ua) priors.push(ua);
  const sources = prevalence.get(r.dst_key) ?? (r.src_internal ? 1 : 0);
  const prev = ctx.internalSources > 0 && r.src_internal ? sources / ctx.internalSources : null;
  const score = scoreKey({
    times,
    bytesOut,
    bytesIn,
    awakeHours: ctx.awake.get(r.src_ip),
    timeZone: ctx.timeZone,
    context: {
      direction: direction as 'outbound' | 'internal' | 'external',
      prevalence: prev,
      internalSources: ctx.internalSources,
      priors,
    },
  });
  if (!score) return null;
  return {
    level,
    eventType,
    src: r.src_ip,
    dstKey: r.dst_key,
    name,
    namedShare: n ? Number(r.named) / n : 0,
    dstIp,
    port,
    proto,
    direction,
    dstIps,
    ports,
    prevalence: prev,
    score: keep(score),
    id: findingIdFor(score.category, [level, eventType, r.src_ip, r.dst_key]),
  };
}

