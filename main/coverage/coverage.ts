// Telemetry coverage and blind spots: what the loaded logs cover (per log type and sensor: span,
// silences, rows per hour), whether the log types overlap in time, how many connections could be
// named, summary-only data, hosts the sensor cannot judge, clock consistency, capture health, and
// which rhythms the capture is long enough to show. Aggregation stays in DuckDB (coverage/*.sql);
// this module turns the numbers into the report and its plain-language notes.
import { basename } from 'node:path';
import { parseCidrList, DEFAULT_INTERNAL, type Cidr } from '../../shared/net.js';
import { microsToIso } from '../../shared/time.js';
import type { CoverageGap, CoverageLogType, CoverageOverlap, CoverageReport } from '../../shared/types.js';
import { buildIpClass } from '../analysis/ip-class.js';
import { sql } from '../analysis/sql.js';
import { num, type Database } from '../engine/db.js';
import { ZEEK_MAPPERS } from '../ingest/zeek-records.js';
import { detectable, detectableSentence, joinWords, plainDuration } from './detectable.js';
import { createExtraTable, EXTRA_TABLE, readFileSpan } from './file-spans.js';
import { summarizeHealth, type HealthRecord } from './health.js';
import { coverageSql } from './sql.js';

export interface CoverageOptions {
  internal?: Cidr[];
}

/** Log types that carry traffic, in the order they are listed. */
const TRAFFIC = ['conn', 'dns', 'http', 'ssl', 'alert'];
/** Sensor bookkeeping rather than traffic: left out of the overlap pairs. */
const HEALTH_TYPES = new Set(['capture_loss', 'stats', 'packet_filter', 'loaded_scripts', 'reporter']);
/** At most this many gaps are listed per log type and sensor (all are counted). */
const MAX_GAPS = 50;
/** At most this many addresses are listed per host category (all are counted). */
const MAX_HOSTS = 50;
/** Before this time (1980-01-01) the capture's clock counts from zero. */
const RELATIVE_CLOCK_US = 315_532_800n * 1_000_000n;
/** A sensor-clock offset above this many seconds is worth a note. */
const SENSOR_OFFSET_S = 1;
/** Log types the import loads into a table (files with rows = 0 of these only repeated rows). */
const LOADED_TYPES = new Set([...Object.keys(ZEEK_MAPPERS), 'eve', 'mixed']);

