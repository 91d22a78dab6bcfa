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

interface SeriesRow {
  src_ip: string;
  dst_key: string;
  src_internal: boolean;
  dst_internal: boolean;
  n: bigint;
  ts: number[];
  b_out: (bigint | number | null)[];
  b_in: (bigint | number | null)[];
  dst_ips: { key: string; value: bigint }[];
  ports: { key: string; value: bigint }[];
  top_name: string | null;
  named: bigint;
  user_agents: { key: string; value: bigint }[];
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
  score: KeyScore;
}

const SPECIFICITY: Record<KeyLevel, number> = { fqdn: 3, domain: 1, ip: 2 };

function hist(h: { key: string; value: bigint }[] | null): { key: string; count: number }[] {
  return (h ?? []).map((x) => ({ key: x.key, count: Number(x.value) })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
}

function bytes(list: (bigint | number | null)[]): (number | null)[] {
  return list.map((v) => (v === null || v === undefined ? null : Number(v)));
}

export function findingIdFor(category: string, key: string[]): string {
  return createHash('sha256').update([category, ...key].join('\u0000')).digest('hex').slice(0, 16);
}

async function buildNames(db: Database): Promise<void> {
  await db.run(sql('conn-names'));
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

async function prevalenceByKey(db: Database, level: KeyLevel): Promise<Map<string, number>> {
  const keyExpr =
    level === 'fqdn' ? 'name' : level === 'domain' ? 'domain' : "concat(dst_ip, '|', coalesce(dst_port::VARCHAR, ''), '|', coalesce(proto, ''))";
  const rows = await db.all<{ k: string; n: bigint }>(
    `SELECT ${keyExpr} AS k, count(DISTINCT src_ip) AS n FROM events WHERE src_internal AND ${keyExpr} IS NOT NULL GROUP BY ALL`,
  );
  return new Map(rows.map((r) => [r.k, Number(r.n)]));
}

function parsePortKey(k: string): { port: number | null; proto: string | null } {
  const [p, pr] = k.split('/');
  return { port: p === '?' ? null : Number(p), proto: pr === '?' ? null : pr };
}

async function scoreLevel(
  db: Database,
  level: KeyLevel,
  eventType: EventType,
  ctx: { awake: Map<string, Set<number>>; internalSources: number; priors: PriorRule[]; timeZone?: string },
): Promise<Scored[]> {
  const prevalence = await prevalenceByKey(db, level);
  const reader = await db.conn.runAndReadAll(sql('key-series'), { level, event_type: eventType });
  const rows = reader.getRowObjectsJS() as unknown as SeriesRow[];
  const out: Scored[] = [];
  for (const r of rows) {
    const direction = directionOf(r.src_internal, r.dst_internal);
    if (direction === 'inbound') continue;
    const ports = hist(r.ports).map((p) => ({ ...parsePortKey(p.key), count: p.count }));
    const dstIps = hist(r.dst_ips).map((d) => ({ ip: d.key, count: d.count }));
    let name: string | null = null;
    let dstIp: string | null = null;
    let port: number | null = null;
    let proto: string | null = null;
    if (level === 'ip') {
      const [ip, p, pr] = r.dst_key.split('|');
      dstIp = ip;
      port = p === '' ? null : Number(p);
      proto = pr === '' ? null : pr;
      name = r.top_name;
    } else {
      name = r.dst_key;
      if (ports.length === 1) ({ port, proto } = ports[0]);
    }
    const n = Number(r.n);
    const priors = priorsFor({ name, port: port ?? (ports.length === 1 ? ports[0].port : null), proto: proto ?? ports[0]?.proto ?? null }, ctx.priors);
    const ua = userAgentEvidence(new Map(hist(r.user_agents).map((u) => [u.key, u.count])));
    if (ua) priors.push(ua);
    const sources = prevalence.get(r.dst_key) ?? (r.src_internal ? 1 : 0);
    const prev = ctx.internalSources > 0 && r.src_internal ? sources / ctx.internalSources : null;
    const score = scoreKey({
      times: r.ts,
      bytesOut: bytes(r.b_out),
      bytesIn: bytes(r.b_in),
      awakeHours: ctx.awake.get(r.src_ip),
      timeZone: ctx.timeZone,
      context: {
        direction: direction as 'outbound' | 'internal' | 'external',
        prevalence: prev,
        internalSources: ctx.internalSources,
        priors,
      },
    });
    if (!score) continue;
    out.push({
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
      score,
    });
  }
  return out;
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
    kept.push(...accepted);
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
    const same = members.filter((m) => Math.abs((m.score.period as number) - median) <= FLEET_PERIOD_TOLERANCE * median);
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
  const ctx = { awake: await awakeHours(db), internalSources, priors: opts.priors ?? loadPriors(), timeZone: opts.timeZone };
  const scored: Scored[] = [];
  for (const level of ['fqdn', 'domain', 'ip'] as KeyLevel[]) scored.push(...(await scoreLevel(db, level, 'connection', ctx)));
  scored.push(...(await scoreLevel(db, 'fqdn', 'http', ctx)));
  // Requests to a bare IP (Host "172.18.0.2:8888"): C2 beaconing inside one kept-alive connection.
  scored.push(...(await scoreLevel(db, 'ip', 'http', ctx)));
  scored.push(...(await scoreLevel(db, 'fqdn', 'dns', ctx)));
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
