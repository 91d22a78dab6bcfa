// Handlers for the hunting views' queries (charts, searches, raw records, annotations, case
// files, tracked imports): each aggregates in DuckDB and returns only what a view draws.
// Registered into Engine.handlers, so every request is validated by shared/api.ts first and runs
// in the engine's one-at-a-time queue (except UNQUEUED_OPERATIONS, answered by `unqueued`).
// SQL lives in main/analysis/views/*.sql and takes parameters only; no request text is ever
// concatenated into SQL (case files are attached under a generated temp name, see caseSave).
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  UNQUEUED_OPERATIONS,
  validateRequest,
  ValidationError,
} from '../../shared/api.js';
import { inCidr, parseCidr, parseIpv4, parseIpv6 } from '../../shared/net.js';
import { chooseMergeWindow, mergeEpisodes } from '../../shared/scoring/episodes.js';
import { scoreKey } from '../../shared/scoring/detect.js';
import { microsToIso } from '../../shared/time.js';
import type {
  Annotation,
  Explanation,
  Finding,
  FindingTiming,
  HourDayHeatmap,
  ImportStatus,
  IntervalHistogram,
  Overview,
  PairSeries,
  RecentCase,
  RecordKind,
  RecordPage,
  ScanSummary,
  SeriesBin,
  SeriesPoint,
  UnscoredKey,
} from '../../shared/types.js';
import { sql } from '../analysis/sql.js';
import { num, type Database } from '../engine/db.js';
import { importPaths } from '../ingest/import.js';
import { NotFoundError, type Engine, type Handlers } from './engine.js';

/** Up to this many events in a range the timeline draws each one; above it, one bin per column. */
export const EVENTS_MAX = 5000;
/** Default timeline width in pixel columns when the client does not say. */
const DEFAULT_WIDTH = 1200;
const INTERVAL_BINS = 60;
const LOG_BINS_PER_DECADE = 12;
const HEATMAP_MAX_DAYS = 400;
const RECENT_MAX = 10;
/** Whole range when a request gives none (epoch ms). */
const ALL_TIME: [number, number] = [0, 7_258_118_400_000];

export type ViewOperation =
  | 'pairSeries'
  | 'pairRecords'
  | 'overview'
  | 'explain'
  | 'searchRecords'
  | 'annotationsList'
  | 'annotate'
  | 'importWithProgress'
  | 'importStatus'
  | 'fileRejects'
  | 'caseSave'
  | 'caseOpen'
  | 'recentCases';

interface ViewState {
  /** Which finding view_ev holds, and for which scan (the scan's summary object). */
  evId: string | null;
  evScan: ScanSummary | null;
  timing: Map<string, { scan: ScanSummary; timing: FindingTiming }>;
  importStatus: ImportStatus;
  annotationsReady: boolean;
  /** The case file last opened or saved, shown as the case name. */
  caseFile: string | null;
}

const states = new WeakMap<Engine, ViewState>();

function stateOf(engine: Engine): ViewState {
  let s = states.get(engine);
  if (!s) {
    s = {
      evId: null,
      evScan: null,
      timing: new Map(),
      importStatus: { running: false, progress: null, filesDone: 0, startedAt: null },
      annotationsReady: false,
      caseFile: null,
    };
    states.set(engine, s);
  }
  return s;
}

/** Answers the operations that must not wait behind a running import; null for the others. */
export function unqueued(engine: Engine, op: string, body: unknown): Promise<unknown> | null {
  if (!(UNQUEUED_OPERATIONS as readonly string[]).includes(op)) return null;
  validateRequest(op, body);
  if (op === 'importStatus') return Promise.resolve({ ...stateOf(engine).importStatus });
  return null;
}

/** The case file the UI opened or saved last (null: the engine's own case). */
export function openedCaseFile(engine: Engine): string | null {
  return stateOf(engine).caseFile;
}

// ---------------------------------------------------------------------------------------------
// helpers

function sources(f: Finding): string[] {
  return f.src === '*' ? f.hosts ?? [] : [f.src];
}

/** A VARCHAR[] parameter. DuckDB cannot type an empty list, so "none" is a list holding only a
 *  NUL character, which no address or name equals. */
function strList(items: string[]): DuckDBValue {
  return listValue(items.length ? items : ['\u0000']);
}

