// The DuckDB-native path for Zeek TSV: DuckDB's parallel CSV reader parses the file (plain or
// gzip) and the same column specs the streaming reader uses (zeek-records.ts) become SQL, so a
// large conn.log loads near the speed of DuckDB itself. It takes only the common, clean case:
// one header block at the top, TAB separator, no \xNN escapes, every value valid. Anything else
// (a second header block, an escape, a bad value) returns 'fallback' and the streaming reader,
// which reports every bad line exactly, loads the file instead. Field-count errors are reported
// here with their line numbers, as DuckDB's rejects table gives them.
import { TABLES } from '../../shared/schema.js';
import { countRows, type Database, type SqlParams } from '../engine/db.js';
import { detectCompression, gzipHasTrailer, TRUNCATED_GZIP } from './lines.js';
import type { RowSink } from './source.js';
import { parseSeparatorValue, unescapeZeek } from './zeek-escape.js';
import { logTypeFromKeys, normalizeFieldName, ZEEK_MAPPERS, type ColumnSpec } from './zeek-records.js';

export interface TsvHeader {
  sep: string;
  setSep: string;
  empty: string;
  unset: string;
  path: string | null;
  fields: string[];
  types: string[] | null;
  /** Lines before the first data line. */
  headerLines: number;
  /** Every data line ends with one extra TAB (an empty extra field). */
  trailingTab: boolean;
}

/** Reads the header block at the top of a file from its first bytes; null when unusual. */
export function leadingHeader(head: string): TsvHeader | null {
  const lines = head.split('\n');
  const h: TsvHeader = { sep: '\t', setSep: ',', empty: '(empty)', unset: '-', path: null, fields: [], types: null, headerLines: 0, trailingTab: false };
  let i = 0;
  for (; i < lines.length - 1; i++) {
    // A header line may start with stray white space (slips' test10 conn.log starts with a TAB).
    const line = lines[i].replace(/\r$/, '').trimStart();
    if (!line.startsWith('#')) break;
    if (line.startsWith('#separator ')) {
      h.sep = parseSeparatorValue(line.slice('#separator '.length));
      continue;
    }
    const [key, ...rest] = line.split(h.sep);
    if (key === '#set_separator') h.setSep = unescapeZeek(rest[0] ?? ',');
    else if (key === '#empty_field') h.empty = unescapeZeek(rest[0] ?? '(empty)');
    else if (key === '#unset_field') h.unset = unescapeZeek(rest[0] ?? '-');
    else if (key === '#path') h.path = rest[0] ?? null;
    else if (key === '#fields') h.fields = rest.map(normalizeFieldName);
    else if (key === '#types') h.types = rest;
  }
  // The first data line must be complete inside the sniffed head, and no CR line ends (the
  // streaming reader strips them; here they would stick to the last column).
  if (i >= lines.length - 1 || !h.fields.length || h.sep !== '\t' || lines[i].endsWith('\r')) return null;
  const first = lines[i].split('\t');
  if (first.length === h.fields.length + 1 && first[first.length - 1] === '') h.trailingTab = true;
  else if (first.length !== h.fields.length) return null;
  h.headerLines = i;
  return h;
}

