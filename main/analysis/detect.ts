// Metronome's detector (the default scorer). SQL builds names, events and per-key series
// (conn-names.sql, events.sql, key-series.sql); the pure scorer (shared/scoring/detect.ts) scores
// each key; this module adds context (prevalence, known-service priors, client fingerprints),
// picks the most specific key for the same traffic, and groups fleets.
import { createHash } from 'node:crypto';
import { DEFAULT_INTERNAL, directionOf, parseCidrList, type Cidr } from '../../shared/net.js';
import { scoreKey, type KeyScore } from '../../shared/scoring/detect.js';
import { FUSION } from '../../shared/scoring/fusion.js';
import { microsToIso } from '../../shared/time.js';
import type { DstKind, EventType, Finding, Reason, ScanResult } from '../../shared/types.js';
import {
  JSDuckDBValueConverter,
  type DuckDBDoubleVector,
  type DuckDBListVector,
  type DuckDBStructVector,
} from '@duckdb/node-api';
import { num, type Database } from '../engine/db.js';
import { buildIpClass } from './ip-class.js';
import { normalizeName, registeredDomain } from './names.js';
import { dnsTunnels, longConnections } from './detectors/others.js';
import { loadPriors, priorsFor, userAgentEvidence, type PriorRule } from './priors.js';
import { compareFindings, summarize } from './scan.js';
import { sql } from './sql.js';

export type KeyLevel = 'fqdn' | 'domain' | 'ip';

export interface DetectOptions {
  internal?: Cidr[];
  /** IANA zone for the clock-schedule test (UTC is always tested). */
  timeZone?: string;
  priors?: PriorRule[];
  /** Minimum score for a finding to be listed (default 0: every scored key). */
  minScore?: number;
}

/** Fleet: at least this many sources with the same destination key and period. */
const FLEET_MIN_HOSTS = 3;
/** Periods within this relative distance of the fleet's median period count as the same. */
const FLEET_PERIOD_TOLERANCE = 0.25;
/** A more specific key wins over a broader one unless the broader scores this much higher. */
const SPECIFICITY_MARGIN = 0.05;

