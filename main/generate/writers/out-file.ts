// A buffered output file, plain or gzip: ASCII lines are copied straight into 1 MB buffers (so
// the strings die young and nothing is joined), and full buffers are handed to the stream with
// back-pressure. Writers never hold a whole log in memory and never write line by line.
import { once } from 'node:events';
import { createWriteStream, mkdirSync, statSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import { constants as zc, createGzip, type Gzip } from 'node:zlib';
import type { Rec } from '../records.js';

export const CHUNK_BYTES = 1 << 20;

export interface WrittenFile {
  path: string;
  format: 'zeek-tsv' | 'zeek-json' | 'suricata-eve';
  logType: string;
  rows: number;
  bytes: number;
}

export class OutFile {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private pos = 0;
  private ready: Buffer[] = [];
  private readonly file: WriteStream;
  private readonly gz: Gzip | null;
  rows = 0;

  constructor(readonly path: string, gzip: boolean, level = zc.Z_DEFAULT_COMPRESSION) {
    mkdirSync(dirname(path), { recursive: true });
    // Room for a few chunks, so generation overlaps with compression and disk writes.
    this.file = createWriteStream(path, { highWaterMark: 4 * CHUNK_BYTES });
    const zopts = { level, chunkSize: 1 << 18, highWaterMark: 4 * CHUNK_BYTES }; // zlib passes stream options on
    this.gz = gzip ? createGzip(zopts) : null;
    if (this.gz) this.gz.pipe(this.file);
  }

  private get sink(): Gzip | WriteStream {
    return this.gz ?? this.file;
  }

  /** Appends ASCII text (the writers escape everything else, as Zeek and Suricata do). */
  write(s: string): void {
    if (this.pos + s.length > this.buf.length) {
      this.rotate();
      if (s.length > this.buf.length) {
        this.ready.push(Buffer.from(s, 'latin1'));
        return;
      }
    }
    this.pos += this.buf.write(s, this.pos, 'latin1');
  }

  /** A data line (counted). */
  line(s: string): void {
    this.write(s);
    this.rows++;
  }

  private rotate(): void {
    if (this.pos > 0) {
      this.ready.push(this.buf.subarray(0, this.pos));
      this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
      this.pos = 0;
    }
  }

  /** Whether full chunks are waiting to be written. */
  get full(): boolean {
    return this.ready.length > 0;
  }

  async flush(all = false): Promise<void> {
    if (all) this.rotate();
    const chunks = this.ready;
    this.ready = [];
    for (const c of chunks) {
      if (!this.sink.write(c)) await once(this.sink, 'drain');
    }
  }

  /** Writes what is left, closes the file and returns its size on disk. */
  async close(): Promise<number> {
    await this.flush(true);
    this.sink.end();
    await finished(this.file);
    return statSync(this.path).size;
  }
}

/** What every format writer offers the generator loop. */
export interface FormatWriter {
  add(r: Rec): void;
  readonly full: boolean;
  flush(): Promise<void>;
  close(): Promise<WrittenFile[]>;
}
