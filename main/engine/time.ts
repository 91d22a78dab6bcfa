// DuckDB time values → contract times.
import { DuckDBTimestampValue } from '@duckdb/node-api';
import { microsToIso } from '../../shared/time.js';

export function toIso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof DuckDBTimestampValue) return microsToIso(v.micros);
  if (typeof v === 'bigint') return microsToIso(v);
  if (typeof v === 'object' && v !== null && 'micros' in v) return microsToIso((v as { micros: bigint }).micros);
  throw new Error(`not a timestamp: ${String(v)}`);
}