/** The per-key columns of key-series*.sql other than the event list (JS values). */
interface SeriesMeta {
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
type KeptScore = Omit<KeyScore, 'timing' | 'schedule' | 'size'> & { schedule: Pick<KeyScore['schedule'], 'best'> };

function keep(k: KeyScore): KeptScore {
  const { timing: _t, schedule, size: _s, ...rest } = k;
  return { ...rest, schedule: { best: schedule.best } };
}

/** One scored key before selection. */
interface Scored {
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
}

const SPECIFICITY: Record<KeyLevel, number> = { fqdn: 3, domain: 1, ip: 2 };

function hist(h: { key: string; value: bigint }[] | null | undefined): { key: string; count: number }[] {
  return (h ?? []).map((x) => ({ key: x.key, count: Number(x.value) })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
}


export function findingIdFor(category: string, key: string[]): string {
  return createHash('sha256').update([category, ...key].join('\u0000')).digest('hex').slice(0, 16);
}

async function buildNames(db: Database): Promise<void> {
  // Names come from TLS, HTTP and DNS; a case with none of them (connections only) names nothing,
  // and the query would still read every connection to find that out.
  const sources = await db.one<{ n: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM tls) OR EXISTS (SELECT 1 FROM http) OR EXISTS (SELECT 1 FROM dns) AS n',
  );
  if (sources?.n) await db.run(sql('conn-names'));
  else await db.run('CREATE OR REPLACE TEMP TABLE conn_names (conn_id VARCHAR, raw_name VARCHAR, source VARCHAR)');
  const raws = await db.all<{ raw_name: string }>(
    `SELECT DISTINCT raw_name FROM (
       SELECT raw_name FROM conn_names UNION ALL SELECT host FROM http UNION ALL SELECT query FROM dns)
     WHERE raw_name IS NOT NULL`,
  );
  await db.run('CREATE OR REPLACE TEMP TABLE name_map (raw_name VARCHAR PRIMARY KEY, name VARCHAR, domain VARCHAR)');
  const ap = await db.conn.createAppender('name_map', 'main', 'temp');
  for (const { raw_name } of raws) {
    const name = normalizeName(raw_name);
    if (!name) continue;
    ap.appendVarchar(raw_name);
    ap.appendVarchar(name);
    ap.appendVarchar(registeredDomain(name));
    ap.endRow();
  }
  ap.closeSync();
}

async function awakeHours(db: Database): Promise<Map<string, Set<number>>> {
  const rows = await db.all<{ src_ip: string; hours: bigint[] | { items: bigint[] } }>(
    'SELECT src_ip, list(DISTINCT (epoch(ts) // 3600)::BIGINT) AS hours FROM connections GROUP BY src_ip',
  );
  const out = new Map<string, Set<number>>();
  for (const r of rows) {
    const items = Array.isArray(r.hours) ? r.hours : r.hours.items;
    out.set(r.src_ip, new Set(items.map(Number)));
  }
  return out;
}

/** Prevalence per level does not depend on the event type: computed once per scan and level. */
async function prevalenceCached(db: Database, level: KeyLevel, cache: Map<KeyLevel, Promise<Map<string, number>>>): Promise<Map<string, number>> {
  let p = cache.get(level);
  if (p === undefined) {
    p = prevalenceByKey(db, level);
    cache.set(level, p);
  }
  return p;
}

async function prevalenceByKey(db: Database, level: KeyLevel): Promise<Map<string, number>> {
  const keyExpr =
    level === 'fqdn' ? 'name' : level === 'domain' ? 'domain' : "concat(dst_ip, '|', coalesce(dst_port::VARCHAR, ''), '|', coalesce(proto, ''))";
  // Address keys are grouped on the columns; the key string is built once per key, not per event.
  const rows = await db.all<{ k: string; n: bigint }>(
    level === 'ip'
      ? `SELECT ${keyExpr} AS k, n FROM (
           SELECT dst_ip, dst_port, proto, count(DISTINCT src_ip) AS n FROM events WHERE src_internal GROUP BY ALL)
         WHERE k IS NOT NULL`
      : `SELECT ${keyExpr} AS k, count(DISTINCT src_ip) AS n FROM events WHERE src_internal AND ${keyExpr} IS NOT NULL GROUP BY ALL`,
  );
  return new Map(rows.map((r) => [r.k, Number(r.n)]));
}

function parsePortKey(k: string): { port: number | null; proto: string | null } {
  const [p, pr] = k.split('/');
  return { port: p === '?' ? null : Number(p), proto: pr === '?' ? null : pr };
}

interface LevelContext {
  awake: Map<string, Set<number>>;
  internalSources: number;
  priors: PriorRule[];
  timeZone?: string;
  prevalence: Map<KeyLevel, Promise<Map<string, number>>>;
}

/** Scores every key of one level and event stream into `out` (a scan can have millions). */
async function scoreLevel(db: Database, level: KeyLevel, eventType: EventType, ctx: LevelContext, out: Scored[]): Promise<void> {
  const prevalence = await prevalenceCached(db, level, ctx.prevalence);
  // Streamed chunk by chunk (DuckDB holds the grouped result; JS only one chunk of it), the event
  // lists read straight from the vectors' Float64Arrays instead of as row objects.
  const result =
    level === 'ip'
      ? await db.conn.stream(sql('key-series-ip'), { event_type: eventType })
      : await db.conn.stream(sql('key-series'), { level, event_type: eventType });
  const names = result.columnNames();
  const evCol = names.indexOf('ev');
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const rows = chunk.rowCount;
    const meta: Record<string, unknown[]> = {};
    names.forEach((name, i) => {
      if (i !== evCol) meta[name] = chunk.convertColumnValues(i, JSDuckDBValueConverter);
    });
    const evs = chunk.getColumnVector(evCol) as DuckDBListVector;
    const entries = evs.childVector as DuckDBStructVector;
    const tAll = doubles(entries.entryVectorAt(0) as DuckDBDoubleVector);
    const oAll = doubles(entries.entryVectorAt(1) as DuckDBDoubleVector);
    const iAll = doubles(entries.entryVectorAt(2) as DuckDBDoubleVector);
    for (let row = 0; row < rows; row++) {
      const r = {} as SeriesMeta;
      for (const name in meta) (r as unknown as Record<string, unknown>)[name] = meta[name][row];
      const off = evs.getEntryOffset(row);
      const len = evs.getEntryLength(row);
      // The list arrives in no order; sorted once here (ties in list order, as a stable sort of
      // the scorer would), every later sort in the scorer meets sorted input and is linear.
      const order = new Array<number>(len);
      let sorted = true;
      for (let j = 0; j < len; j++) {
        order[j] = off + j;
        if (j > 0 && tAll[off + j] < tAll[off + j - 1]) sorted = false;
      }
      if (!sorted) order.sort((a, b) => tAll[a] - tAll[b] || a - b);
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
      const s = scoreSeries(r, times, bytesOut, bytesIn, level, eventType, prevalence, ctx);
      if (s) out.push(s);
    }
  }
}