/** A DuckDB cell as JSON: bigint → number, lists → text, anything else exotic → its text. */
function cell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'object' && 'items' in (v as object)) return ((v as { items: unknown[] }).items ?? []).map(String).join(', ');
  return String(v);
}

function page(kind: RecordKind, rows: Record<string, unknown>[], offset: number, empty: string[]): RecordPage {
  const columns = rows.length ? Object.keys(rows[0]).filter((c) => c !== 'total') : empty;
  return {
    kind,
    columns,
    rows: rows.map((r) => columns.map((c) => cell(r[c]))),
    total: num(rows[0]?.total) ?? 0,
    offset,
  };
}

async function findFinding(engine: Engine, id: string): Promise<{ finding: Finding; scan: ScanSummary }> {
  const finding = await engine.finding(id);
  if (!finding) throw new NotFoundError(`no finding ${id} in this case`);
  return { finding, scan: await engine.summary() };
}

/** Fills temp table view_ev with the finding's events (kept while the finding and scan are the same). */
async function materialize(engine: Engine, finding: Finding, scan: ScanSummary): Promise<void> {
  const st = stateOf(engine);
  if (st.evId === finding.id && st.evScan === scan) return;
  if (finding.keyLevel) {
    await engine.db.run(sql('views/key-events'), {
      event_type: finding.eventType,
      srcs: strList(sources(finding)),
      level: finding.keyLevel,
      dst: finding.dst,
      port: finding.port ?? null,
      proto: finding.proto ?? null,
    });
  } else {
    await engine.db.run(sql('views/pair-events'), { srcs: strList(sources(finding)), dst: finding.dst });
  }
  st.evId = finding.id;
  st.evScan = scan;
}

function rangeOf(req: { from?: number; to?: number }): [number, number] {
  return [req.from ?? ALL_TIME[0], req.to ?? ALL_TIME[1]];
}

function checkZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new ValidationError(`unknown time zone "${zone}" (an IANA name such as Europe/Berlin)`);
  }
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// pair series: timeline, intervals, heatmap, timing

async function timelineData(
  db: Database,
  from: number,
  to: number,
  inRange: number,
  width: number,
): Promise<{ mode: 'events' | 'bins'; points: SeriesPoint[]; bins: SeriesBin[] }> {
  if (inRange <= EVENTS_MAX) {
    const rows = await db.all<Record<string, unknown>>(sql('views/series-events'), { from, to });
    return {
      mode: 'events',
      points: rows.map((r) => ({ t: Number(r.ms), out: num(r.b_out), in: num(r.b_in), failed: r.failed === true })),
      bins: [],
    };
  }
  const binMs = Math.max(1, (to - from) / width);
  const rows = await db.all<Record<string, unknown>>(sql('views/series-bins'), { from, to, bin_ms: binMs, bins: width });
  return {
    mode: 'bins',
    points: [],
    bins: rows.map((r) => {
      const col = Number(r.col);
      return {
        t0: from + col * binMs,
        t1: from + (col + 1) * binMs,
        n: Number(r.n),
        outMin: num(r.out_min),
        outMax: num(r.out_max),
        inMin: num(r.in_min),
        inMax: num(r.in_max),
        failed: Number(r.failed),
      };
    }),
  };
}

