// The engine behind the API contract: one case (a DuckDB database) and the handlers for every
// operation in shared/api.ts. Transports (HTTP in browser mode, IPC in Electron, the CLI) call
// `handle`, which validates the request first; nothing else reaches the database.
import { validateRequest, ValidationError, type ApiContract, type Operation, type RequestOf, type ResponseOf } from '../../shared/api.js';
import { baselineFields } from '../../shared/baseline.js';
import { applyIntel, assetFields } from '../../shared/context.js';
import { listAssets, listIntel } from '../engine/context-store.js';
import { addBaseline, listBaseline, removeBaseline } from '../engine/baseline-store.js';
import { parseCidrList, DEFAULT_INTERNAL, type Cidr } from '../../shared/net.js';
import { microsToIso } from '../../shared/time.js';
import type { ConnectionRow, FileReport, Finding, ImportProgress, ImportReport, ScanResult } from '../../shared/types.js';
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { Database, num, type OpenOptions } from '../engine/db.js';
import { importPaths, tableCounts } from '../ingest/import.js';
import { scanRita } from '../analysis/scan.js';
import { scanDetect } from '../analysis/detect.js';
import { sql } from '../analysis/sql.js';
import { VERSION } from '../version.js';
import { viewHandlers } from './view-handlers.js';
import { coverageHandlers } from '../coverage/handlers.js';
import { evidenceHandlers } from '../evidence/handlers.js';
import { triageHandlers } from '../triage/handlers.js';
import { triageOf, triageRecords } from '../triage/store.js';

export class NotFoundError extends Error {}

export type Scorer = 'metronome' | 'rita';

export interface EngineOptions extends OpenOptions {
  internal?: string[];
  /** Default scorer: Metronome's detector; `rita` is RITA v5's published formula (the baseline). */
  scorer?: Scorer;
  /** IANA time zone for clock-schedule tests (UTC is always tested). */
  timeZone?: string;
  onProgress?: (p: ImportProgress) => void;
}

export type Handlers = { [K in Operation]: (req: RequestOf<K>) => Promise<ResponseOf<K>> };