/**
 * The values of a DOUBLE vector without NULLs as a Float64Array. The node-api keeps its backing
 * array private (the dependency is pinned); when it is not there, values are read one by one.
 */
function doubles(v: DuckDBDoubleVector): ArrayLike<number> {
  const items = (v as unknown as { items?: unknown }).items;
  if (items instanceof Float64Array) return items;
  return Float64Array.from({ length: v.itemCount }, (_, i) => v.getItem(i) ?? NaN);
}

function scoreSeries(
  r: SeriesMeta,
  times: number[],
  bytesOut: (number | null)[],
  bytesIn: (number | null)[],
  level: KeyLevel,
  eventType: EventType,
  prevalence: Map<string, number>,
  ctx: LevelContext,
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
  };
}

/** Do two keys of one source describe the same traffic? */
function overlaps(a: Scored, b: Scored): boolean {
  if (a.src !== b.src) return false;
  const nameA = a.level === 'ip' ? (a.namedShare >= 0.5 ? a.name : null) : a.name;
  const nameB = b.level === 'ip' ? (b.namedShare >= 0.5 ? b.name : null) : b.name;
  if (a.level === 'ip' && b.level === 'ip') return a.dstKey === b.dstKey && a.eventType !== b.eventType;
  if (!nameA || !nameB) return false;
  if (a.level === 'domain' || b.level === 'domain') {
    const da = a.level === 'domain' ? nameA : registeredDomain(nameA);
    const db = b.level === 'domain' ? nameB : registeredDomain(nameB);
    return da === db;
  }
  return nameA === nameB;
}

/** Keeps, per source, the best key for each piece of traffic, preferring the more specific. */
export function selectKeys(all: Scored[]): Scored[] {
  const bySrc = new Map<string, Scored[]>();
  for (const s of all) {
    const list = bySrc.get(s.src) ?? [];
    list.push(s);
    bySrc.set(s.src, list);
  }
  const kept: Scored[] = [];
  for (const list of bySrc.values()) {
    list.sort((a, b) => {
      const d = b.score.score - a.score.score;
      if (Math.abs(d) > SPECIFICITY_MARGIN) return d;
      return SPECIFICITY[b.level] - SPECIFICITY[a.level] || d;
    });
    const accepted: Scored[] = [];
    for (const s of list) if (!accepted.some((a) => overlaps(a, s))) accepted.push(s);
    for (const a of accepted) kept.push(a);
  }
  return kept;
}

function dstOf(s: Scored): { dst: string; dstKind: DstKind } {
  if (s.level === 'ip') return { dst: s.dstIp ?? s.dstKey, dstKind: 'ip' };
  return { dst: s.dstKey, dstKind: s.level === 'fqdn' ? 'fqdn' : 'domain' };
}