async function intervalData(db: Database, from: number, to: number, scale: 'linear' | 'log', period: number | null): Promise<IntervalHistogram> {
  await db.run(sql('views/gaps'), { from, to });
  const s = (await db.one<Record<string, unknown>>(sql('views/gap-stats'))) ?? {};
  const n = Number(s.n ?? 0);
  const empty: IntervalHistogram = { scale, bins: [], gaps: n, overflow: 0, min: num(s.lo), median: num(s.med), max: num(s.hi) };
  if (n === 0) return empty;
  const hiGap = num(s.hi) ?? 0;
  if (scale === 'linear') {
    // Clip the long tail (a pause of a day would squash a 60 s rhythm into one bar), but always
    // keep twice the period in view.
    const p98 = num(s.p98) ?? hiGap;
    // A little air past the longest gap in view, so a gap equal to it is not on the edge.
    let top = Math.min(hiGap * 1.1, Math.max(p98 * 1.15, period ? period * 2.2 : 0));
    if (!(top > 0)) top = Math.max(hiGap, 1);
    const w = niceStep(top / INTERVAL_BINS);
    const bins = Math.max(1, Math.ceil(top / w));
    const rows = await db.all<{ b: bigint; n: bigint }>(sql('views/gap-bins-linear'), { w, bins });
    const counts = new Array<number>(bins).fill(0);
    let overflow = 0;
    for (const r of rows) {
      const b = Number(r.b);
      if (b < 0) overflow += Number(r.n);
      else counts[Math.min(b, bins - 1)] += Number(r.n);
    }
    return { ...empty, bins: counts.map((c, i) => ({ lo: i * w, hi: (i + 1) * w, n: c })), overflow };
  }
  const minPos = num(s.min_pos) ?? hiGap;
  const loExp = Math.floor(Math.log10(Math.max(minPos, 1e-3)) * LOG_BINS_PER_DECADE) / LOG_BINS_PER_DECADE;
  const hiExp = Math.ceil(Math.log10(Math.max(hiGap, minPos, 1e-3) * 1.0001) * LOG_BINS_PER_DECADE) / LOG_BINS_PER_DECADE;
  const bins = Math.max(1, Math.round((hiExp - loExp) * LOG_BINS_PER_DECADE));
  const rows = await db.all<{ b: bigint; n: bigint }>(sql('views/gap-bins-log'), { lo_exp: loExp, per_decade: LOG_BINS_PER_DECADE, bins });
  const counts = new Array<number>(bins).fill(0);
  for (const r of rows) counts[Math.max(0, Math.min(bins - 1, Number(r.b)))] += Number(r.n);
  return {
    ...empty,
    bins: counts.map((c, i) => ({
      lo: 10 ** (loExp + i / LOG_BINS_PER_DECADE),
      hi: 10 ** (loExp + (i + 1) / LOG_BINS_PER_DECADE),
      n: c,
    })),
  };
}

/** 1, 2 or 5 times a power of ten, at least x. */
function niceStep(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

async function heatmapData(db: Database, from: number, to: number, zone: string): Promise<HourDayHeatmap> {
  const rows = await db.all<{ day: string; h: bigint; n: bigint }>(sql('views/heatmap'), { from, to, zone });
  if (!rows.length) return { zone, days: [], cells: [], max: 0 };
  const first = rows[0].day;
  const last = rows[rows.length - 1].day;
  const days: string[] = [];
  for (let d = first; d <= last && days.length < HEATMAP_MAX_DAYS; d = addDays(d, 1)) days.push(d);
  const index = new Map(days.map((d, i) => [d, i]));
  const cells: HourDayHeatmap['cells'] = [];
  let max = 0;
  for (const r of rows) {
    const day = index.get(r.day);
    if (day === undefined) continue;
    const n = Number(r.n);
    cells.push({ day, hour: Number(r.h), n });
    max = Math.max(max, n);
  }
  return { zone, days, cells, max };
}

async function timingOf(engine: Engine, finding: Finding, scan: ScanSummary): Promise<FindingTiming> {
  const st = stateOf(engine);
  const hit = st.timing.get(finding.id);
  if (hit && hit.scan === scan) return hit.timing;
  const reader = await engine.db.conn.runAndReadAll(sql('views/timing-input'));
  const row = (reader.getRowObjectsJS() as unknown as { ts: number[] | null; b_out: (number | bigint | null)[] | null; b_in: (number | bigint | null)[] | null }[])[0];
  const times = row?.ts ?? [];
  const toNums = (xs: (number | bigint | null)[] | null) => (xs ?? []).map((v) => (v === null || v === undefined ? null : Number(v)));
  let timing: FindingTiming = { period: finding.period, jitter: null, checkins: finding.checkins, mergeWindow: null, periodic: false };
  if (times.length >= 3) {
    const k = scoreKey({
      times,
      bytesOut: toNums(row.b_out),
      bytesIn: toNums(row.b_in),
      context: { direction: finding.direction === 'inbound' ? 'external' : finding.direction, prevalence: null, internalSources: null, priors: [] },
    });
    if (k) {
      const t = k.timing;
      // The jitter band belongs to the period the table shows; a daily schedule has none.
      const same = t !== null && finding.period !== null && Math.abs(t.period - finding.period) <= 0.1 * finding.period;
      timing = {
        period: finding.period ?? (t?.periodic ? t.period : null),
        jitter: same && t ? t.jitter : null,
        checkins: k.checkins,
        mergeWindow: k.mergeWindow,
        periodic: t?.periodic ?? false,
      };
    }
  }
  st.timing.set(finding.id, { scan, timing });
  return timing;
}

// ---------------------------------------------------------------------------------------------
// explain ("Why not?")

interface ParsedQuery {
  kind: Explanation['kind'];
  ip?: string;
  cidr?: ReturnType<typeof parseCidr>;
  src?: string;
  dst?: string;
  name?: string;
}

function isIp(s: string): boolean {
  return parseIpv4(s) !== null || parseIpv6(s) !== null;
}

function cleanName(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/:\d+$/, '')
    .replace(/\.+$/, '');
}

