// Log types Metronome recognises but does not load (Zeek dhcp, dpd, weird, …) leave no rows in
// the case, so their time span is read back from the source file: every data line's `ts` goes
// into a temp table beside the loaded rows, and the coverage queries treat both alike.
// (A better home for this is the import, which could store each unused log's span; see
// the coverage report's `loaded: false` entries.)
import { DuckDBTimestampValue } from '@duckdb/node-api';
import { access } from 'node:fs/promises';
import type { Database } from '../engine/db.js';
import { newStatus, readLineBatches } from '../ingest/lines.js';

export interface UnusedFile {
  fileId: number;
  path: string;
  format: string | null;
  logType: string;
}

export interface FileSpanResult {
  fileId: number;
  rows: number;
  error: string | null;
}

function unescapeSeparator(v: string): string {
  return v.replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** Zeek time: epoch seconds (TSV, JSON) or ISO 8601 (json-iso-timestamps); micros or null. */
export function zeekTsMicros(v: unknown): bigint | null {
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.round(v * 1e6));
  if (typeof v !== 'string' || v === '' || v === '-') return null;
  if (/^-?\d+(\.\d+)?$/.test(v)) {
    const [i, f = ''] = v.split('.');
    return BigInt(i) * 1_000_000n + (i.startsWith('-') ? -1n : 1n) * BigInt((f + '000000').slice(0, 6));
  }
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? BigInt(ms) * 1000n : null;
}

export const EXTRA_TABLE = 'coverage_extra';

export async function createExtraTable(db: Database): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE ${EXTRA_TABLE} (type VARCHAR, ts TIMESTAMP, sensor VARCHAR, file_id INTEGER)`);
}

/** Reads the `ts` of every data line of an unused Zeek log into the extra table. */
export async function readFileSpan(db: Database, f: UnusedFile): Promise<FileSpanResult> {
  try {
    await access(f.path);
  } catch {
    return { fileId: f.fileId, rows: 0, error: `${f.path} is no longer on disk` };
  }
  const ap = await db.conn.createAppender(EXTRA_TABLE, 'main', 'temp');
  let rows = 0;
  const add = (ts: bigint, sensor: string | null) => {
    ap.appendVarchar(f.logType);
    ap.appendTimestamp(new DuckDBTimestampValue(ts));
    if (sensor) ap.appendVarchar(sensor);
    else ap.appendNull();
    ap.appendInteger(f.fileId);
    ap.endRow();
    rows++;
  };
  try {
    let sep = '\t';
    let unset = '-';
    let tsAt = -1;
    let nodeAt = -1;
    for await (const batch of readLineBatches(f.path, newStatus())) {
      for (const line of batch) {
        if (!line) continue;
        if (f.format === 'zeek-json' || line.startsWith('{')) {
          let o: Record<string, unknown>;
          try {
            o = JSON.parse(line) as Record<string, unknown>;
          } catch {
            continue;
          }
          const ts = zeekTsMicros(o.ts);
          const node = o._node_name ?? o._system_name;
          if (ts !== null) add(ts, typeof node === 'string' && node ? node : null);
          continue;
        }
        if (line.startsWith('#')) {
          if (line.startsWith('#separator')) sep = unescapeSeparator(line.slice('#separator'.length).trim()) || '\t';
          else {
            const parts = line.split(sep);
            if (parts[0] === '#unset_field') unset = parts[1] ?? '-';
            if (parts[0] === '#fields') {
              const fields = parts.slice(1);
              tsAt = fields.indexOf('ts');
              nodeAt = fields.findIndex((x) => x === '_node_name' || x === '_system_name');
            }
          }
          continue;
        }
        if (tsAt < 0) continue;
        const values = line.split(sep);
        const ts = zeekTsMicros(values[tsAt]);
        const node = nodeAt >= 0 ? values[nodeAt] : undefined;
        if (ts !== null) add(ts, node && node !== unset ? node : null);
      }
    }
  } catch (e) {
    return { fileId: f.fileId, rows, error: `${f.path}: ${(e as Error).message}` };
  } finally {
    ap.closeSync();
  }
  return { fileId: f.fileId, rows, error: null };
}
