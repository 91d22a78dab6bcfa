// Metronome's detector (the default scorer). SQL builds names, events and per-key series
// (conn-names.sql, events.sql, key-series.sql); the pure scorer (shared/scoring/detect.ts) scores
// each key; this module adds context (prevalence, known-service priors, client fingerprints),
// picks the most specific key for the same traffic, and groups fleets.
import { DEFAULT_INTERNAL, parseCidrList, type Cidr } from '../../shared/net.js';
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
import { loadPriors, type PriorRule } from './priors.js';
import { compareFindings, summarize } from './scan.js';
import { sql } from './sql.js';
import { findingIdFor, type KeyLevel, type Scored, type SeriesMeta } from './key-scoring.js';
import { openScorer, type Scorer } from './score-pool.js';

export type { KeyLevel } from './key-scoring.js';

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

const SPECIFICITY: Record<KeyLevel, number> = { fqdn: 3, domain: 1, ip: 2 };

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
  // Address keys of connections come from conn_keys (one row per source and key, not per event).
  const rows = await db.all<{ k: string; n: bigint }>(
    level === 'ip'
      ? `SELECT ${keyExpr} AS k, n FROM (
           SELECT dst_ip, dst_port, proto, count(DISTINCT src_ip) AS n FROM (
             SELECT src_ip, dst_ip, dst_port, proto FROM conn_keys WHERE src_internal
             UNION ALL
             SELECT src_ip, dst_ip, dst_port, proto FROM events WHERE src_internal AND event_type <> 'connection')
           GROUP BY ALL)
         WHERE k IS NOT NULL`
      : `SELECT ${keyExpr} AS k, count(DISTINCT src_ip) AS n FROM events WHERE src_internal AND ${keyExpr} IS NOT NULL GROUP BY ALL`,
  );
  return new Map(rows.map((r) => [r.k, Number(r.n)]));
}

interface LevelContext {
  internalSources: number;
  priors: PriorRule[];
  prevalence: Map<KeyLevel, Promise<Map<string, number>>>;
  scorer: Scorer;
}

/**
 * Events per key-series query at most (METRONOME_PARTITION_EVENTS overrides). The per-key event
 * list is a holistic aggregate: DuckDB cannot spill it, so a large case is read in partitions
 * of sources (every key of a source in the same one), each small enough for the memory limit.
 */
export const PARTITION_EVENTS = 3_000_000;

function partitionEvents(): number {
  const v = Number(process.env.METRONOME_PARTITION_EVENTS);
  return Number.isInteger(v) && v > 0 ? v : PARTITION_EVENTS;
}

/** Scores every key of one level and event stream (a scan can have millions of keys). */
async function scoreLevel(db: Database, level: KeyLevel, eventType: EventType, events: number, ctx: LevelContext): Promise<void> {
  ctx.scorer.setPrevalence(level, await prevalenceCached(db, level, ctx.prevalence));
  const parts = Math.max(1, Math.ceil(events / partitionEvents()));
  for (let part = 0; part < parts; part++) await scorePartition(db, level, eventType, part, parts, ctx);
}

async function scorePartition(db: Database, level: KeyLevel, eventType: EventType, part: number, parts: number, ctx: LevelContext): Promise<void> {
  // Streamed chunk by chunk (DuckDB holds the grouped result; JS only one chunk of it), the event
  // lists read straight from the vectors' Float64Arrays instead of as row objects; each chunk
  // is one batch for the scorer (worker threads on large cases).
  const result =
    level === 'ip'
      ? await db.conn.stream(sql('key-series-ip'), { event_type: eventType, part, parts })
      : await db.conn.stream(sql('key-series'), { level, event_type: eventType, part, parts });
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
    const metas = new Array<SeriesMeta>(rows);
    const offsets = new Int32Array(rows);
    const lengths = new Int32Array(rows);
    for (let row = 0; row < rows; row++) {
      const r = {} as SeriesMeta;
      for (const name in meta) (r as unknown as Record<string, unknown>)[name] = meta[name][row];
      metas[row] = r;
      offsets[row] = evs.getEntryOffset(row);
      lengths[row] = evs.getEntryLength(row);
    }
    // Copies: the chunk's memory belongs to DuckDB, and the copies can move to a worker.
    await ctx.scorer.submit({
      level,
      eventType,
      metas,
      offsets,
      lengths,
      t: doubles(entries.entryVectorAt(0) as DuckDBDoubleVector),
      o: doubles(entries.entryVectorAt(1) as DuckDBDoubleVector),
      i: doubles(entries.entryVectorAt(2) as DuckDBDoubleVector),
    });
  }
}