export function parseExplainQuery(query: string): ParsedQuery {
  const q = query.trim();
  const pair = /^(\S+)\s*(?:->|→|>|\s)\s*(\S+)$/.exec(q);
  if (pair && isIp(pair[1])) {
    const dst = pair[2].replace(/:\d+$/, '');
    return { kind: 'pair', src: pair[1], dst: isIp(dst) ? dst : cleanName(dst) };
  }
  if (isIp(q)) return { kind: 'ip', ip: q };
  if (q.includes('/')) {
    try {
      return { kind: 'cidr', cidr: parseCidr(q) };
    } catch {
      // not a range: a name or URL
    }
  }
  return { kind: 'name', name: cleanName(q) };
}

function findingMatches(f: Finding, p: ParsedQuery): boolean {
  const srcs = sources(f);
  const dstIps = f.dstKind === 'ip' ? [f.dst] : (f.dstIps ?? []).map((d) => d.ip);
  const nameHit = (n: string) => f.dstKind !== 'ip' && (f.dst === n || f.dst.endsWith(`.${n}`) || n.endsWith(`.${f.dst}`));
  switch (p.kind) {
    case 'ip':
      return srcs.includes(p.ip!) || dstIps.includes(p.ip!);
    case 'cidr':
      return srcs.some((s) => inCidr(s, p.cidr!)) || dstIps.some((d) => inCidr(d, p.cidr!));
    case 'pair':
      return srcs.includes(p.src!) && (isIp(p.dst!) ? dstIps.includes(p.dst!) || f.dst === p.dst : nameHit(p.dst!));
    case 'name':
      return f.dst.toLowerCase().includes(p.name!) || nameHit(p.name!);
  }
}

// ---------------------------------------------------------------------------------------------
// recent cases (a small JSON file beside the user's settings)

function configDir(): string {
  if (process.env.METRONOME_CONFIG_DIR) return process.env.METRONOME_CONFIG_DIR;
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'metronome');
}

export async function readRecentCases(): Promise<RecentCase[]> {
  try {
    const list = JSON.parse(await readFile(join(configDir(), 'recent-cases.json'), 'utf8')) as unknown;
    if (!Array.isArray(list)) return [];
    return list
      .filter((x): x is RecentCase => typeof x?.path === 'string' && typeof x?.openedAt === 'string')
      .slice(0, RECENT_MAX);
  } catch {
    return [];
  }
}

export async function rememberCase(path: string): Promise<RecentCase[]> {
  const list = [{ path, openedAt: new Date().toISOString() }, ...(await readRecentCases()).filter((c) => c.path !== path)].slice(0, RECENT_MAX);
  try {
    await mkdir(configDir(), { recursive: true });
    await writeFile(join(configDir(), 'recent-cases.json'), `${JSON.stringify(list, null, 2)}\n`);
  } catch {
    // A read-only home only loses the recent list.
  }
  return list;
}

// ---------------------------------------------------------------------------------------------

