// DuckDB access: one instance per case, opened with a bounded memory limit, a spill directory
// and extension auto-install/auto-load switched off (Metronome never touches the network).
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES, type TableDef } from '../../shared/schema.js';
import { createTriageSchema } from '../triage/schema.js';
import { ensureContextTables } from './context-store.js';

/**
 * Default memory limit. DuckDB's own default is 80 % of RAM, which on a laptop starves the UI and
 * the OS. Measured on a 10 M-connection case (2 cores): 2 GB gave a peak of 3.3 GB for the whole
 * process (DuckDB plus the scan's JS heap and scoring workers), 1.5 GB gave 2.9 GB in the same
 * time; large cases spill to the temp directory. Override with METRONOME_MEMORY_LIMIT (any
 * DuckDB size string, e.g. "4GB").
 */
export const DEFAULT_MEMORY_LIMIT = '1.5GB';

export interface OpenOptions {
  /** Case file; ':memory:' (default) for a throwaway case. */
  path?: string;
  memoryLimit?: string;
  threads?: number;
}

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];

export class Database {
  private constructor(
    readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    readonly path: string,
  ) {}

  static async open(opts: OpenOptions = {}): Promise<Database> {
    const path = opts.path ?? ':memory:';
    const memoryLimit = opts.memoryLimit ?? process.env.METRONOME_MEMORY_LIMIT ?? DEFAULT_MEMORY_LIMIT;
    if (!/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(memoryLimit)) {
      throw new Error(`invalid memory limit "${memoryLimit}" (expected e.g. 2GB)`);
    }
    const spill = mkdtempSync(join(tmpdir(), 'metronome-spill-'));
    const config: Record<string, string> = {
      memory_limit: memoryLimit,
      temp_directory: spill,
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      // Ordering of appended rows is not needed and costs memory on big inserts.
      preserve_insertion_order: 'false',
    };
    if (opts.threads) config.threads = String(opts.threads);
    const instance = await DuckDBInstance.create(path, config);
    const conn = await instance.connect();
    const db = new Database(instance, conn, path);
    await db.createSchema();
    return db;
  }

  private async createSchema(): Promise<void> {
    for (const t of TABLES) await this.run(createTableSql(t));
    await this.run(`CREATE TABLE IF NOT EXISTS files (
      file_id INTEGER PRIMARY KEY,
      path VARCHAR NOT NULL,
      sha256 VARCHAR NOT NULL,
      format VARCHAR,
      log_type VARCHAR,
      bytes BIGINT,
      rows BIGINT,
      rejected BIGINT,
      first_ts TIMESTAMP,
      last_ts TIMESTAMP,
      imported_at TIMESTAMP DEFAULT current_timestamp
    )`);
    await this.run(`CREATE TABLE IF NOT EXISTS baseline (
      id VARCHAR PRIMARY KEY,
      kind VARCHAR NOT NULL,
      src VARCHAR,
      dst VARCHAR NOT NULL,
      owner VARCHAR NOT NULL,
      note VARCHAR NOT NULL,
      expected_period DOUBLE,
      expected_bytes_out DOUBLE,
      expected_at VARCHAR,
      created_at TIMESTAMP DEFAULT current_timestamp
    )`);
    await this.run(`CREATE TABLE IF NOT EXISTS rejects (
      file_id INTEGER NOT NULL,
      line BIGINT NOT NULL,
      reason VARCHAR NOT NULL
    )`);
    await createTriageSchema(this);
    await ensureContextTables(this);
  }

  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.conn.run(sql, params);
  }

  /** Rows as plain objects; BIGINT values arrive as bigint (convert before JSON). */
  async all<T = Record<string, DuckDBValue>>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(sql, params);
    return reader.getRowObjects() as T[];
  }

  async one<T = Record<string, DuckDBValue>>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

export function createTableSql(t: TableDef, name = t.name, temp = false): string {
  const cols = t.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  return `CREATE ${temp ? 'TEMP ' : ''}TABLE IF NOT EXISTS ${name} (${cols})`;
}

/** Rows of a table (or of `table WHERE …`, a fragment the caller builds from its own names). */
export async function countRows(db: Database, table: string): Promise<number> {
  return num((await db.one<{ n: bigint }>(`SELECT count(*) AS n FROM ${table}`))?.n) ?? 0;
}

/** DuckDB values → JSON-safe numbers (BIGINT arrives as bigint). */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
