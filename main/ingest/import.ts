// Import orchestration: expand paths, hash each file (re-importing the same content adds
// nothing), pick a plugin by sniffing, stream rows into staging tables through DuckDB appenders,
// then merge into the case with de-duplication. One file's failure never stops the batch.
import { DuckDBTimestampValue, LIST, VARCHAR, type DuckDBAppender, type DuckDBValue } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { COUNTED_TABLES, TABLES, type Row, type TableDef } from '../../shared/schema.js';
import type { FileReport, ImportProgress, ImportReport, SourceFormat, TableCounts } from '../../shared/types.js';
import { countRows, createTableSql, num, type Database } from '../engine/db.js';
import { toIso } from '../engine/time.js';
import { newStatus, readHead, readLineBatches } from './lines.js';
import { choosePlugin } from './registry.js';
import type { BulkOutcome, RowSink } from './source.js';

/** How many line errors a report lists per file (all are counted; more are stored in `rejects`). */
export const REPORTED_ERRORS = 10;
const STORED_REJECTS = 1000;

export interface ImportOptions {
  as?: SourceFormat;
  onProgress?: (p: ImportProgress) => void;
  /** Stops the import between files, and the current file where its reader supports it. */
  signal?: AbortSignal;
}

/** Files under the given paths (folders recursively, in name order; dot-files skipped). */
export async function expandPaths(paths: string[]): Promise<{ files: string[]; errors: FileReport[] }> {
  const files: string[] = [];
  const errors: FileReport[] = [];
  async function walk(p: string): Promise<void> {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      errors.push(refused(p, `cannot read: ${(e as Error).message}`));
      return;
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = (await readdir(p)).sort();
      } catch (e) {
        errors.push(refused(p, `cannot read folder: ${(e as Error).message}`));
        return;
      }
      for (const n of names) if (!n.startsWith('.')) await walk(join(p, n));
    } else if (st.isFile()) {
      files.push(p);
    }
  }
  for (const p of paths) await walk(resolve(p));
  return { files, errors };
}

