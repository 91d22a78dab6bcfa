// A scenario: a JSON-serializable description of a network and the traffic sources planted in
// it (beacons, scheduled transfers, benign fleets, SaaS pollers, human browsing, noise). The
// generator turns it, with a seed, into the same bytes every time. Named scenarios live in
// scenarios/*.json at the repository root.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distError, type Dist } from './rng.js';
import { ActiveWindow, checkTimeZone, isoToUs, parseClock, parseUtcOffset, WEEKDAYS, type ActiveHours, type Weekday } from './time.js';
import { hostCapacity, parseCidr4 } from './net.js';

export type { ActiveHours, Dist, Weekday };

/** Internal hosts a source runs on: all, a list of host indexes, or an inclusive range. */
export type HostSel = 'all' | number[] | { from: number; to: number };

/** A source host: a host index (0-based) or a literal IPv4 address. */
export type HostRef = number | string;

/**
 * A destination: an address, or a name resolved through the scenario's DNS resolver before
 * connecting. A name has one or more addresses (`ips`, or `ipCount` made up from the name);
 * with several, each lookup rotates them (a CDN). `ttl` is the answer's TTL in seconds: the
 * client looks the name up again once it expires.
 */
export interface Destination {
  ip?: string;
  fqdn?: string;
  ips?: string[];
  ipCount?: number;
  ttl?: number;
  /** A CNAME the name points to (e.g. a CDN edge name) before the addresses. */
  cname?: string;
}

export type JitterMode = 'one-sided' | 'symmetric';
export type EventType = 'connection' | 'http' | 'dns';

export interface HttpSpec {
  method?: string;
  uris?: string[];
  userAgent?: string;
  /** Host header; defaults to the destination name or address. */
  host?: string;
  /** For eventType "http": requests per keep-alive connection before it is reopened. */
  requestsPerConnection?: number;
  /** For eventType "http": the connection closes after this many idle seconds. */
  idleTimeout?: number;
  requestBody?: Dist;
  responseBody?: Dist;
  status?: number;
  mime?: string;
}

export interface TlsSpec {
  /** SNI; defaults to the destination name; null sends none. */
  sni?: string | null;
  version?: 'TLSv12' | 'TLSv13';
  ja3?: string;
}

export interface DnsBeaconSpec {
  /** Queries go to random labels under this domain (or to the domain itself with label 0). */
  domain: string;
  qtype?: 'TXT' | 'A';
  /** Hex characters in the random first label (0: query the domain itself). */
  labelLength?: number;
}

interface SourceBase {
  id: string;
  description?: string;
  /** Whether the truth marks it malicious (defaults per type: beacon true, others false). */
  malicious?: boolean;
}

export interface BeaconSource extends SourceBase {
  type: 'beacon';
  src: HostRef;
  /** Required unless eventType is "dns" (whose queries go to the resolver). */
  dst?: Destination;
  port?: number;
  proto?: 'tcp' | 'udp';
  /** Seconds between check-ins (the sleep). */
  period: number;
  /** Jitter as a fraction of the period (0.3 = 30 %). */
  jitter?: number;
  jitterMode?: JitterMode;
  /** Probability that a check-in is skipped. */
  missProbability?: number;
  /** Several connections per check-in: `size` [min, max] connections, `spread` [min, max] s apart. */
  burst?: { size: [number, number]; spread: [number, number] };
  /** Payload bytes per connection (or per request for eventType "http"). */
  bytesOut?: Dist;
  bytesIn?: Dist;
  /** Seconds per connection (eventType "connection"). */
  duration?: Dist;
  activeHours?: ActiveHours;
  eventType?: EventType;
  http?: HttpSpec;
  tls?: TlsSpec | false;
  dns?: DnsBeaconSpec;
  /** Fraction of connections that get no answer (S0): a C2 server that is sometimes down. */
  failureRate?: number;
  /** Hours after the scenario start when the beacon starts / stops. */
  startHour?: number;
  endHour?: number;
}

export interface ScheduleSource extends SourceBase {
  type: 'schedule';
  src: HostRef;
  dst: Destination;
  port: number;
  proto?: 'tcp' | 'udp';
  every: 'daily' | 'weekly';
  /** Local time of day, HH:MM. */
  at: string;
  weekday?: Weekday;
  /** Start times fall uniformly within ± this many minutes of `at`. */
  windowMinutes?: number;
  timeZone?: string;
  /** Occurrences (0-based, in order) that do not happen. */
  missingDays?: number[];
  missProbability?: number;
  /** Bytes per run (split over `connections`). */
  bytesOut: Dist;
  bytesIn?: Dist;
  /** Transfer rate in megabits per second (sets each connection's duration). */
  rateMbps?: Dist;
  connections?: number;
  tls?: TlsSpec | false;
}