/**
 * The values of a DOUBLE vector without NULLs as a Float64Array. The node-api keeps its backing
 * array private (the dependency is pinned); when it is not there, values are read one by one.
 */
function doubles(v: DuckDBDoubleVector): Float64Array {
  const items = (v as unknown as { items?: unknown }).items;
  if (items instanceof Float64Array) return items.slice(0, v.itemCount);
  return Float64Array.from({ length: v.itemCount }, (_, i) => v.getItem(i) ?? NaN);
}

/** Source, level, event type, key: field by field (no strings built per comparison). */
function canonicalOrder(a: Scored, b: Scored): number {
  return cmp(a.src, b.src) || cmp(a.level, b.level) || cmp(a.eventType, b.eventType) || cmp(a.dstKey, b.dstKey);
}

function cmp(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
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
  const domains = new Map<string, string>();
  for (const list of bySrc.values()) {
    list.sort((a, b) => {
      const d = b.score.score - a.score.score;
      if (Math.abs(d) > SPECIFICITY_MARGIN) return d;
      return SPECIFICITY[b.level] - SPECIFICITY[a.level] || d;
    });
    // Two keys can only overlap when they are address keys of the same destination, or named
    // keys under the same registered domain: accepted keys are kept in those buckets and a
    // candidate is tested against its buckets only (a busy source has hundreds of keys).
    const byAddress = new Map<string, Scored[]>();
    const byDomain = new Map<string, Scored[]>();
    for (const s of list) {
      const domain = domainBucket(s, domains);
      const a = s.level === 'ip' ? byAddress.get(s.dstKey) : undefined;
      const d = domain !== null ? byDomain.get(domain) : undefined;
      if (a?.some((x) => overlaps(x, s)) || d?.some((x) => overlaps(x, s))) continue;
      kept.push(s);
      if (s.level === 'ip') byAddress.set(s.dstKey, [...(a ?? []), s]);
      if (domain !== null) byDomain.set(domain, [...(d ?? []), s]);
    }
  }
  return kept;
}

/** The registered domain of the name `overlaps` reads for a key (null when it reads none). */
function domainBucket(s: Scored, cache: Map<string, string>): string | null {
  const name = s.level === 'ip' ? (s.namedShare >= 0.5 ? s.name : null) : s.name;
  if (!name) return null;
  if (s.level === 'domain') return name;
  let d = cache.get(name);
  if (d === undefined) {
    d = registeredDomain(name);
    cache.set(name, d);
  }
  return d;
}

function dstOf(s: Scored): { dst: string; dstKind: DstKind } {
  if (s.level === 'ip') return { dst: s.dstIp ?? s.dstKey, dstKind: 'ip' };
  return { dst: s.dstKey, dstKind: s.level === 'fqdn' ? 'fqdn' : 'domain' };
}