function refused(path: string, reason: string): FileReport {
  return {
    path, format: null, logType: null, rows: 0, rejected: 0, skipped: false, reason,
    errors: [], warnings: [], start: null, end: null, bytes: 0,
  };
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

function stageName(t: TableDef): string {
  return `stage_${t.name}`;
}

const VARCHAR_LIST = LIST(VARCHAR);

/** Appends rows to a staging table in the table's column order. */
class StagingSink implements RowSink {
  rejected = 0;
  errors: { line: number; reason: string }[] = [];
  stored: { line: number; reason: string }[] = [];
  warnings: string[] = [];
  logTypes = new Set<string>();
  added = new Map<string, number>();
  unusedRows = 0;

  constructor(private appenders: Map<string, DuckDBAppender>) {}

  add(table: TableDef, row: Row): void {
    const ap = this.appenders.get(table.name);
    if (!ap) throw new Error(`no staging table for ${table.name}`);
    const cols = table.columns;
    for (let i = 0; i < cols.length; i++) {
      const v = row[i];
      if (v === null || v === undefined) {
        ap.appendNull();
        continue;
      }
      switch (cols[i].type) {
        case 'TIMESTAMP':
          ap.appendTimestamp(new DuckDBTimestampValue(v as bigint));
          break;
        case 'BIGINT':
          ap.appendBigInt(typeof v === 'bigint' ? v : BigInt(v as number));
          break;
        case 'INTEGER':
          ap.appendInteger(v as number);
          break;
        case 'DOUBLE':
          ap.appendDouble(v as number);
          break;
        case 'BOOLEAN':
          ap.appendBoolean(v as boolean);
          break;
        case 'VARCHAR[]':
          ap.appendList(v as string[], VARCHAR_LIST);
          break;
        default:
          ap.appendVarchar(v as string);
      }
    }
    ap.endRow();
    this.added.set(table.name, (this.added.get(table.name) ?? 0) + 1);
  }

  reject(line: number, reason: string): void {
    this.rejected++;
    if (this.errors.length < REPORTED_ERRORS) this.errors.push({ line, reason });
    if (this.stored.length < STORED_REJECTS) this.stored.push({ line, reason });
  }

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  logType(type: string): void {
    this.logTypes.add(type);
  }

  unused(_type: string, rows: number): void {
    this.unusedRows += rows;
  }
}

export async function tableCounts(db: Database): Promise<TableCounts> {
  const counts: Record<string, number> = {};
  for (const name of COUNTED_TABLES) {
    counts[name] = await countRows(db, name);
  }
  return counts as unknown as TableCounts;
}

/**
 * What makes two rows of a table the same record (cli-contract counting rules): the same
 * connection loaded twice — the same file again, a copy with extra columns, or Zeek and
 * Suricata logs of the same traffic — counts once. Rows without a connection id are never merged.
 */
const SAME_RECORD: Record<string, string> = {
  // Two clauses, each an equi-join DuckDB can hash (an OR would force a nested loop).
  connections: 'c.conn_id = s.conn_id AND c.ts = s.ts',
  connectionsByCommunityId: `c.community_id = s.community_id AND c.file_id <> s.file_id
    AND abs(epoch(c.ts) - epoch(s.ts)) <= 1`,
  dns: 'c.conn_id = s.conn_id AND c.ts = s.ts AND c.trans_id IS NOT DISTINCT FROM s.trans_id AND c.query IS NOT DISTINCT FROM s.query',
  http: 'c.conn_id = s.conn_id AND c.ts = s.ts AND c.method IS NOT DISTINCT FROM s.method AND c.uri IS NOT DISTINCT FROM s.uri',
  tls: 'c.conn_id = s.conn_id AND c.ts = s.ts',
  alerts: 'c.conn_id = s.conn_id AND c.ts = s.ts AND c.signature_id IS NOT DISTINCT FROM s.signature_id',
};

/** Merge a staged file into the case; returns rows added per table and open rows superseded. */
async function mergeStage(db: Database): Promise<{ added: Map<string, number>; superseded: number; staged: number }> {
  const added = new Map<string, number>();
  let superseded = 0;
  let staged = 0;
  for (const t of TABLES) {
    const stage = stageName(t);
    const inStage = await countRows(db, stage);
    staged += inStage;
    if (inStage === 0) {
      added.set(t.name, 0);
      continue;
    }
    const before = await countRows(db, t.name);
    // A record can only equal one with the same start time (or within a second, by community
    // ID): the case rows outside the staged time span are never read. Rotated logs are in time
    // order, so zone maps skip nearly every row group and the merge of the 100th hourly file
    // costs what the first did, instead of growing with the case.
    const span = await db.one<{ lo: unknown; hi: unknown }>(
      `SELECT min(ts) - INTERVAL 1 SECOND AS lo, max(ts) + INTERVAL 1 SECOND AS hi FROM ${stage}`,
    );
    const within = span?.lo === null || span?.lo === undefined ? 'true' : `c.ts BETWEEN $lo AND $hi`;
    const spanParams = within === 'true' ? undefined : { lo: span?.lo as DuckDBValue, hi: span?.hi as DuckDBValue };
    // The first file into an empty table has nothing to be a duplicate of (and, without open
    // rows, nothing to supersede): a plain insert spares the anti-joins on big first imports.
    const openRows = t.name === 'connections' ? await countRows(db, `${stage} WHERE is_open`) : 0;
    if (before === 0 && openRows === 0) {
      await db.run(`INSERT INTO ${t.name} SELECT * FROM ${stage}`);
    } else if (t.name === 'connections') {
      // Zeek open_conn: a later row with the same uid and start (open or closed) supersedes an
      // open one, so a connection is counted once, with its final values.
      await db.run(`DELETE FROM connections c USING ${stage} s
        WHERE ${within} AND c.is_open AND c.conn_id = s.conn_id AND c.ts = s.ts`, spanParams);
      superseded = before - (await countRows(db, t.name));
      // Within one file, a closed row wins over an open row of the same connection.
      await db.run(`INSERT INTO connections SELECT s.* FROM ${stage} s
        WHERE (s.conn_id IS NULL OR (
            NOT EXISTS (SELECT 1 FROM connections c WHERE ${within} AND ${SAME_RECORD.connections})
            AND NOT EXISTS (SELECT 1 FROM ${stage} o WHERE o.conn_id = s.conn_id AND o.ts = s.ts AND o.is_open < s.is_open)))
          AND (s.community_id IS NULL OR NOT EXISTS (SELECT 1 FROM connections c WHERE ${within} AND ${SAME_RECORD.connectionsByCommunityId}))`, spanParams);
    } else if (SAME_RECORD[t.name]) {
      await db.run(`INSERT INTO ${t.name} SELECT s.* FROM ${stage} s
        WHERE s.conn_id IS NULL OR NOT EXISTS (SELECT 1 FROM ${t.name} c WHERE ${within} AND ${SAME_RECORD[t.name]})`, spanParams);
    } else {
      await db.run(`INSERT INTO ${t.name} SELECT * FROM ${stage}`);
    }
    added.set(t.name, (await countRows(db, t.name)) - before + (t.name === 'connections' ? superseded : 0));
  }
  return { added, superseded, staged };
}

/** Records how long each phase of a file's import took (ms), for benchmarks and the UI. */
function phaseTimer(report: FileReport): (phase: string) => void {
  let t = performance.now();
  report.timings = {};
  return (phase) => {
    const now = performance.now();
    report.timings![phase] = Math.round(now - t);
    t = now;
  };
}

/** Files at least this large try the DuckDB-native path (METRONOME_BULK_MIN_BYTES overrides). */
export const BULK_MIN_BYTES = 1 << 20;

function bulkMinBytes(): number {
  const v = Number(process.env.METRONOME_BULK_MIN_BYTES);
  return Number.isFinite(v) && v >= 0 && process.env.METRONOME_BULK_MIN_BYTES !== '' && process.env.METRONOME_BULK_MIN_BYTES !== undefined ? v : BULK_MIN_BYTES;
}

export async function importFile(db: Database, path: string, opts: ImportOptions = {}, index = 0, count = 1): Promise<FileReport> {
  const report = refused(path, '');
  report.reason = null;
  let size: number;
  try {
    size = (await stat(path)).size;
    report.bytes = size;
  } catch (e) {
    return refused(path, `cannot read: ${(e as Error).message}`);
  }
  let head: string;
  const lap = phaseTimer(report);
  // The same content has the same size: when no file of this size is in the case yet, the file
  // cannot be a re-import, and its hash (for the next import) is computed while it loads.
  const sameSize = await db.one<{ n: bigint }>('SELECT count(*) AS n FROM files WHERE bytes = $size', { size });
  let hashing: Promise<string> | null = null;
  try {
    if ((num(sameSize?.n) ?? 0) > 0) {
      hashing = sha256File(path);
      const sha = await hashing;
      const prior = await db.one<{ path: string }>('SELECT path FROM files WHERE sha256 = $sha LIMIT 1', { sha });
      if (prior) {
        report.skipped = true;
        report.reason = `already in this case (same content as ${prior.path})`;
        return report;
      }
      lap('hash');
    }
    head = (await readHead(path)).text;
  } catch (e) {
    return { ...refused(path, `cannot read: ${(e as Error).message}`), bytes: size };
  }
  const choice = choosePlugin(head, basename(path), opts.as);
  if (!choice.plugin) {
    report.reason = choice.why;
    return report;
  }
  report.format = choice.plugin.format;
  if (hashing === null) {
    // Started only for a file a plugin takes (a refused file is not read twice).
    hashing = sha256File(path);
    hashing.catch(() => {}); // awaited when the file is recorded; a read error surfaces there
  }

  lap('sniff');
  const fileId = (num((await db.one<{ id: number }>('SELECT coalesce(max(file_id), 0) + 1 AS id FROM files'))?.id) ?? 1);
  for (const t of TABLES) {
    await db.run(createTableSql(t, stageName(t), true));
    await db.run(`DELETE FROM ${stageName(t)}`);
  }
  const appenders = new Map<string, DuckDBAppender>();
  for (const t of TABLES) appenders.set(t.name, await db.conn.createAppender(stageName(t), 'main', 'temp'));
  const sink = new StagingSink(appenders);
  const status = newStatus();
  const total = () => [...sink.added.values()].reduce((a, b) => a + b, 0);
  async function* progressLines() {
    for await (const batch of readLineBatches(path, status)) {
      yield batch;
      opts.onProgress?.({ path, fileIndex: index, fileCount: count, bytesRead: status.bytesRead, bytesTotal: size, rows: total() });
    }
  }
  let bulk: BulkOutcome = false;
  try {
    // The DuckDB-native path first for large files; it stages nothing when it declines.
    // An empty case table takes the file's rows directly (nothing to de-duplicate against yet).
    const intoCase = async (table: string) => TABLES.some((t) => t.name === table) && (await countRows(db, table)) === 0;
    bulk = size >= bulkMinBytes() && choice.plugin.bulk
      ? await choice.plugin.bulk({ db, path, head, baseName: basename(path), fileId, sink, intoCase })
      : false;
    report.how = `${choice.why}; ${bulk ? "read by DuckDB's CSV reader" : 'read line by line'}`;
    if (bulk) {
      opts.onProgress?.({ path, fileIndex: index, fileCount: count, bytesRead: size, bytesTotal: size, rows: 0 });
    } else {
      await choice.plugin.read({
        path, baseName: basename(path), fileId, lines: progressLines(), sink, signal: opts.signal,
        onProgress: (p) => opts.onProgress?.({ path, fileIndex: index, fileCount: count, bytesRead: p.bytesRead, bytesTotal: p.bytesTotal, rows: total(), packets: p.packets }),
      });
    }
  } catch (e) {
    for (const ap of appenders.values()) ap.closeSync();
    report.reason = `could not be read: ${(e as Error).message}`;
    return report;
  }
  for (const ap of appenders.values()) ap.closeSync();
  if (status.truncated) sink.warn(status.truncated);

  lap('read');
  const { added, superseded, staged } = await mergeStage(db);
  for (const [table, rows] of Object.entries(bulk ? bulk.direct : {})) added.set(table, (added.get(table) ?? 0) + rows);
  lap('merge');
  report.rows = [...added.values()].reduce((a, b) => a + b, 0);
  if (superseded) sink.warn(`${superseded} still-open connections were superseded by their later rows`);
  if (staged > report.rows) sink.warn(`${staged - report.rows} rows were already in the case (same records) and were not added again`);
  if (sink.unusedRows) sink.warn(`${sink.unusedRows} ${sink.unusedRows === 1 ? 'row' : 'rows'} of a log type Metronome does not use yet ${sink.unusedRows === 1 ? 'was' : 'were'} not loaded`);
  report.rejected = sink.rejected;
  report.errors = sink.errors;
  report.warnings = sink.warnings;
  report.logType = sink.logTypes.size > 1 ? 'mixed' : ([...sink.logTypes][0] ?? null);
  if (report.rows === 0 && staged === 0 && sink.rejected > 0 && sink.unusedRows === 0) {
    report.reason = 'no row could be read: every data line was rejected';
  }
  // Kept records (stats, capture_loss) carry the sensor's wall clock, not the traffic's time.
  const spanSql = TABLES.filter((t) => t.name !== 'other_logs')
    .map((t) => `SELECT min(ts) AS a, max(ts) AS b FROM ${t.name} WHERE file_id = $id`)
    .join(' UNION ALL ');
  const span = await db.one<{ a: unknown; b: unknown }>(`SELECT min(a) AS a, max(b) AS b FROM (${spanSql})`, { id: fileId });
  report.start = toIso(span?.a);
  report.end = toIso(span?.b);
  let sha: string;
  try {
    sha = await hashing;
  } catch (e) {
    // Loaded, but the file could not be read again for its hash (removed or changed meanwhile).
    sha = '';
    sink.warn(`could not hash the file (${(e as Error).message}): importing it again will not be recognised as a re-import`);
    report.warnings = sink.warnings;
  }
  await db.run(
    `INSERT INTO files (file_id, path, sha256, format, log_type, bytes, rows, rejected, first_ts, last_ts)
     SELECT $id, $path, $sha, $format, $logType, $bytes, $rows, $rejected, min(a), max(b) FROM (${spanSql})`,
    {
      id: fileId, path, sha, format: report.format, logType: report.logType, bytes: size,
      rows: report.rows, rejected: report.rejected,
    },
  );
  lap('record');
  for (const r of sink.stored) {
    await db.run('INSERT INTO rejects VALUES ($id, $line, $reason)', { id: fileId, line: r.line, reason: r.reason });
  }
  return report;
}

export async function importPaths(db: Database, paths: string[], opts: ImportOptions = {}): Promise<ImportReport> {
  const { files, errors } = await expandPaths(paths);
  const reports: FileReport[] = [...errors];
  for (let i = 0; i < files.length; i++) {
    if (opts.signal?.aborted) {
      reports.push(refused(files[i], 'import cancelled before this file'));
      continue;
    }
    reports.push(await importFile(db, files[i], opts, i, files.length));
  }
  return { files: reports, tables: await tableCounts(db) };
}