export interface FleetSource extends SourceBase {
  type: 'fleet' | 'saas-poller';
  hosts: HostSel;
  dst: Destination;
  port: number;
  proto?: 'tcp' | 'udp';
  period: number;
  jitter?: number;
  jitterMode?: JitterMode;
  missProbability?: number;
  bytesOut?: Dist;
  bytesIn?: Dist;
  duration?: Dist;
  activeHours?: ActiveHours;
  http?: HttpSpec;
  tls?: TlsSpec | false;
  /** Each host's period differs from `period` by up to this fraction (clock drift, versions). */
  periodSpread?: number;
}

export interface BrowsingSource extends SourceBase {
  type: 'browsing';
  hosts: HostSel;
  activeHours?: ActiveHours;
  sessionsPerDay?: Dist;
  /** Minutes per browsing session. */
  sessionMinutes?: Dist;
  /** Seconds between clicks within a session. */
  clickGap?: Dist;
  /** Size of the site universe (shared by all browsing sources; the largest wins). */
  sites?: number;
  /** Share of sites served over plain HTTP. */
  httpShare?: number;
  /** Share of lookups that also ask AAAA in the same flow. */
  aaaaShare?: number;
}

export interface NoiseSource extends SourceBase {
  type: 'noise';
  hosts: HostSel;
  /** Events per host per hour. */
  perHour?: Dist;
  activeHours?: ActiveHours;
  /** Share of events that fail (S0 / REJ to random public addresses and ports). */
  failedShare?: number;
  /** Share of events that are multicast chatter (mDNS, SSDP). */
  multicastShare?: number;
}

export type Source = BeaconSource | ScheduleSource | FleetSource | BrowsingSource | NoiseSource;

export interface Scenario {
  name: string;
  description?: string;
  seed?: number;
  /** ISO 8601 start. */
  start: string;
  /** Length in days (fractions allowed). */
  days: number;
  /** Default time zone for active hours and schedules (IANA name). */
  timeZone?: string;
  network: {
    internal: string;
    hosts: number;
    /** The DNS resolver every host asks (defaults to the range's .2). */
    resolver?: string;
  };
  /** Hosts that are only powered on at some hours (sleeping laptops): no traffic otherwise. */
  hostHours?: { hosts: HostSel; awake: ActiveHours }[];
  output?: {
    /** Suricata writes local time with an offset, e.g. "-0500" (default "+0000"). */
    eveUtcOffset?: string;
    /** Add Zeek's community_id column (Corelight, Security Onion) to conn logs. */
    zeekCommunityId?: boolean;
    /** Suricata `host` / sensor name. */
    sensor?: string;
  };
  sources: Source[];
}

/** Expands a host selection to indexes. */
export function selectHosts(sel: HostSel, count: number): number[] {
  if (sel === 'all') return Array.from({ length: count }, (_, i) => i);
  if (Array.isArray(sel)) return [...sel];
  const out: number[] = [];
  for (let i = sel.from; i <= sel.to; i++) out.push(i);
  return out;
}

function fail(where: string, msg: string): never {
  throw new Error(`scenario ${where}: ${msg}`);
}

function checkDist(where: string, d: unknown): void {
  if (d === undefined) return;
  const e = distError(d);
  if (e) fail(where, e);
}

function checkNumber(where: string, v: unknown, min: number, max = Infinity, optional = true): void {
  if (v === undefined && optional) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(where, `must be a number from ${min} to ${max}`);
}

function checkHours(where: string, h: unknown, tz: string): void {
  if (h === undefined) return;
  if (typeof h !== 'object' || h === null) fail(where, 'must be { from: "HH:MM", to: "HH:MM", days?, timeZone? }');
  const a = h as ActiveHours;
  try {
    parseClock(a.from);
    parseClock(a.to);
    new ActiveWindow(a, tz);
  } catch (e) {
    fail(where, (e as Error).message);
  }
}

function checkHostSel(where: string, sel: unknown, hosts: number): void {
  if (sel === 'all') return;
  if (Array.isArray(sel)) {
    for (const i of sel) if (!Number.isInteger(i) || i < 0 || i >= hosts) fail(where, `host ${i} is not in 0..${hosts - 1}`);
    return;
  }
  const r = sel as { from?: unknown; to?: unknown };
  if (typeof r !== 'object' || r === null || !Number.isInteger(r.from) || !Number.isInteger(r.to)) {
    fail(where, 'must be "all", a list of host indexes or { from, to }');
  }
  if ((r.from as number) < 0 || (r.to as number) >= hosts || (r.from as number) > (r.to as number)) {
    fail(where, `range ${r.from}..${r.to} is not within 0..${hosts - 1}`);
  }
}