/** SQL for one column spec; `$unset`, `$empty`, `$setsep`, `$file_id` are parameters. */
function columnSql(c: ColumnSpec, col: (field: string) => string | null): { expr: string; bad: string | null } {
  switch (c.kind) {
    case 'const':
      return { expr: c.value === null ? 'NULL' : c.value ? 'true' : 'false', bad: null };
    case 'fileId':
      return { expr: '$file_id::INTEGER', bad: null };
    case 'sensor': {
      const parts = ['_node_name', '_system_name'].map(col).filter((x): x is string => x !== null);
      return { expr: parts.length ? `coalesce(${parts.map((p) => `nullif(nullif(${p}, $unset), $empty)`).join(', ')})` : 'NULL::VARCHAR', bad: null };
    }
    case 'logType':
    case 'record':
      throw new Error('kept logs are not loaded by the SQL path');
  }
  const cols = c.fields.map(col).filter((x): x is string => x !== null);
  if (!cols.length) {
    const required = c.kind === 'time' || c.kind === 'addr';
    return { expr: 'NULL', bad: required ? 'true' : null };
  }
  // First present (set) field, as the streaming reader does.
  const x = cols.length === 1 ? cols[0] : `coalesce(${cols.map((p) => `nullif(${p}, $unset)`).join(', ')})`;
  const set = `(${x} IS NOT NULL AND ${x} <> $unset)`;
  const str = `CASE WHEN ${x} IS NULL OR ${x} = $unset THEN NULL WHEN ${x} = $empty THEN '' ELSE ${x} END`;
  const matches = (re: string) => `regexp_full_match(${x}, '${re}')`;
  let expr: string;
  let valid: string;
  switch (c.kind) {
    case 'string':
      return { expr: str, bad: null };
    case 'lower':
      return { expr: `lower(${str})`, bad: null };
    case 'list':
      return {
        expr: `CASE WHEN ${x} IS NULL OR ${x} = $unset THEN NULL WHEN ${x} = $empty THEN []::VARCHAR[] ELSE string_split(${x}, $setsep) END`,
        bad: null,
      };
    // TRY_CAST is strict for these types (DuckDB refuses '12.5' as an integer) and far cheaper
    // than a regular expression per value. The INSERT's guard raises an error on every `bad`
    // row, so the value expressions may assume a set value is valid: TRY_CAST of the unset
    // marker is NULL, and each value is validated once, not once more in its expression.
    case 'time':
    case 'optTime': {
      // DECIMAL(18,6) keeps every microsecond Zeek wrote (a double would round the last digit);
      // seconds and fraction are scaled apart because dec × 10^6 would overflow DECIMAL(18)
      // (a wider DECIMAL doubles the cost of the whole load).
      const dec = `TRY_CAST(${x} AS DECIMAL(18,6))`;
      expr = `make_timestamp(CAST(trunc(${dec}) AS BIGINT) * 1000000 + CAST((${dec} - trunc(${dec})) * 1000000 AS BIGINT))`;
      return { expr, bad: c.kind === 'time' ? `${dec} IS NULL` : `${set} AND ${dec} IS NULL` };
    }
    case 'count':
      return { expr: `TRY_CAST(${x} AS UBIGINT)::BIGINT`, bad: `${set} AND TRY_CAST(${x} AS UBIGINT) IS NULL` };
    case 'int32':
      return { expr: `TRY_CAST(TRY_CAST(${x} AS UINTEGER) AS INTEGER)`, bad: `${set} AND TRY_CAST(TRY_CAST(${x} AS UINTEGER) AS INTEGER) IS NULL` };
    case 'port':
      return { expr: `TRY_CAST(${x} AS USMALLINT)::INTEGER`, bad: `${set} AND TRY_CAST(${x} AS USMALLINT) IS NULL` };
    case 'interval':
      valid = `isfinite(TRY_CAST(${x} AS DOUBLE))`;
      return { expr: `TRY_CAST(${x} AS DOUBLE)`, bad: `${set} AND NOT coalesce(${valid}, false)` };
    case 'addr':
      // IPv4 is by far the most common: the IPv6 pattern runs only for values with a colon.
      valid = `CASE WHEN contains(${x}, ':') THEN ${matches('[0-9a-fA-F:.]+(%[A-Za-z0-9_.-]+)?')} ELSE ${matches('((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])')} END`;
      return { expr: `lower(${x})`, bad: `NOT coalesce(${valid}, false)` };
    case 'bool':
      return { expr: `CASE ${x} WHEN 'T' THEN true WHEN 'F' THEN false END`, bad: `${set} AND ${x} NOT IN ('T', 'F')` };
  }
}

export type BulkResult = { status: 'loaded'; table: string; staged: number; direct: boolean } | { status: 'fallback'; why: string };

let seq = 0;

/** DuckDB refuses named parameters a statement does not use: pass only those it names. */
function used(sql: string, params: Record<string, string | number>): SqlParams {
  return Object.fromEntries(Object.entries(params).filter(([k]) => new RegExp(`\\$${k}\\b`).test(sql)));
}

/** Raised inside the INSERT by DuckDB's error() when a row needs the streaming reader. */
const FALLBACK = 'metronome-fallback:';

/**
 * Loads a Zeek TSV file with DuckDB's reader in one pass: read_csv → column specs → INSERT, in a
 * transaction. A row the fast path cannot take (an \xNN escape, a malformed value, a second
 * header block) raises error() inside the statement, the transaction rolls back, and the caller
 * falls back to the streaming reader, which reports every bad line exactly. `intoCase` says the
 * case's table for this log type is empty, so rows go straight into it instead of the staging
 * table (the merge has nothing to de-duplicate against): one write of the data instead of three.
 */