function typeOrder(a: string, b: string): number {
  const ia = TRAFFIC.indexOf(a);
  const ib = TRAFFIC.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

function us(v: unknown): bigint {
  return typeof v === 'bigint' ? v : BigInt(Math.round(Number(v)));
}

function seconds(a: bigint, b: bigint): number {
  return Number(b - a) / 1e6;
}

/** "2023-01-04 14:37:36" */
function when(t: bigint): string {
  return microsToIso(t).slice(0, 19).replace('T', ' ');
}

/** "2021-01-14 17:26:43 → 21:07:22 UTC" (the date repeated only when it changes). */
export function spanText(a: bigint, b: bigint): string {
  const x = when(a);
  const y = when(b);
  return `${x} → ${x.slice(0, 10) === y.slice(0, 10) ? y.slice(11) : y} UTC`;
}

function listTypes(types: string[], max = 6): string {
  const sorted = [...types].sort(typeOrder);
  if (sorted.length <= max) return joinWords(sorted);
  return `${sorted.slice(0, max).join(', ')} and ${sorted.length - max} more`;
}

function pctText(part: number, whole: number): string {
  if (!whole) return '0 %';
  const p = (100 * part) / whole;
  return `${p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1)} %`;
}

/** Sensor keys → names: the logs' own name, else the folder's name (its full path if two folders share a name). */
function sensorNamer(keys: string[]): (key: string) => string {
  const folders = keys.filter((k) => k.startsWith('folder:')).map((k) => k.slice('folder:'.length));
  const byBase = new Map<string, Set<string>>();
  for (const f of new Set(folders)) {
    const b = basename(f) || f;
    byBase.set(b, (byBase.get(b) ?? new Set()).add(f));
  }
  return (key) => {
    if (!key.startsWith('folder:')) return key;
    const f = key.slice('folder:'.length);
    const b = basename(f) || f;
    return (byBase.get(b)?.size ?? 0) > 1 ? f : b;
  };
}

interface Span {
  type: string;
  a: bigint;
  b: bigint;
}

/** Groups log types whose spans meet (union-find on overlap). */
function timeGroups(spans: Span[]): Span[][] {
  const parent = spans.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const s = spans[i];
      const t = spans[j];
      if ((s.a > t.a ? s.a : t.a) <= (s.b < t.b ? s.b : t.b)) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, Span[]>();
  spans.forEach((s, i) => {
    const g = groups.get(find(i)) ?? [];
    g.push(s);
    groups.set(find(i), g);
  });
  return [...groups.values()].sort((x, y) => {
    // The group holding the connections first, then by time.
    const cx = x.some((s) => s.type === 'conn') ? 0 : 1;
    const cy = y.some((s) => s.type === 'conn') ? 0 : 1;
    return cx - cy || Number(minOf(x) - minOf(y));
  });
}

function minOf(g: Span[]): bigint {
  return g.reduce((m, s) => (s.a < m ? s.a : m), g[0].a);
}

function maxOf(g: Span[]): bigint {
  return g.reduce((m, s) => (s.b > m ? s.b : m), g[0].b);
}

export async function computeCoverage(db: Database, opts: CoverageOptions = {}): Promise<CoverageReport> {
  const internal = opts.internal ?? parseCidrList(DEFAULT_INTERNAL);
  const notes: string[] = [];

  // Files: paths for the report; unused logs are read back for their spans; empty loads noted.
  const files = await db.all<{ file_id: number; path: string; format: string | null; log_type: string | null; rows: bigint }>(
    'SELECT file_id, path, format, log_type, rows FROM files ORDER BY file_id',
  );
  const pathOf = new Map(files.map((f) => [Number(f.file_id), f.path]));
  await createExtraTable(db);
  const reread: string[] = [];
  const duplicates: string[] = [];
  for (const f of files) {
    if (num(f.rows) !== 0 || !f.log_type) continue;
    if (LOADED_TYPES.has(f.log_type)) {
      duplicates.push(f.path);
      continue;
    }
    if (f.format !== 'zeek-tsv' && f.format !== 'zeek-json') continue;
    const r = await readFileSpan(db, { fileId: Number(f.file_id), path: f.path, format: f.format, logType: f.log_type });
    if (r.error) notes.push(`Could not read back ${r.error}; its span is unknown.`);
    else if (r.rows > 0) reread.push(f.log_type);
  }

  await buildIpClass(db, internal);
  await db.run(sql('conn-names'));
  await db.run(coverageSql('rows'));
  await db.run(coverageSql('conns'));

  // Per log type and sensor.
  const spanRows = await db.all<Record<string, unknown>>(coverageSql('spans'));
  const gapRows = await db.all<Record<string, unknown>>(coverageSql('gaps'));
  const healthRows = await db.all<Record<string, unknown>>(coverageSql('health'));
  const sensorClock = await db.all<Record<string, unknown>>(coverageSql('sensor-clock'));
  const name = sensorNamer([
    ...spanRows.map((r) => String(r.sensor)),
    ...healthRows.map((r) => String(r.sensor)),
    ...sensorClock.flatMap((r) => [String(r.sa), String(r.sb)]),
  ]);
  const gaps = new Map<string, CoverageGap[]>();
  for (const g of gapRows) {
    const key = `${g.type}\u0000${g.sensor}`;
    const a = us(g.a);
    const b = us(g.b);
    const list = gaps.get(key) ?? [];
    list.push({ start: microsToIso(a), end: microsToIso(b), seconds: seconds(a, b) });
    gaps.set(key, list);
  }
  const logTypes: CoverageLogType[] = spanRows.map((r) => {
    const a = us(r.a);
    const b = us(r.b);
    const secs = seconds(a, b);
    const rows = num(r.n) ?? 0;
    const all = gaps.get(`${r.type}\u0000${r.sensor}`) ?? [];
    const fileIds = (r.files as { items?: unknown[] } | unknown[]) ?? [];
    const ids = (Array.isArray(fileIds) ? fileIds : fileIds.items ?? []).map((x) => Number(x));
    return {
      type: String(r.type),
      sensor: name(String(r.sensor)),
      start: microsToIso(a),
      end: microsToIso(b),
      rows,
      // Below a minute a rate per hour says nothing.
      rowsPerHour: secs >= 60 ? Math.round((rows / (secs / 3600)) * 10) / 10 : null,
      gaps: all.slice(0, MAX_GAPS),
      sensorFrom: String(r.sensor).startsWith('folder:') ? 'folder' : 'log',
      loaded: Boolean(r.loaded),
      seconds: secs,
      gapsTotal: all.length,
      activeHours: num(r.hours) ?? 0,
      files: ids.map((id) => pathOf.get(id) ?? `file ${id}`),
    };
  });
  logTypes.sort((x, y) => typeOrder(x.type, y.type) || (x.sensor < y.sensor ? -1 : x.sensor > y.sensor ? 1 : 0));

  // Per log type over all sensors: spans, overlap, periods.
  const byType = new Map<string, Span>();
  for (const r of spanRows) {
    const t = String(r.type);
    const a = us(r.a);
    const b = us(r.b);
    const s = byType.get(t);
    byType.set(t, s ? { type: t, a: a < s.a ? a : s.a, b: b > s.b ? b : s.b } : { type: t, a, b });
  }
  const types = [...byType.keys()].sort(typeOrder);
  const overlap: CoverageOverlap[] = [];
  const pairTypes = types.filter((t) => !HEALTH_TYPES.has(t));
  for (let i = 0; i < pairTypes.length; i++) {
    for (let j = i + 1; j < pairTypes.length; j++) {
      const s = byType.get(pairTypes[i]) as Span;
      const t = byType.get(pairTypes[j]) as Span;
      const lo = s.a > t.a ? s.a : t.a;
      const hi = s.b < t.b ? s.b : t.b;
      overlap.push({
        a: s.type,
        b: t.type,
        overlapSeconds: hi > lo ? seconds(lo, hi) : 0,
        overlaps: lo <= hi,
        apartSeconds: lo > hi ? seconds(hi, lo) : 0,
      });
    }
  }
  const groups = timeGroups(pairTypes.map((t) => byType.get(t) as Span));
  const periods = groups.map((g) => ({ types: g.map((s) => s.type).sort(typeOrder), start: microsToIso(minOf(g)), end: microsToIso(maxOf(g)) }));

  // Capture length: the connections' span (or the first traffic type present).
  const basisType = TRAFFIC.find((t) => byType.has(t)) ?? types[0];
  const basis = basisType ? byType.get(basisType) : undefined;
  const captureSeconds = basis ? seconds(basis.a, basis.b) : 0;
  const relativeClock = basis !== undefined && basis.a < RELATIVE_CLOCK_US && basis.a >= -RELATIVE_CLOCK_US;
  const capture = {
    start: basis ? microsToIso(basis.a) : null,
    end: basis ? microsToIso(basis.b) : null,
    seconds: captureSeconds,
    basis: basisType ?? 'none',
    relativeClock,
  };
  const det = detectable(captureSeconds);
  if (basis) {
    notes.push(`Capture: the ${basisType} logs run ${spanText(basis.a, basis.b)} (${plainDuration(captureSeconds)}).`);
    notes.push(detectableSentence(captureSeconds, det));
  } else {
    notes.push('Nothing with a time was loaded: there is no capture to judge.');
  }
  if (relativeClock) {
    notes.push(
      'Timestamps start on 1970-01-01: the capture counts time from zero (relative timestamps), so time of day, day of week and clock schedules ("every day at 02:00") mean nothing here; intervals and the capture length are still right.',
    );
  }

  // Separate captures: log types whose times never meet.
  if (groups.length > 1) {
    const main = groups[0];
    for (const g of groups.slice(1)) {
      const hasDns = g.some((s) => s.type === 'dns');
      notes.push(
        `The ${listTypes(g.map((s) => s.type))} logs (${spanText(minOf(g), maxOf(g))}) do not overlap the ${listTypes(main.map((s) => s.type))} logs (${spanText(minOf(main), maxOf(main))}) in time: they come from different captures${
          hasDns && main.some((s) => s.type === 'conn') ? ', so their DNS answers cannot name these connections' : ''
        }.`,
      );
    }
  }
  const conn = byType.get('conn');
  if (conn && conn.b > conn.a) {
    for (const t of ['dns', 'http', 'ssl']) {
      const s = byType.get(t);
      if (!s) continue;
      const lo = s.a > conn.a ? s.a : conn.a;
      const hi = s.b < conn.b ? s.b : conn.b;
      if (hi <= lo) continue;
      const share = seconds(lo, hi) / seconds(conn.a, conn.b);
      if (share < 0.9) {
        notes.push(`The ${t} log covers only ${Math.round(share * 100)} % of the conn log's span (${spanText(s.a, s.b)}): outside it, connections lack their ${t} records.`);
      }
    }
  }

  // Naming.
  const nm = (await db.one<Record<string, unknown>>(coverageSql('naming'))) ?? {};
  const naming = {
    connections: num(nm.n) ?? 0,
    named: num(nm.named) ?? 0,
    bareIp: (num(nm.n) ?? 0) - (num(nm.named) ?? 0),
    bySource: { sni: num(nm.sni) ?? 0, http: num(nm.http) ?? 0, dns: num(nm.dns) ?? 0 },
    outbound: { connections: num(nm.outbound) ?? 0, named: num(nm.outbound_named) ?? 0 },
  };
  if (naming.connections > 0) {
    const dns = byType.get('dns');
    const dnsMeets = dns && conn && (dns.a > conn.a ? dns.a : conn.a) <= (dns.b < conn.b ? dns.b : conn.b);
    const why = !dns
      ? ' No dns log was loaded, so only TLS SNI and HTTP Host can name a destination.'
      : !dnsMeets
        ? ' The dns log is from another period, so no DNS answer could name them.'
        : '';
    notes.push(
      `${naming.named} of ${naming.connections} connections (${pctText(naming.named, naming.connections)}) could be given a name (${naming.bySource.sni} by TLS SNI, ${naming.bySource.http} by HTTP Host, ${naming.bySource.dns} by a DNS answer); ${naming.bareIp} remain bare IP addresses${
        naming.outbound.connections ? ` (${naming.outbound.connections - naming.outbound.named} of the ${naming.outbound.connections} outbound ones)` : ''
      }.${why}`,
    );
  }

  // Summary-only data.
  const compRows = await db.all<Record<string, unknown>>(coverageSql('completeness'));
  const completeness = {
    connections: compRows.reduce((a, r) => a + (num(r.n) ?? 0), 0),
    noBytes: compRows.reduce((a, r) => a + (num(r.no_bytes) ?? 0), 0),
    noHistory: compRows.reduce((a, r) => a + (num(r.no_history) ?? 0), 0),
    noDuration: compRows.reduce((a, r) => a + (num(r.no_duration) ?? 0), 0),
    open: compRows.reduce((a, r) => a + (num(r.open) ?? 0), 0),
    byFormat: compRows.map((r) => ({ format: String(r.format), connections: num(r.n) ?? 0, noBytes: num(r.no_bytes) ?? 0, noHistory: num(r.no_history) ?? 0 })),
  };
  for (const f of completeness.byFormat) {
    if (f.noBytes === f.connections && f.connections > 0) {
      notes.push(`Summary-only data: none of the ${f.connections} ${f.format} connections has a byte count, so sizes cannot be scored for them.`);
    } else if (f.noBytes > 0) {
      notes.push(`${f.noBytes} of ${f.connections} ${f.format} connections (${pctText(f.noBytes, f.connections)}) have no byte counts (no reply, or a summary record).`);
    }
    if (f.format === 'suricata-eve' && f.noHistory > 0) {
      notes.push('Suricata flows carry no TCP history (normal for eve.json): handshake-level detail is missing.');
    } else if (f.noHistory > 0) {
      notes.push(`${f.noHistory} of ${f.connections} ${f.format} connections (${pctText(f.noHistory, f.connections)}) have no history string.`);
    }
  }

  // Hosts.
  const hostRows = await db.all<{ kind: string; ip: string }>(coverageSql('hosts'));
  const ipsOf = (k: string) => hostRows.filter((r) => r.kind === k).map((r) => r.ip);
  const inboundOnly = ipsOf('inbound-only');
  const noDns = ipsOf('no-dns');
  const dnsRows = num((await db.one<{ n: bigint }>('SELECT count(*) AS n FROM dns'))?.n) ?? 0;
  const port53 = num((await db.one<{ n: bigint }>("SELECT count(*) AS n FROM connections WHERE dst_port = 53 OR service ILIKE '%dns%'"))?.n) ?? 0;
  const dnsSpan = byType.get('dns');
  const dnsMeetsConn = dnsSpan && conn && (dnsSpan.a > conn.a ? dnsSpan.a : conn.a) <= (dnsSpan.b < conn.b ? dnsSpan.b : conn.b);
  const checked = port53 > 0 || Boolean(dnsRows > 0 && (dnsMeetsConn || !conn));
  const hosts = {
    internal: ipsOf('internal').length,
    inboundOnly: { count: inboundOnly.length, ips: inboundOnly.slice(0, MAX_HOSTS) },
    noDns: {
      count: checked ? noDns.length : 0,
      ips: checked ? noDns.slice(0, MAX_HOSTS) : [],
      checked,
      why: checked
        ? 'internal hosts that reach outside without a DNS lookup or a connection to port 53'
        : dnsRows > 0
          ? 'not checked: the dns log is from another period than the connections and no port 53 traffic is logged'
          : 'not checked: no DNS activity at all in the data (no dns log, no port 53 traffic)',
    },
  };
  if (inboundOnly.length) {
    notes.push(
      `${inboundOnly.length} internal host${inboundOnly.length === 1 ? ' is' : 's are'} seen only as destinations of inbound traffic (${inboundOnly.slice(0, 5).join(', ')}${inboundOnly.length > 5 ? ', …' : ''}): their own outbound traffic is not visible to this sensor.`,
    );
  }
  if (checked && noDns.length) {
    notes.push(
      `${noDns.length} internal host${noDns.length === 1 ? '' : 's'} reach${noDns.length === 1 ? 'es' : ''} outside with no DNS activity (${noDns.slice(0, 5).join(', ')}${noDns.length > 5 ? ', …' : ''}): possibly unmanaged, using hard-coded addresses, or resolving through a path this sensor does not see.`,
    );
  } else if (!checked && conn) {
    notes.push(`Hosts without DNS activity: ${hosts.noDns.why}.`);
  }

  // Clock consistency.
  const clockRows = await db.all<Record<string, unknown>>(coverageSql('clock'));
  const clock = {
    byType: clockRows.map((r) => ({
      type: String(r.type),
      compared: num(r.compared) ?? 0,
      beforeStart: num(r.before_start) ?? 0,
      afterEnd: num(r.after_end) ?? 0,
      maxSkewSeconds: r.max_skew === null ? null : Math.round((num(r.max_skew) ?? 0) * 1000) / 1000,
    })),
    sensors: sensorClock.map((r) => ({
      a: name(String(r.sa)),
      b: name(String(r.sb)),
      matched: num(r.n) ?? 0,
      offsetSeconds: Math.round((num(r.offset_s) ?? 0) * 1000) / 1000,
    })),
  };
  for (const c of clock.byType) {
    if (c.beforeStart || c.afterEnd) {
      notes.push(
        `Clock: ${c.beforeStart + c.afterEnd} of ${c.compared} ${c.type} records are timed outside their connection (${c.beforeStart} more than 1 s before it starts, ${c.afterEnd} more than 60 s after it ends; up to ${plainDuration(c.maxSkewSeconds ?? 0)} off): the logs' clocks disagree.`,
      );
    }
  }
  const compared = clock.byType.filter((c) => c.compared > 0);
  if (compared.length && compared.every((c) => !c.beforeStart && !c.afterEnd)) {
    notes.push(`Clock: ${joinWords(compared.map((c) => `${c.compared} ${c.type}`))} records fall inside their connections' times: the log types agree.`);
  }
  for (const s of clock.sensors) {
    if (Math.abs(s.offsetSeconds) > SENSOR_OFFSET_S) {
      notes.push(`Clock: sensors ${s.a} and ${s.b} saw ${s.matched} of the same connections ${plainDuration(Math.abs(s.offsetSeconds))} apart (median): their clocks disagree.`);
    }
  }

  // Silences inside the spans.
  for (const l of logTypes) {
    if (!l.gapsTotal || !TRAFFIC.includes(l.type)) continue;
    const all = l.gaps;
    const top = all.reduce((m, g) => (g.seconds > m.seconds ? g : m), all[0]);
    notes.push(
      `${l.type} (${l.sensor}): ${l.gapsTotal} silence${l.gapsTotal === 1 ? '' : 's'} of an hour or more; the longest ${plainDuration(top.seconds)} (${top.start.slice(0, 19).replace('T', ' ')} → ${top.end.slice(0, 19).replace('T', ' ')} UTC). Rhythms that cross a silence look broken there.`,
    );
  }

  // Capture health.
  const health = summarizeHealth(
    healthRows.map(
      (r): HealthRecord => ({
        logType: String(r.log_type),
        tsUs: r.ts_us === null ? null : us(r.ts_us),
        record: String(r.record),
        format: String(r.format),
        sensor: String(r.sensor),
      }),
    ),
    microsToIso,
    name,
  );
  if (health.length) for (const h of health) notes.push(`Capture health (${h.sensor}): ${h.text}.`);
  else notes.push('No capture-health logs (Zeek capture_loss or stats, Suricata stats) were loaded: packet loss at the sensor is unknown.');

  const unused = [...new Set(reread)].sort(typeOrder);
  if (unused.length) {
    notes.push(`${listTypes(unused, 10)} log${unused.length === 1 ? ' is' : 's are'} recognised but not loaded into tables: ${unused.length === 1 ? 'its span was' : 'their spans were'} read back from the files.`);
  }
  if (duplicates.length) {
    notes.push(
      `${duplicates.map((p) => basename(p)).join(', ')} added no rows: ${duplicates.length === 1 ? 'its' : 'their'} records were already in the case (the same connections from another file).`,
    );
  }

  await db.run('DROP VIEW IF EXISTS coverage_conns');
  await db.run('DROP VIEW IF EXISTS coverage_rows');
  await db.run(`DROP TABLE IF EXISTS ${EXTRA_TABLE}`);

  return { logTypes, overlap, naming, detectable: det, notes, capture, periods, completeness, hosts, clock, health };
}