function toFinding(s: Scored): Finding {
  const { dst, dstKind } = dstOf(s);
  const k = s.score;
  const keyParts = [s.level, s.eventType, s.src, s.dstKey];
  const reasons = [...k.reasons];
  if (k.exfil) reasons.unshift({ feature: 'exfiltration', contribution: 0, text: 'possible scheduled exfiltration: large outbound volume on a rhythm' });
  return {
    id: findingIdFor(k.category, keyParts),
    category: k.category,
    src: s.src,
    dst,
    dstKind,
    ...(dstKind !== 'ip' ? { dstIps: s.dstIps.slice(0, 5) } : {}),
    ...(s.port !== null ? { port: s.port } : {}),
    ...(s.proto !== null ? { proto: s.proto } : {}),
    dstPorts: s.ports.slice(0, 3),
    prevalence: s.prevalence,
    direction: s.direction,
    eventType: s.eventType,
    connections: k.connections,
    checkins: k.checkins,
    period: k.period,
    score: k.score,
    firstSeen: microsToIso(BigInt(Math.round(k.firstSeen * 1e6))),
    lastSeen: microsToIso(BigInt(Math.round(k.lastSeen * 1e6))),
    bytesOut: k.bytesOut,
    bytesIn: k.bytesIn,
    reasons,
    scorer: 'metronome',
    exfil: k.exfil,
    keyLevel: s.level,
    clock: k.schedule.best?.schedule
      ? { cycle: k.schedule.best.cycle, at: k.schedule.best.label, zone: k.schedule.best.zone, sd: k.schedule.best.sd }
      : null,
  };
}

/** Many sources with the same destination key and period: one fleet-schedule finding. */
export function groupFleets(keys: Scored[]): { fleets: Finding[]; rest: Scored[] } {
  const groups = new Map<string, Scored[]>();
  for (const s of keys) {
    if (s.score.period === null) continue;
    const g = `${s.level}\u0000${s.eventType}\u0000${s.dstKey}`;
    const list = groups.get(g) ?? [];
    list.push(s);
    groups.set(g, list);
  }
  const inFleet = new Set<Scored>();
  const fleets: Finding[] = [];
  for (const members of groups.values()) {
    if (new Set(members.map((m) => m.src)).size < FLEET_MIN_HOSTS) continue;
    const periods = members.map((m) => m.score.period as number).sort((a, b) => a - b);
    const median = periods[Math.floor(periods.length / 2)];
    // In source order, so the representative below does not depend on the order keys were scored.
    const same = members
      .filter((m) => Math.abs((m.score.period as number) - median) <= FLEET_PERIOD_TOLERANCE * median)
      .sort((a, b) => (a.src < b.src ? -1 : a.src > b.src ? 1 : 0));
    if (new Set(same.map((m) => m.src)).size < FLEET_MIN_HOSTS) continue;
    same.forEach((m) => inFleet.add(m));
    const scores = same.map((m) => m.score.score).sort((a, b) => a - b);
    const medianScore = scores[Math.floor(scores.length / 2)];
    // The fleet ranks by its members' evidence: the member with the median score speaks for it.
    const rep = same.find((m) => m.score.score === medianScore) ?? same[0];
    const base = toFinding(rep);
    const hosts = [...new Set(same.map((m) => m.src))].sort();
    // Many hosts keeping one rhythm is how installed software behaves: evidence against a
    // threat, weighed as the fusion weighs it (design item 8), on top of the median host's score.
    const penalty = Math.max(FUSION.fleetMax, FUSION.fleetPerDoubling * Math.log2(hosts.length));
    const fleetReason: Reason = {
      feature: 'fleet',
      contribution: penalty,
      text: `fleet: ${hosts.length} hosts keep the same ${Math.round(median)} s rhythm to this destination, as installed software does (scored by the median host)`,
    };
    const logit = Math.log(medianScore / (1 - medianScore)) + penalty;
    const fleetScore = Math.round(1000 / (1 + Math.exp(-logit))) / 1000;
    fleets.push({
      ...base,
      id: findingIdFor('fleet-schedule', [rep.level, rep.eventType, rep.dstKey]),
      category: 'fleet-schedule',
      src: '*',
      hosts,
      connections: same.reduce((a, m) => a + m.score.connections, 0),
      checkins: same.reduce((a, m) => a + m.score.checkins, 0),
      period: median,
      score: Number.isFinite(fleetScore) ? fleetScore : medianScore,
      firstSeen: microsToIso(BigInt(Math.round(Math.min(...same.map((m) => m.score.firstSeen)) * 1e6))),
      lastSeen: microsToIso(BigInt(Math.round(Math.max(...same.map((m) => m.score.lastSeen)) * 1e6))),
      bytesOut: sumNullable(same.map((m) => m.score.bytesOut)),
      bytesIn: sumNullable(same.map((m) => m.score.bytesIn)),
      reasons: [fleetReason, ...base.reasons].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)),
    });
  }
  return { fleets, rest: keys.filter((k) => !inFleet.has(k)) };
}