export class Engine {
  private scanCache: ScanResult | null = null;
  /** The last decorated scan per `all`, with the raw scan and context stamp it was made from. */
  private decorated = new Map<boolean, { raw: ScanResult; stamp: string; result: ScanResult }>();
  private byId: { raw: ScanResult; map: Map<string, Finding> } | null = null;
  private readonly internal: Cidr[];
  /** Imports and scans run one at a time: DuckDB's connection is not shared concurrently. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly db: Database, private readonly opts: EngineOptions) {
    this.internal = parseCidrList(opts.internal ?? DEFAULT_INTERNAL);
  }

  static async open(opts: EngineOptions = {}): Promise<Engine> {
    return new Engine(await Database.open(opts), opts);
  }

  get caseName(): string {
    return this.db.path === ':memory:' ? 'in-memory case' : this.db.path;
  }

  /** Validates an untrusted request and runs it. */
  async handle(op: string, body: unknown): Promise<unknown> {
    // Async so a refused request is a rejected promise, like every other failure.
    const req = validateRequest(op, body);
    const h = this.handlers[op as Operation] as (r: unknown) => Promise<unknown>;
    return this.serial(() => h(req));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async import(paths: string[], as?: ImportReport['files'][number]['format']): Promise<ImportReport> {
    return this.serial(async () => {
      const report = await importPaths(this.db, paths, { as: as ?? undefined, onProgress: this.opts.onProgress });
      this.scanCache = null;
      return report;
    });
  }

  /** Findings with the baseline applied (query-time): baselined ones hidden unless `all`. */
  async scan(all = false): Promise<ScanResult> {
    const raw = await this.rawScan();
    // Decorating every finding costs ~1 s at a few hundred thousand findings: the result is
    // kept until the scan or the context (baseline, triage, intel, assets) changes, which one
    // cheap hash query tells, so paging and detail requests do not pay it again.
    const stamp = await this.contextStamp();
    const hit = this.decorated.get(all);
    if (hit && hit.raw === raw && hit.stamp === stamp) return hit.result;
    const result = { ...raw, findings: await this.decorate(raw.findings, all) };
    this.decorated.set(all, { raw, stamp, result });
    return result;
  }

  /**
   * One finding by id, with its context (as `scan(true)` has it), without decorating the whole
   * scan: detail views and triage need one finding, and a large case has 10^5 of them.
   */
  async finding(id: string): Promise<Finding | undefined> {
    const raw = await this.rawScan();
    if (this.byId?.raw !== raw) this.byId = { raw, map: new Map(raw.findings.map((f) => [f.id, f])) };
    const f = this.byId.map.get(id);
    return f ? (await this.decorate([f], true))[0] : undefined;
  }

  private async decorate(findings: Finding[], all: boolean): Promise<Finding[]> {
    const entries = await listBaseline(this.db);
    const assets = await listAssets(this.db);
    const records = await triageRecords(this.db);
    // Query-time context, never stored in the scan: imported indicators add evidence, asset
    // criticality sets the triage priority, the baseline hides documented rhythms, and each
    // finding carries its triage record (state `new` when never triaged). One object per
    // finding (as applyAssets, applyBaseline and attachTriage in turn would give, fields in the
    // same order): a large case has 10^5 findings.
    const out: Finding[] = [];
    for (const f of applyIntel(findings, await listIntel(this.db))) {
      const b = baselineFields(f, entries, all);
      if (b === null) continue;
      out.push({ ...f, ...assetFields(f, assets), ...b, triage: triageOf(records, f.id) });
    }
    return out;
  }

  /** A fingerprint of every table the decoration reads (row count and a hash of all rows). */
  private async contextStamp(): Promise<string> {
    const part = (t: string) => `(SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash(x)::HUGEINT)::VARCHAR, '') FROM ${t} x)`;
    const r = await this.db.one<{ k: string }>(
      `SELECT ${['baseline', 'triage', 'intel', 'assets'].map(part).join(` || '|' || `)} AS k`,
    );
    return r?.k ?? '';
  }

  /** The scan's summary (connections, pairs, time span). */
  async summary(): Promise<ScanResult['summary']> {
    return (await this.rawScan()).summary;
  }

  private async rawScan(): Promise<ScanResult> {
    if (!this.scanCache) {
      this.scanCache =
        this.opts.scorer === 'rita'
          ? await scanRita(this.db, { internal: this.internal })
          : await scanDetect(this.db, { internal: this.internal, timeZone: this.opts.timeZone });
    }
    return this.scanCache;
  }

  readonly handlers: Handlers = {
    // Chart and search queries for the hunting views live in their own module.
    ...viewHandlers(this),
    // Coverage report, triage states and evidence packages live in their own modules.
    ...coverageHandlers(this, () => this.internal),
    ...triageHandlers(this),
    ...evidenceHandlers(this),
    status: async () => {
      const files = await this.db.all<Record<string, unknown>>(
        `SELECT path, format, log_type, rows, rejected, bytes, epoch_us(first_ts) AS a, epoch_us(last_ts) AS b
         FROM files ORDER BY file_id`,
      );
      return {
        caseName: this.caseName,
        version: VERSION,
        tables: await tableCounts(this.db),
        files: files.map((f): FileReport => ({
          path: String(f.path),
          format: f.format as FileReport['format'],
          logType: (f.log_type as string | null) ?? null,
          rows: num(f.rows) ?? 0,
          rejected: num(f.rejected) ?? 0,
          skipped: false,
          reason: null,
          errors: [],
          warnings: [],
          start: f.a === null ? null : microsToIso(f.a as bigint),
          end: f.b === null ? null : microsToIso(f.b as bigint),
          bytes: num(f.bytes) ?? 0,
        })),
      };
    },
    scan: async (req) => {
      const result = await this.scan(req.all ?? false);
      return req.top ? { ...result, findings: result.findings.slice(0, req.top), total: result.findings.length } : result;
    },
    pairDetail: async (req) => {
      const finding = await this.finding(req.id);
      if (!finding) throw new NotFoundError(`no finding ${req.id} in this case`);
      const limit = req.limit ?? 50_000;
      const t0 = performance.now();
      // Metronome findings name their key; RITA baseline findings are (source, destination IP).
      const [query, params] = finding.keyLevel
        ? [
            sql('finding-events'),
            {
              event_type: finding.eventType,
              srcs: listValue(finding.src === '*' ? finding.hosts ?? [] : [finding.src]),
              level: finding.keyLevel,
              dst: finding.dst,
              port: finding.port ?? null,
              proto: finding.proto ?? null,
              limit,
            },
          ]
        : [sql('pair-connections'), { src: finding.src, dst: finding.dst, limit }];
      const { rows: connections, total } = await connectionRows(this.db, query, params);      if (process.env.METRONOME_PROFILE) process.stderr.write(`pairDetail ${connections.length} rows: ${Math.round(performance.now() - t0)} ms\n`);
      return { finding, connections, truncated: total > connections.length, total };
    },
    baselineList: async () => listBaseline(this.db),
    baselineAdd: async (req) =>
      addBaseline(this.db, {
        kind: req.kind,
        src: req.src ?? null,
        dst: req.dst,
        owner: req.owner,
        note: req.note,
        expectedPeriod: req.expectedPeriod ?? null,
        expectedBytesOut: req.expectedBytesOut ?? null,
        expectedAt: req.expectedAt ?? null,
      }).catch((e: Error) => {
        throw new ValidationError(e.message);
      }),
    baselineRemove: async (req) => ({ removed: await removeBaseline(this.db, req.id) }),
    importPaths: async (req) => {
      const report = await importPaths(this.db, req.paths, { onProgress: this.opts.onProgress });
      this.scanCache = null;
      return report;
    },
  };

  close(): void {
    this.db.close();
  }
}

/**
 * The rows of a pair-detail query (finding-events.sql / pair-connections.sql) as ConnectionRows.
 * DuckDB serializes them to one JSON text (tens of thousands of rows cross into JS as one value
 * instead of one call per cell, ~5× faster); builds without DuckDB's JSON functions take the
 * rows one by one.
 */
export async function connectionRows(
  db: Database,
  query: string,
  params: Record<string, DuckDBValue>,
  viaJson = true,
): Promise<{ rows: ConnectionRow[]; total: number }> {
  const toRow = (r: Record<string, unknown>, tsUs: bigint): ConnectionRow => ({
    connId: (r.conn_id as string | null) ?? null,
    ts: microsToIso(tsUs),
    src: String(r.src_ip),
    srcPort: num(r.src_port),
    dst: String(r.dst_ip),
    dstPort: num(r.dst_port),
    proto: (r.proto as string | null) ?? null,
    service: (r.service as string | null) ?? null,
    duration: num(r.duration),
    bytesOut: num(r.orig_bytes),
    bytesIn: num(r.resp_bytes),
    ipBytesOut: num(r.orig_ip_bytes),
    ipBytesIn: num(r.resp_ip_bytes),
    connState: (r.conn_state as string | null) ?? null,
  });
  try {
    if (!viaJson) throw new Error('json: rows asked for one by one');
    // Epoch microseconds stay below 2^53 until the year 2255: exact as JSON numbers.
    const r = await db.one<{ j: string | null; total: bigint | null }>(
      `SELECT to_json(list(x ORDER BY x.ts_us)) AS j, max(x.total) AS total FROM (${query}) x`,
      params,
    );
    const list = JSON.parse(r?.j ?? '[]') as (Record<string, unknown> & { ts_us: number })[];
    return { rows: list.map((x) => toRow(x, BigInt(x.ts_us))), total: num(r?.total) ?? 0 };
  } catch (e) {
    if (!/to_json|json/i.test((e as Error).message)) throw e;
    const rows = await db.all<Record<string, unknown>>(query, params);
    return { rows: rows.map((x) => toRow(x, x.ts_us as bigint)), total: num(rows[0]?.total) ?? 0 };
  }
}