function toFinding(s: Scored): Finding {
  const { dst, dstKind } = dstOf(s);
  const k = s.score;
  const reasons = [...k.reasons];
  if (k.exfil) reasons.unshift({ feature: 'exfiltration', contribution: 0, text: 'possible scheduled exfiltration: large outbound volume on a rhythm' });
  return {
    id: s.id,
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

/** METRONOME_PROFILE=1 prints how long each phase of a scan took (stderr), for benchmarks. */
function profiler(): (phase: string) => void {
  if (!process.env.METRONOME_PROFILE) return () => {};
  let t = performance.now();
  return (phase) => {
    const now = performance.now();
    const m = process.memoryUsage();
    process.stderr.write(`scan phase ${phase}: ${Math.round(now - t)} ms (rss ${Math.round(m.rss / 1e6)} MB, JS heap ${Math.round(m.heapUsed / 1e6)} MB)\n`);
    t = now;
  };
}

export async function scanDetect(db: Database, opts: DetectOptions = {}): Promise<ScanResult> {
  const lap = profiler();
  const internal = opts.internal ?? parseCidrList(DEFAULT_INTERNAL);
  await buildIpClass(db, internal);
  const { startUs: _s, endUs: _e, ...summary } = await summarize(db);
  await buildNames(db);
  lap('names');
  await db.run(sql('events'));
  await db.run(sql('conn-keys'));
  lap('events');
  // HTTP-only or DNS-only cases have no connections: the summary's span comes from the events.
  if (summary.start === null) {
    const span = await db.one<{ a: bigint | null; b: bigint | null }>('SELECT epoch_us(min(ts)) AS a, epoch_us(max(ts)) AS b FROM events');
    if (span?.a === null || span?.a === undefined) return { findings: [], summary };
    summary.start = microsToIso(span.a);
    summary.end = microsToIso(span.b as bigint);
  }
  const internalSources =
    num((await db.one<{ n: bigint }>('SELECT count(DISTINCT src_ip) AS n FROM events WHERE src_internal'))?.n) ?? 0;
  const priors = opts.priors ?? loadPriors();
  const events = await db.one<{ n: bigint }>('SELECT count(*) AS n FROM events');
  const scorer = await openScorer(num(events?.n) ?? 0, { awake: await awakeHours(db), internalSources, priors, timeZone: opts.timeZone });
  const ctx: LevelContext = { internalSources, priors, prevalence: new Map(), scorer };
  // Levels and event streams with nothing to key on are skipped (a conn-only case has no names,
  // no HTTP and no DNS events): each would otherwise scan the whole events table for nothing.
  const present = await db.all<{ event_type: EventType; n: bigint; named: bigint }>(
    'SELECT event_type, count(*) AS n, count(name) AS named FROM events GROUP BY event_type',
  );
  const has = (eventType: EventType, level: KeyLevel) =>
    present.some((p) => p.event_type === eventType && Number(level === 'ip' ? p.n : p.named) > 0);
  const plan: [KeyLevel, EventType][] = [
    ['fqdn', 'connection'],
    ['domain', 'connection'],
    ['ip', 'connection'],
    ['fqdn', 'http'],
    // Requests to a bare IP (Host "172.18.0.2:8888"): C2 beaconing inside one kept-alive connection.
    ['ip', 'http'],
    ['fqdn', 'dns'],
  ];
  lap('context');
  let scored: Scored[];
  let others: Finding[];
  try {
    for (const [level, eventType] of plan) {
      if (!has(eventType, level)) continue;
      const events = Number(present.find((p) => p.event_type === eventType)?.n ?? 0);
      await scoreLevel(db, level, eventType, events, ctx);
      lap(`read ${level}/${eventType}`);
    }
    // The other detectors are SQL: they run while the workers score what is still queued.
    others = [...(await longConnections(db, ctx.priors, findingIdFor)), ...(await dnsTunnels(db, ctx.priors, findingIdFor))];
    lap('other detectors');
    scored = await scorer.finish();
    lap('score (rest)');
  } finally {
    await scorer.close();
  }
  // DuckDB's parallel aggregation returns keys in no fixed order, and selection breaks near-ties
  // by the order it meets keys in: a canonical order makes a scan repeatable (the same case,
  // scanned twice or on workers, gives the same findings).
  scored.sort(canonicalOrder);
  lap('order');
  const selected = selectKeys(scored);
  lap('select');
  const { fleets, rest } = groupFleets(selected);
  lap('fleets');
  const findings = [...fleets, ...rest.map(toFinding), ...others].filter((f) => f.score >= (opts.minScore ?? 0));
  findings.sort(compareFindings);
  lap('findings');
  return { findings, summary };
}