export async function bulkLoadZeekTsv(
  db: Database,
  path: string,
  head: string,
  logTypeFromName: string | null,
  fileId: number,
  sink: RowSink,
  intoCase: (table: string) => Promise<boolean> = async () => false,
): Promise<BulkResult> {
  const h = leadingHeader(head);
  if (!h) return { status: 'fallback', why: 'header not in the common form' };
  let type = h.path ?? logTypeFromName;
  if (!h.path && !(type && type in ZEEK_MAPPERS)) type = logTypeFromKeys(new Set(h.fields)) ?? type;
  if (h.path === 'conn' && logTypeFromName === 'open_conn') type = 'open_conn';
  const mapper = type ? ZEEK_MAPPERS[type] : undefined;
  if (!type || !mapper || mapper.spec.columns.some((c) => c.kind === 'logType' || c.kind === 'record')) {
    return { status: 'fallback', why: 'log type not loaded by the SQL path' };
  }
  if (!TABLES.includes(mapper.table)) throw new Error(`unknown table ${mapper.table.name}`);
  const n = h.fields.length + (h.trailingTab ? 1 : 0);
  const index = new Map(h.fields.map((f, i) => [f, i]));
  const col = (field: string) => (index.has(field) ? `c${index.get(field)}` : null);
  const rejects = `raw_tsv_rejects_${++seq}`;
  const scans = `raw_tsv_scans_${seq}`;
  const columns = Array.from({ length: n }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  // DuckDB reads a gzip cut short without a word; check the stream on the side (zlib runs on
  // Node's thread pool, beside DuckDB's threads) so the file is still reported as truncated.
  const intact = (await detectCompression(path)) === 'gzip' ? gzipHasTrailer(path) : Promise.resolve(true);
  const specs = mapper.spec.columns.map((c) => columnSql(c, col));
  // Escapes matter only in text values; an escape in a number or address fails its validation.
  const textCols = mapper.spec.columns
    .filter((c): c is Extract<ColumnSpec, { fields: string[] }> => c.kind === 'string' || c.kind === 'lower' || c.kind === 'list')
    .flatMap((c) => c.fields.map(col))
    .filter((x): x is string => x !== null);
  const any = (conds: string[]) => (conds.length ? conds.map((c) => `(${c})`).join(' OR ') : 'false');
  // A '#' line read as data is a second header block (a trailing #close has too few fields and
  // lands in the rejects table instead).
  const escapes = any(textCols.map((x) => `contains(${x}, '\\x')`));
  const bad = any(specs.map((s) => s.bad).filter((b): b is string => b !== null));
  const guard = `CASE WHEN starts_with(c0, '#') THEN error('${FALLBACK} more than one header block')
    WHEN ${escapes} THEN error('${FALLBACK} values carry \\xNN escapes')
    WHEN ${bad} THEN error('${FALLBACK} some values are malformed') ELSE true END`;
  const direct = type !== 'open_conn' && (await intoCase(mapper.table.name));
  const target = direct ? mapper.table.name : `stage_${mapper.table.name}`;
  const params = { unset: h.unset, empty: h.empty, setsep: h.setSep, file_id: fileId, path, skip: h.headerLines };
  const insertSql = `INSERT INTO ${target} SELECT ${specs.map((s) => s.expr).join(', ')}
    FROM read_csv($path, delim = '\t', quote = '', escape = '', header = false,
         skip = $skip, auto_detect = false, columns = {${columns}}, store_rejects = true,
         rejects_table = '${rejects}', rejects_scan = '${scans}', null_padding = false, compression = 'auto')
    WHERE ${guard}`;
  const before = direct ? await countRows(db, target) : 0;
  await db.run('BEGIN TRANSACTION');
  let open = true;
  const rollback = async () => {
    if (open) await db.run('ROLLBACK');
    open = false;
  };
  try {
    try {
      await db.run(insertSql, used(insertSql, params));
    } catch (e) {
      const m = (e as Error).message;
      const i = m.indexOf(FALLBACK);
      if (i < 0) throw e;
      await rollback();
      return { status: 'fallback', why: m.slice(i + FALLBACK.length).trim().split('\n')[0] };
    }
    const rejected = await db.all<{ line: bigint; error_message: string; csv_line: string | null }>(
      // DuckDB logs one error per missing column of a short line: one per line is enough.
      `SELECT line, arg_min(error_message, column_idx) AS error_message, any_value(csv_line) AS csv_line
       FROM ${rejects} GROUP BY line ORDER BY line`,
    );
    const closes = rejected.filter((r) => (r.csv_line ?? '').startsWith('#')).map((r) => (r.csv_line ?? '').split('\t')[0]);
    if (closes.length > 1 || (closes.length === 1 && closes[0] !== '#close')) {
      await rollback();
      return { status: 'fallback', why: 'more than one header block' };
    }
    const staged = (await countRows(db, target)) - before;
    await db.run('COMMIT');
    open = false;
    for (const r of rejected) {
      if ((r.csv_line ?? '').startsWith('#')) continue;
      const found = /Found: (\d+)/.exec(r.error_message)?.[1];
      sink.reject(Number(r.line), found ? `expected ${h.fields.length} fields, found ${found}${Number(found) < h.fields.length ? ' (line cut short?)' : ''}` : r.error_message);
    }
    sink.logType(type);
    if (!(await intact)) sink.warn(TRUNCATED_GZIP);
    if (type === 'open_conn' && h.path === 'conn') {
      sink.warn('file is named open_conn but its header says #path conn: rows read as still-open connections');
    }
    return { status: 'loaded', table: mapper.table.name, staged, direct };
  } finally {
    await rollback();
    await db.run(`DROP TABLE IF EXISTS ${rejects}`);
    await db.run(`DROP TABLE IF EXISTS ${scans}`);
  }
}