/** The view operations of shared/api.ts. */
export function viewHandlers(engine: Engine): Pick<Handlers, ViewOperation> {
  const db = (): Database => engine.db;

  async function ensureAnnotations(): Promise<void> {
    const st = stateOf(engine);
    if (st.annotationsReady) return;
    await db().run(sql('views/annotations'));
    st.annotationsReady = true;
  }

  /** Drops what depends on the loaded tables (the engine's scan cache included). */
  async function tablesChanged(): Promise<void> {
    const st = stateOf(engine);
    st.evId = null;
    st.evScan = null;
    st.timing.clear();
    st.annotationsReady = false;
    // The engine forgets its cached scan on any import; an import of nothing does only that.
    await engine.handlers.importPaths({ paths: [] });
  }

  /** A page of the finding's related records of one kind (view_ev must hold the finding). */
  function relatedRows(finding: Finding, kind: RecordKind, from: number, to: number, limit: number, offset: number): Promise<Record<string, unknown>[]> {
    const base = { from, to, limit, offset };
    const keyed = { ...base, srcs: strList(sources(finding)), level: finding.keyLevel ?? 'pair', dst: finding.dst };
    switch (kind) {
      case 'connections':
        return db().all(sql('views/finding-connections'), base);
      case 'dns':
        return db().all(sql('views/finding-dns'), keyed);
      case 'http':
        return db().all(sql('views/finding-http'), { ...keyed, port: finding.port ?? null });
      case 'tls':
        return db().all(sql('views/finding-tls'), { ...keyed, port: finding.port ?? null });
      case 'alerts':
        return db().all(sql('views/finding-alerts'), base);
    }
  }

  /** Related records per kind; the finding's own events are the ones in range (no query). */
  async function relatedCounts(finding: Finding, from: number, to: number, inRange: number): Promise<Record<RecordKind, number>> {
    const out: Record<RecordKind, number> = { connections: inRange, dns: 0, http: 0, tls: 0, alerts: 0 };
    for (const kind of ['dns', 'http', 'tls', 'alerts'] as RecordKind[]) out[kind] = num((await relatedRows(finding, kind, from, to, 1, 0))[0]?.total) ?? 0;
    return out;
  }

  return {
    pairSeries: async (req) => {
      const started = performance.now();
      const { finding, scan } = await findFinding(engine, req.id);
      await materialize(engine, finding, scan);
      const [qFrom, qTo] = rangeOf(req);
      const s = (await db().one<Record<string, unknown>>(sql('views/series-stats'), { from: qFrom, to: qTo })) ?? {};
      const total = num(s.total) ?? 0;
      const extent: [number, number] | null = s.first_ms === null || s.first_ms === undefined ? null : [Number(s.first_ms), Number(s.last_ms)];
      const zone = checkZone(req.zone ?? 'UTC');
      const lite = req.timelineOnly === true;
      const timing: FindingTiming = lite
        ? { period: finding.period, jitter: null, checkins: finding.checkins, mergeWindow: null, periodic: finding.period !== null }
        : await timingOf(engine, finding, scan);
      const scale = req.intervalScale ?? 'linear';
      const none: Record<RecordKind, number> = { connections: 0, dns: 0, http: 0, tls: 0, alerts: 0 };
      if (!extent) {
        return {
          finding, extent, range: null, total, inRange: 0, mode: 'events', points: [], bins: [],
          intervals: { scale, bins: [], gaps: 0, overflow: 0, min: null, median: null, max: null },
          heatmap: { zone, days: [], cells: [], max: 0 },
          timing, related: none, elapsedMs: performance.now() - started,
        };
      }
      const from = req.from ?? extent[0];
      const to = req.to ?? extent[1];
      const inRange = num(s.in_range) ?? 0;
      const line = await timelineData(db(), from, to, inRange, req.width ?? DEFAULT_WIDTH);
      if (lite) {
        return {
          finding, extent, range: [from, to], total, inRange, ...line,
          intervals: { scale, bins: [], gaps: Math.max(0, inRange - 1), overflow: 0, min: null, median: null, max: null },
          heatmap: { zone, days: [], cells: [], max: 0 },
          timing, related: { ...none, connections: inRange }, elapsedMs: performance.now() - started,
        };
      }
      const intervals = await intervalData(db(), from, to, scale, timing.period);
      const heatmap = await heatmapData(db(), from, to, zone);
      // Unzoomed, related records are not cut to the events' extent (a lookup comes before its connection).
      const related = req.from === undefined && req.to === undefined ? await relatedCounts(finding, ...ALL_TIME, inRange) : await relatedCounts(finding, from, to, inRange);
      return { finding, extent, range: [from, to], total, inRange, ...line, intervals, heatmap, timing, related, elapsedMs: performance.now() - started };
    },

    pairRecords: async (req) => {
      const { finding, scan } = await findFinding(engine, req.id);
      await materialize(engine, finding, scan);
      const [from, to] = rangeOf(req);
      const offset = req.offset ?? 0;
      const rows = await relatedRows(finding, req.kind, from, to, req.limit ?? 200, offset);
      return page(req.kind, rows, offset, ['ts']);
    },

    overview: async (req) => {
      const result = await engine.scan(false);
      const minScore = req.minScore ?? 0;
      const top = result.findings.filter((f) => f.score >= minScore).slice(0, req.top ?? 40);
      const binsN = req.bins ?? 200;
      const { start, end } = result.summary;
      if (!top.length || !start || !end) return { start: 0, binMs: 1, bins: binsN, rows: [] };
      const t0 = Date.parse(start);
      const binMs = Math.max(1, Math.ceil((Date.parse(end) - t0 + 1) / binsN));
      await db().run(
        'CREATE OR REPLACE TEMP TABLE view_keys (idx INTEGER, event_type VARCHAR, src VARCHAR, level VARCHAR, dst VARCHAR, port INTEGER, proto VARCHAR)',
      );
      const ap = await db().conn.createAppender('view_keys', 'main', 'temp');
      top.forEach((f, idx) => {
        for (const src of sources(f)) {
          ap.appendInteger(idx);
          ap.appendVarchar(f.eventType);
          ap.appendVarchar(src);
          ap.appendVarchar(f.keyLevel ?? 'pair');
          ap.appendVarchar(f.dst);
          if (f.port === undefined || f.port === null) ap.appendNull();
          else ap.appendInteger(f.port);
          if (f.proto === undefined || f.proto === null) ap.appendNull();
          else ap.appendVarchar(f.proto);
          ap.endRow();
        }
      });
      ap.closeSync();
      const rows = await db().all<{ idx: number; b: bigint; n: bigint }>(
        sql(top[0].keyLevel ? 'views/overview' : 'views/overview-pairs'),
        { t0, bin_ms: binMs, bins: binsN },
      );
      const counts = top.map(() => new Array<number>(binsN).fill(0));
      for (const r of rows) counts[Number(r.idx)][Math.max(0, Math.min(binsN - 1, Number(r.b)))] += Number(r.n);
      return {
        start: t0,
        binMs,
        bins: binsN,
        rows: top.map((f, i) => ({ id: f.id, category: f.category, score: f.score, src: f.src, hosts: sources(f).length, dst: f.dst, period: f.period, counts: counts[i] })),
      } satisfies Overview;
    },

    explain: async (req) => {
      const result = await engine.scan(true);
      const p = parseExplainQuery(req.query);
      const findings = result.findings.filter((f) => findingMatches(f, p)).sort((a, b) => b.score - a.score);
      let ips: string[] = [];
      let useIps = false;
      if (p.kind === 'ip') {
        ips = [p.ip!];
        useIps = true;
      } else if (p.kind === 'cidr') {
        const all = await db().all<{ ip: string }>(sql('views/addresses'), { kind: 'connections' }).catch(() => []);
        ips = all.map((r) => r.ip).filter((ip) => inCidr(ip, p.cidr!));
        useIps = true;
      }
      const params = {
        use_ips: useIps,
        ips: strList(ips),
        src: p.kind === 'pair' ? p.src! : null,
        dst_ip: p.kind === 'pair' && isIp(p.dst!) ? p.dst! : null,
      };
      const name = p.kind === 'name' ? p.name! : p.kind === 'pair' && !isIp(p.dst!) ? p.dst! : null;
      let keys: Record<string, unknown>[] = [];
      try {
        const reader = await db().conn.runAndReadAll(sql('views/explain-keys'), { ...params, name });
        keys = reader.getRowObjectsJS() as Record<string, unknown>[];
      } catch {
        // No event stream (the RITA scorer builds none): only findings are matched.
      }
      const unscored: UnscoredKey[] = [];
      let events = 0;
      for (const k of keys) {
        const n = Number(k.n);
        events += n;
        const src = String(k.src_ip);
        const covered = result.findings.some(
          (f) =>
            sources(f).includes(src) &&
            (f.dst === k.name || f.dst === k.domain || f.dst === k.dst_ip || (f.dstIps ?? []).some((d) => d.ip === k.dst_ip)),
        );
        if (covered) continue;
        const times = (k.ts as number[]) ?? [];
        let why: string;
        if (n < 3) {
          why = `only ${n} event${n === 1 ? '' : 's'}: a rhythm needs at least 3 check-ins`;
        } else {
          const w = chooseMergeWindow(times);
          const eps = mergeEpisodes(times, times.map(() => null), times.map(() => null), w);
          why =
            eps.length < 3
              ? `${n} events merge into ${eps.length} check-in${eps.length === 1 ? '' : 's'} (bursts within ${w.toFixed(1)} s): a rhythm needs at least 3`
              : 'scored, but another key of this source (its name, domain or address) describes the same traffic better; see the findings above';
        }
        unscored.push({
          src,
          dst: String(k.dst),
          eventType: k.event_type as UnscoredKey['eventType'],
          events: n,
          firstSeen: microsToIso(BigInt(k.first_us as number | bigint)),
          lastSeen: microsToIso(BigInt(k.last_us as number | bigint)),
          why,
        });
      }
      if (p.kind !== 'name') {
        try {
          const o = await db().one<{ special: bigint; inbound: bigint }>(sql('views/explain-outside'), params);
          const special = num(o?.special) ?? 0;
          const inbound = num(o?.inbound) ?? 0;
          const span = { firstSeen: result.summary.start ?? '', lastSeen: result.summary.end ?? '' };
          if (inbound) unscored.push({ src: '*', dst: '*', eventType: 'connection', events: inbound, ...span, why: `${inbound} inbound connection${inbound === 1 ? '' : 's'} (external → internal): inbound pairs are never findings` });
          if (special) unscored.push({ src: '*', dst: '*', eventType: 'connection', events: special, ...span, why: `${special} connection${special === 1 ? '' : 's'} to multicast, broadcast or link-local addresses: never findings` });
        } catch {
          // ip_class missing: nothing to add.
        }
      }
      return { kind: p.kind, query: req.query, findings: findings.slice(0, 200), unscored, events } satisfies Explanation;
    },

    searchRecords: async (req) => {
      const [from, to] = rangeOf(req);
      const offset = req.offset ?? 0;
      let ips: string[] = [];
      if (req.cidr !== undefined) {
        let c;
        try {
          c = parseCidr(req.cidr);
        } catch (e) {
          throw new ValidationError((e as Error).message);
        }
        const all = await db().all<{ ip: string }>(sql('views/addresses'), { kind: req.kind });
        ips = all.map((r) => r.ip).filter((ip) => inCidr(ip, c));
      }
      const rows = await db().all<Record<string, unknown>>(sql(`views/search-${req.kind}`), {
        ip: req.ip ?? null,
        use_ips: req.cidr !== undefined,
        ips: strList(ips),
        port: req.port ?? null,
        from,
        to,
        text: req.text ? req.text.toLowerCase() : null,
        limit: req.limit ?? 200,
        offset,
      });
      return page(req.kind, rows, offset, ['ts']);
    },

    annotationsList: async () => {
      await ensureAnnotations();
      const rows = await db().all<Record<string, unknown>>(
        'SELECT finding_id, tags, note, epoch_us(updated_at) AS us FROM annotations ORDER BY updated_at DESC',
      );
      return rows.map((r): Annotation => ({
        findingId: String(r.finding_id),
        tags: ((r.tags as { items?: unknown[] } | null)?.items ?? []).map(String),
        note: String(r.note ?? ''),
        updatedAt: microsToIso(r.us as bigint),
      }));
    },

    annotate: async (req) => {
      await ensureAnnotations();
      const tags = [...new Set(req.tags.map((t) => t.trim()).filter(Boolean))];
      if (!tags.length && !req.note.trim()) {
        await db().run('DELETE FROM annotations WHERE finding_id = $id', { id: req.findingId });
        return null;
      }
      await db().run('INSERT OR REPLACE INTO annotations VALUES ($id, coalesce($tags::VARCHAR[], []::VARCHAR[]), $note, current_timestamp)', {
        id: req.findingId,
        tags: tags.length ? listValue(tags) : null,
        note: req.note,
      });
      const r = await db().one<Record<string, unknown>>('SELECT epoch_us(updated_at) AS us FROM annotations WHERE finding_id = $id', { id: req.findingId });
      return { findingId: req.findingId, tags, note: req.note, updatedAt: microsToIso(r?.us as bigint) };
    },

    importWithProgress: async (req) => {
      const st = stateOf(engine);
      st.importStatus = { running: true, progress: null, filesDone: 0, startedAt: new Date().toISOString() };
      try {
        const report = await importPaths(engine.db, req.paths, {
          onProgress: (p) => {
            st.importStatus = { ...st.importStatus, progress: p, filesDone: p.fileIndex };
          },
        });
        st.importStatus = { ...st.importStatus, filesDone: report.files.length };
        await tablesChanged();
        return report;
      } finally {
        st.importStatus = { ...st.importStatus, running: false };
      }
    },

    // Answered by `unqueued` in the transports; this queued path is for other callers.
    importStatus: async () => ({ ...stateOf(engine).importStatus }),

    fileRejects: async (req) => {
      const rows = await db().all<Record<string, unknown>>(
        `SELECT r.line, r.reason, count(*) OVER () AS total
         FROM rejects r JOIN files f USING (file_id)
         WHERE f.path = $path ORDER BY r.line LIMIT $limit OFFSET $offset`,
        { path: req.path, limit: req.limit ?? 500, offset: req.offset ?? 0 },
      );
      return { path: req.path, total: num(rows[0]?.total) ?? 0, errors: rows.map((r) => ({ line: Number(r.line), reason: String(r.reason) })) };
    },

    caseSave: async (req) => {
      const target = resolve(req.path);
      if (engine.db.path !== ':memory:' && resolve(engine.db.path) === target) {
        throw new ValidationError('this case is already kept in that file');
      }
      await ensureAnnotations();
      // DuckDB's ATTACH takes no parameters: the case is written to a file whose name we make,
      // then moved into place, so no requested path ever appears in SQL text.
      const dir = await mkdtemp(join(tmpdir(), 'metronome-case-'));
      const file = join(dir, 'case.duckdb');
      try {
        const name = String((await db().one<{ d: string }>('SELECT current_database() AS d'))?.d);
        await db().run('DETACH DATABASE IF EXISTS metronome_save');
        await db().run(`ATTACH '${file}' AS metronome_save`);
        try {
          await db().run(`COPY FROM DATABASE "${name.replace(/"/g, '""')}" TO metronome_save`);
        } finally {
          await db().run('DETACH DATABASE metronome_save');
        }
        await mkdir(dirname(target), { recursive: true });
        const partial = `${target}.partial-${process.pid}`;
        await copyFile(file, partial);
        await rename(partial, target);
      } catch (e) {
        throw new ValidationError(`could not save the case to ${target}: ${(e as Error).message}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      stateOf(engine).caseFile = target;
      await rememberCase(target);
      return { path: target, bytes: (await stat(target)).size };
    },

    caseOpen: async (req) => {
      const source = resolve(req.path);
      try {
        if (!(await stat(source)).isFile()) throw new Error('not a file');
      } catch (e) {
        throw new ValidationError(`cannot open ${source}: ${(e as Error).message}`);
      }
      const dir = await mkdtemp(join(tmpdir(), 'metronome-case-'));
      const file = join(dir, 'case.duckdb');
      try {
        await copyFile(source, file);
        await db().run('DETACH DATABASE IF EXISTS metronome_open');
        try {
          await db().run(`ATTACH '${file}' AS metronome_open (READ_ONLY)`);
        } catch (e) {
          throw new ValidationError(`${source} is not a Metronome case (DuckDB file): ${(e as Error).message}`);
        }
        try {
          const theirs = await db().all<{ t: string }>(
            "SELECT table_name AS t FROM duckdb_tables() WHERE database_name = 'metronome_open' AND schema_name = 'main'",
          );
          if (!theirs.some((r) => r.t === 'connections')) throw new ValidationError(`${source} holds no Metronome case (no connections table)`);
          const ours = new Set(
            (
              await db().all<{ t: string }>(
                "SELECT table_name AS t FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary",
              )
            ).map((r) => r.t),
          );
          // Table names come from DuckDB's own catalog, quoted as identifiers.
          const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
          await db().run('BEGIN TRANSACTION');
          try {
            for (const t of ours) await db().run(`DELETE FROM main.${q(t)}`);
            for (const { t } of theirs) {
              if (ours.has(t)) await db().run(`INSERT INTO main.${q(t)} BY NAME SELECT * FROM metronome_open.main.${q(t)}`);
              else await db().run(`CREATE TABLE main.${q(t)} AS SELECT * FROM metronome_open.main.${q(t)}`);
            }
            await db().run('COMMIT');
          } catch (e) {
            await db().run('ROLLBACK');
            throw e;
          }
        } finally {
          await db().run('DETACH DATABASE metronome_open');
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      await tablesChanged();
      stateOf(engine).caseFile = source;
      await rememberCase(source);
      const status = await engine.handlers.status({});
      return { ...status, caseName: source };
    },

    recentCases: async () => readRecentCases(),
  };
}
