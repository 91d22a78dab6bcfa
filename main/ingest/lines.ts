// Reads a log file as lines, plain or gzip (detected by magic bytes, not by name), with byte
// progress. A gzip stream that ends early still yields every line it held: zlib's sync flush
// hands over what was decompressed, and the file is reported as truncated instead of failing.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { constants as zc, createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export type Compression = 'gzip' | 'none';

export const TRUNCATED_GZIP = 'compressed stream ends early (no gzip trailer); rows before the cut were kept';

export interface LineStreamStatus {
  /** Compressed bytes read so far. */
  bytesRead: number;
  /** Set when a compressed stream ended early or was corrupt after some data. */
  truncated: string | null;
  /** True when the last line had no final newline. */
  noFinalNewline: boolean;
  /** Decompressed bytes so far. */
  decompressed: number;
}

export function newStatus(): LineStreamStatus {
  return { bytesRead: 0, truncated: null, noFinalNewline: false, decompressed: 0 };
}

const GZIP_MAGIC = [0x1f, 0x8b];

export async function detectCompression(path: string): Promise<Compression> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === GZIP_MAGIC[0] && buf[1] === GZIP_MAGIC[1] ? 'gzip' : 'none';
  } finally {
    await fh.close();
  }
}

function openStream(path: string, compression: Compression, status: LineStreamStatus): Readable {
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  raw.on('data', (b) => {
    status.bytesRead += (b as Buffer).length;
  });
  if (compression === 'none') return raw;
  const gunzip = createGunzip({ finishFlush: zc.Z_SYNC_FLUSH });
  raw.on('error', (e) => gunzip.destroy(e));
  return raw.pipe(gunzip);
}

/**
 * Yields batches of lines (without the line end; a CR before LF is removed). Line numbers are the
 * caller's running count: the first line of the file is line 1.
 */
export async function* readLineBatches(
  path: string,
  status: LineStreamStatus,
  compression?: Compression,
): AsyncGenerator<string[]> {
  const comp = compression ?? (await detectCompression(path));
  const stream = openStream(path, comp, status);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  try {
    for await (const chunk of stream) {
      status.decompressed += (chunk as Buffer).length;
      const text = carry + decoder.write(chunk as Buffer);
      const parts = text.split('\n');
      carry = parts.pop() ?? '';
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i];
        if (p.length && p.charCodeAt(p.length - 1) === 13) parts[i] = p.slice(0, -1);
      }
      if (parts.length) yield parts;
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // zlib errors after some data: keep what was read and say the file is damaged.
    if (comp === 'gzip' && (e.code?.startsWith('Z_') || /unexpected end|incorrect header|invalid/i.test(e.message))) {
      status.truncated = `compressed stream is damaged or cut short (${e.message}); rows before the damage were kept`;
    } else {
      throw err;
    }
  }
  carry += decoder.end();
  if (carry.length) {
    status.noFinalNewline = true;
    if (carry.charCodeAt(carry.length - 1) === 13) carry = carry.slice(0, -1);
    yield [carry];
  }
  if (comp === 'gzip' && !status.truncated) {
    // A sync-flushed stream that simply stops does not throw. The gzip trailer's ISIZE (last 4
    // bytes) equals the decompressed size mod 2^32 for a whole single-member file; only when it
    // does not (a cut file, or a multi-member file) pay for a strict second decompression.
    if (!(await trailerMatches(path, status.decompressed)) && !(await gzipHasTrailer(path))) {
      status.truncated = TRUNCATED_GZIP;
    }
  }
}

/** Reads up to `max` decompressed bytes from the start of a file, for sniffing. */
export async function readHead(path: string, max = 64 * 1024): Promise<{ text: string; compression: Compression }> {
  const compression = await detectCompression(path);
  const status = newStatus();
  const stream = openStream(path, compression, status);
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      n += (chunk as Buffer).length;
      if (n >= max) break;
    }
  } catch {
    // A damaged stream still gives its first bytes for sniffing; the load reports the damage.
  } finally {
    stream.destroy();
  }
  const buf = Buffer.concat(chunks).subarray(0, max);
  return { text: new StringDecoder('utf8').write(buf), compression };
}

async function trailerMatches(path: string, decompressed: number): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size < 18) return false;
    const buf = Buffer.alloc(4);
    await fh.read(buf, 0, 4, size - 4);
    return buf.readUInt32LE(0) === decompressed % 2 ** 32;
  } finally {
    await fh.close();
  }
}

/** Whether a gzip file ends in a complete member: decompress fully and see if zlib complains. */
export async function gzipHasTrailer(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const raw = createReadStream(path);
    const gunzip = createGunzip();
    let done = false;
    const finish = (ok: boolean) => {
      if (!done) {
        done = true;
        raw.destroy();
        resolve(ok);
      }
    };
    gunzip.on('error', () => finish(false));
    gunzip.on('end', () => finish(true));
    gunzip.resume();
    raw.pipe(gunzip);
  });
}