function sumNullable(xs: (number | null)[]): number | null {
  const known = xs.filter((x): x is number => x !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
}

export async function scanDetect(db: Database, opts: DetectOptions = {}): Promise<ScanResult> {
  const internal = opts.internal ?? parseCidrList(DEFAULT_INTERNAL);
  await buildIpClass(db, internal);
  const { startUs: _s, endUs: _e, ...summary } = await summarize(db);
  await buildNames(db);
  await db.run(sql('events'));
  // HTTP-only or DNS-only cases have no connections: the summary's span comes from the events.
  if (summary.start === null) {
    const span = await db.one<{ a: bigint | null; b: bigint | null }>('SELECT epoch_us(min(ts)) AS a, epoch_us(max(ts)) AS b FROM events');
    if (span?.a === null || span?.a === undefined) return { findings: [], summary };
    summary.start = microsToIso(span.a);
    summary.end = microsToIso(span.b as bigint);
  }
  const internalSources =
    num((await db.one<{ n: bigint }>('SELECT count(DISTINCT src_ip) AS n FROM events WHERE src_internal'))?.n) ?? 0;
  const ctx: LevelContext = {
    awake: await awakeHours(db),
    internalSources,
    priors: opts.priors ?? loadPriors(),
    timeZone: opts.timeZone,
    prevalence: new Map(),
  };
  // Levels and event streams with nothing to key on are skipped (a conn-only case has no names,
  // no HTTP and no DNS events): each would otherwise scan the whole events table for nothing.
  const present = await db.all<{ event_type: EventType; n: bigint; named: bigint }>(
    'SELECT event_type, count(*) AS n, count(name) AS named FROM events GROUP BY event_type',
  );
  const has = (eventType: EventType, level: KeyLevel) =>
    present.some((p) => p.event_type === eventType && Number(level === 'ip' ? p.n : p.named) > 0);
  const scored: Scored[] = [];
  const plan: [KeyLevel, EventType][] = [
    ['fqdn', 'connection'],
    ['domain', 'connection'],
    ['ip', 'connection'],
    ['fqdn', 'http'],
    // Requests to a bare IP (Host "172.18.0.2:8888"): C2 beaconing inside one kept-alive connection.
    ['ip', 'http'],
    ['fqdn', 'dns'],
  ];
  for (const [level, eventType] of plan) if (has(eventType, level)) await scoreLevel(db, level, eventType, ctx, scored);
  const selected = selectKeys(scored);
  const { fleets, rest } = groupFleets(selected);
  const others = [
    ...(await longConnections(db, ctx.priors, findingIdFor)),
    ...(await dnsTunnels(db, ctx.priors, findingIdFor)),
  ];
  const findings = [...fleets, ...rest.map(toFinding), ...others].filter((f) => f.score >= (opts.minScore ?? 0));
  findings.sort(compareFindings);
  return { findings, summary };
}
