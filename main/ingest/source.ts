// The source-plugin interface. A plugin sniffs a file's first bytes (can I read this?) and, when
// chosen, reads its lines into normalized rows through a RowSink. Adding a format (proxy logs,
// firewall CSV) = one module implementing SourcePlugin, registered in registry.ts.
import type { SourceFormat } from '../../shared/types.js';
import type { Row, TableDef } from '../../shared/schema.js';
import type { Database } from '../engine/db.js';

export interface SniffResult {
  ok: boolean;
  /** Why the plugin took or refused the file, in words a user understands. */
  why: string;
}

export interface RowSink {
  /** A normalized row for a table (values in the table's column order). */
  add(table: TableDef, row: Row): void;
  /** A malformed line: counted and reported with its line number. */
  reject(line: number, reason: string): void;
  /** A non-fatal notice about the file (reported once per distinct message). */
  warn(message: string): void;
  /** The log type of the rows that follow (`conn`, `dns`, `eve`, …). */
  logType(type: string): void;
  /** Rows of a recognised log type that Metronome does not load. */
  unused(type: string, rows: number): void;
}

export interface ReadContext {
  path: string;
  baseName: string;
  fileId: number;
  /** Batches of lines; the first line of the file is line 1. */
  lines: AsyncIterable<string[]>;
  sink: RowSink;
  /** Cancels a long read (plugins that run a child process kill it). */
  signal?: AbortSignal;
  /** Progress of plugins that read the file themselves instead of `lines` (pcap). */
  onProgress?: (p: { bytesRead: number; bytesTotal: number; packets?: number }) => void;
}

export interface BulkContext {
  db: Database;
  path: string;
  head: string;
  baseName: string;
  fileId: number;
  sink: RowSink;
  /**
   * Whether rows of this case table may be written straight into it rather than staged: true
   * when the table is still empty, so the merge would have nothing to de-duplicate against.
   */
  intoCase(table: string): Promise<boolean>;
}

/** What a bulk load did: false = declined (nothing staged); else rows written into case tables directly. */
export type BulkOutcome = false | { direct: Record<string, number> };

export interface SourcePlugin {
  format: SourceFormat;
  sniff(head: string, baseName: string): SniffResult;
  read(ctx: ReadContext): Promise<void>;
  /**
   * Optional fast path: load the whole file into the staging tables (or, where `intoCase`
   * allows, the case tables) with DuckDB itself. Returns false (having written nothing) when the
   * file needs the streaming reader.
   */
  bulk?(ctx: BulkContext): Promise<BulkOutcome>;
}