function checkHostRef(where: string, ref: unknown, hosts: number): void {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 0 || ref >= hosts) fail(where, `host ${ref} is not in 0..${hosts - 1}`);
  } else if (typeof ref !== 'string' || !/^\d+\.\d+\.\d+\.\d+$/.test(ref)) {
    fail(where, 'must be a host index or an IPv4 address');
  }
}

function checkDst(where: string, d: unknown): void {
  if (typeof d !== 'object' || d === null) fail(where, 'must be { ip } or { fqdn, ips?, ipCount?, ttl? }');
  const o = d as Destination;
  if (!o.ip && !o.fqdn) fail(where, 'needs ip or fqdn');
  if (o.ip && o.fqdn) fail(where, 'give ip or fqdn (with ips), not both');
  if (o.ips && (!Array.isArray(o.ips) || o.ips.length === 0)) fail(where, 'ips must be a non-empty list');
  checkNumber(`${where}.ipCount`, o.ipCount, 1, 64);
  checkNumber(`${where}.ttl`, o.ttl, 0, 604800);
}

/** Validates a parsed scenario; throws an Error naming the first problem. */
export function validateScenario(s: Scenario): Scenario {
  if (typeof s !== 'object' || s === null) fail('', 'must be a JSON object');
  if (typeof s.name !== 'string' || !s.name) fail('name', 'is required');
  try {
    isoToUs(s.start);
  } catch (e) {
    fail('start', (e as Error).message);
  }
  checkNumber('days', s.days, 0.001, 366, false);
  const tz = s.timeZone ?? 'UTC';
  try {
    checkTimeZone(tz);
  } catch (e) {
    fail('timeZone', (e as Error).message);
  }
  if (!s.network || typeof s.network !== 'object') fail('network', 'is required: { internal, hosts }');
  let cap = 0;
  try {
    cap = hostCapacity(parseCidr4(s.network.internal));
  } catch (e) {
    fail('network.internal', (e as Error).message);
  }
  checkNumber('network.hosts', s.network.hosts, 1, cap, false);
  if (!Number.isInteger(s.network.hosts)) fail('network.hosts', 'must be a whole number');
  const hosts = s.network.hosts;
  if (s.output?.eveUtcOffset !== undefined) {
    try {
      parseUtcOffset(s.output.eveUtcOffset);
    } catch (e) {
      fail('output.eveUtcOffset', (e as Error).message);
    }
  }
  for (const [i, h] of (s.hostHours ?? []).entries()) {
    checkHostSel(`hostHours[${i}].hosts`, h.hosts, hosts);
    checkHours(`hostHours[${i}].awake`, h.awake, tz);
  }
  if (!Array.isArray(s.sources)) fail('sources', 'must be a list');
  const ids = new Set<string>();
  for (const [i, src] of s.sources.entries()) {
    const w = `sources[${i}]${src && typeof src.id === 'string' ? ` (${src.id})` : ''}`;
    if (!src || typeof src.id !== 'string' || !src.id) fail(w, 'needs an id');
    if (ids.has(src.id)) fail(w, `duplicate id ${src.id}`);
    ids.add(src.id);
    switch (src.type) {
      case 'beacon': {
        checkHostRef(`${w}.src`, src.src, hosts);
        checkNumber(`${w}.period`, src.period, 0.01, 30 * 86400, false);
        checkNumber(`${w}.jitter`, src.jitter, 0, 0.99);
        checkNumber(`${w}.missProbability`, src.missProbability, 0, 0.95);
        checkNumber(`${w}.failureRate`, src.failureRate, 0, 1);
        if (src.jitterMode && src.jitterMode !== 'one-sided' && src.jitterMode !== 'symmetric') fail(`${w}.jitterMode`, 'is one-sided or symmetric');
        const et = src.eventType ?? 'connection';
        if (!['connection', 'http', 'dns'].includes(et)) fail(`${w}.eventType`, 'is connection, http or dns');
        if (et === 'dns') {
          if (!src.dns?.domain) fail(`${w}.dns.domain`, 'is required for eventType dns');
        } else {
          checkDst(`${w}.dst`, src.dst);
          checkNumber(`${w}.port`, src.port, 0, 65535, false);
        }
        if (et === 'http' && (src.proto ?? 'tcp') !== 'tcp') fail(`${w}.proto`, 'must be tcp for eventType http');
        if (src.burst) {
          const b = src.burst;
          if (!Array.isArray(b.size) || b.size.length !== 2 || b.size[0] < 1 || b.size[1] < b.size[0]) fail(`${w}.burst.size`, 'is [min, max] with 1 ≤ min ≤ max');
          if (!Array.isArray(b.spread) || b.spread.length !== 2 || b.spread[0] < 0 || b.spread[1] < b.spread[0]) fail(`${w}.burst.spread`, 'is [min, max] seconds');
        }
        checkDist(`${w}.bytesOut`, src.bytesOut);
        checkDist(`${w}.bytesIn`, src.bytesIn);
        checkDist(`${w}.duration`, src.duration);
        checkHours(`${w}.activeHours`, src.activeHours, tz);
        break;
      }
      case 'schedule': {
        checkHostRef(`${w}.src`, src.src, hosts);
        checkDst(`${w}.dst`, src.dst);
        checkNumber(`${w}.port`, src.port, 0, 65535, false);
        if (src.every !== 'daily' && src.every !== 'weekly') fail(`${w}.every`, 'is daily or weekly');
        try {
          parseClock(src.at);
        } catch (e) {
          fail(`${w}.at`, (e as Error).message);
        }
        if (src.every === 'weekly' && !WEEKDAYS.includes(src.weekday as Weekday)) fail(`${w}.weekday`, 'is required for weekly (sun … sat)');
        if (src.timeZone) {
          try {
            checkTimeZone(src.timeZone);
          } catch (e) {
            fail(`${w}.timeZone`, (e as Error).message);
          }
        }
        checkNumber(`${w}.windowMinutes`, src.windowMinutes, 0, 360);
        checkNumber(`${w}.connections`, src.connections, 1, 64);
        checkDist(`${w}.bytesOut`, src.bytesOut);
        if (src.bytesOut === undefined) fail(`${w}.bytesOut`, 'is required');
        checkDist(`${w}.bytesIn`, src.bytesIn);
        checkDist(`${w}.rateMbps`, src.rateMbps);
        break;
      }
      case 'fleet':
      case 'saas-poller': {
        checkHostSel(`${w}.hosts`, src.hosts, hosts);
        checkDst(`${w}.dst`, src.dst);
        checkNumber(`${w}.port`, src.port, 0, 65535, false);
        checkNumber(`${w}.period`, src.period, 0.01, 30 * 86400, false);
        checkNumber(`${w}.jitter`, src.jitter, 0, 0.99);
        checkNumber(`${w}.periodSpread`, src.periodSpread, 0, 0.5);
        checkDist(`${w}.bytesOut`, src.bytesOut);
        checkDist(`${w}.bytesIn`, src.bytesIn);
        checkHours(`${w}.activeHours`, src.activeHours, tz);
        break;
      }
      case 'browsing': {
        checkHostSel(`${w}.hosts`, src.hosts, hosts);
        checkHours(`${w}.activeHours`, src.activeHours, tz);
        checkDist(`${w}.sessionsPerDay`, src.sessionsPerDay);
        checkDist(`${w}.sessionMinutes`, src.sessionMinutes);
        checkDist(`${w}.clickGap`, src.clickGap);
        checkNumber(`${w}.sites`, src.sites, 20, 100000);
        checkNumber(`${w}.httpShare`, src.httpShare, 0, 1);
        checkNumber(`${w}.aaaaShare`, src.aaaaShare, 0, 1);
        break;
      }
      case 'noise': {
        checkHostSel(`${w}.hosts`, src.hosts, hosts);
        checkDist(`${w}.perHour`, src.perHour);
        checkHours(`${w}.activeHours`, src.activeHours, tz);
        checkNumber(`${w}.failedShare`, src.failedShare, 0, 1);
        checkNumber(`${w}.multicastShare`, src.multicastShare, 0, 1);
        break;
      }
      default:
        fail(w, `unknown type "${(src as { type?: unknown }).type}" (beacon, schedule, fleet, saas-poller, browsing, noise)`);
    }
  }
  return s;
}

/** The repository's scenarios/ folder (found from this module, in main/ or dist/main/). */
export function scenariosDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const cand = join(dir, 'scenarios');
    if (existsSync(cand) && existsSync(join(dir, 'package.json'))) return cand;
    dir = dirname(dir);
  }
  return resolve('scenarios');
}

export function listScenarios(): string[] {
  const dir = scenariosDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .map((n) => n.slice(0, -5))
    .sort();
}

/** A named scenario (scenarios/NAME.json) or a scenario file path. */
export function loadScenario(nameOrPath: string): Scenario {
  let path: string;
  if (nameOrPath.endsWith('.json') || nameOrPath.includes('/') || nameOrPath.includes('\\')) {
    path = resolve(nameOrPath);
    if (!existsSync(path)) throw new Error(`no scenario file ${nameOrPath}`);
  } else {
    path = join(scenariosDir(), `${nameOrPath}.json`);
    if (!existsSync(path)) {
      throw new Error(`no scenario named "${nameOrPath}" (known: ${listScenarios().join(', ') || 'none'})`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  return validateScenario(parsed as Scenario);
}
