// Packet captures (.pcap, .pcapng, also gzip-compressed), read through tshark. The plugin sniffs
// the capture magic number, then streams the (decompressed) file into `tshark -r -` on its
// standard input: no shell, arguments as an array, the path never reaches tshark, `-n` so no
// name is ever resolved over the network. tshark prints each packet's fields as one JSON line
// (`-T ek`), and the flow table (pcap/flows.ts) turns packets into connections, DNS lookups,
// HTTP requests and TLS client hellos, read line by line (the output is never buffered whole).
//
// Where tshark is not installed the file is refused with one line saying what to install.
// A capture cut short (or damaged) keeps the packets before the cut and says so in a warning;
// one with no readable packet at all is an error.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { constants as zc, createGunzip } from 'node:zlib';
import type { ReadContext, SniffResult, SourcePlugin } from './source.js';
import { TSHARK_FIELDS, type Layers } from './pcap/fields.js';
import { FlowTable } from './pcap/flows.js';
import { captureKindFromBytes, captureKindFromText } from './pcap/magic.js';
import { findTshark, TSHARK_MISSING } from './pcap/tshark.js';

export { TSHARK_MISSING } from './pcap/tshark.js';

/** Progress of one capture: packets tshark has decoded, file bytes fed to it so far. */
export interface PcapProgress {
  packets: number;
  bytesRead: number;
  bytesTotal: number;
}

/**
 * What the pcap reader uses beyond ReadContext when the importer offers it (optional, so the
 * plugin works with today's interface): a cancel signal and a progress callback.
 */
/** The shared ReadContext carries the signal and the byte/packet progress callback. */
export type PcapReadContext = ReadContext;

const HEAD_BYTES = 64 * 1024;
const PROGRESS_MS = 250;
const STDERR_MAX = 64 * 1024;

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** First bytes of the capture (decompressed when the file is gzip). */
async function readCaptureHead(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  let gzip: boolean;
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    gzip = isGzip(b.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
  const raw = createReadStream(path, { end: gzip ? undefined : HEAD_BYTES - 1 });
  const s: Readable = gzip ? raw.pipe(createGunzip({ finishFlush: zc.Z_SYNC_FLUSH })) : raw;
  if (gzip) raw.on('error', (e) => s.destroy(e));
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const c of s) {
      chunks.push(c as Buffer);
      n += (c as Buffer).length;
      if (n >= HEAD_BYTES) break;
    }
  } catch {
    // A damaged gzip still gives its first bytes; tshark reports the damage.
  } finally {
    s.destroy();
    raw.destroy();
  }
  return Buffer.concat(chunks).subarray(0, HEAD_BYTES);
}

/**
 * How far tshark has read the file. Its stdin is our descriptor, so on Linux the shared file
 * offset shows in /proc/self/fdinfo; elsewhere the position is unknown (null).
 */
function sharedOffset(fd: number): number | null {
  try {
    const m = /^pos:\s*(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

interface RunResult {
  code: number | null;
  /** tshark's own messages (its "running as root" notice removed). */
  messages: string[];
  /** Fields this tshark does not know (it refuses to start when asked for them). */
  invalidFields: string[];
}

function tsharkArgs(fields: readonly string[]): string[] {
  return [
    '-n', // no name resolution: never touch the network
    '-Q', // only real errors on stderr
    '-r', '-', // the capture comes on stdin
    '--enable-protocol', 'communityid',
    '-T', 'ek',
    ...fields.flatMap((f) => ['-e', f]),
  ];
}

function parseMessages(stderr: string): { messages: string[]; invalidFields: string[] } {
  const lines = stderr.split(/\r?\n/);
  const messages: string[] = [];
  const invalidFields: string[] = [];
  let inInvalid = false;
  for (const line of lines) {
    if (/^Running as user /.test(line) || line.trim() === '') continue;
    if (/Some fields aren't valid/i.test(line)) {
      inInvalid = true;
      continue;
    }
    if (inInvalid && /^\s/.test(line)) {
      invalidFields.push(line.trim());
      continue;
    }
    inInvalid = false;
    messages.push(line.replace(/^tshark:\s*/, '').trim());
  }
  return { messages, invalidFields };
}

async function runTshark(
  tshark: string,
  fields: readonly string[],
  ctx: PcapReadContext,
  flows: FlowTable,
  bytesTotal: number,
): Promise<RunResult> {
  const { signal } = ctx;
  signal?.throwIfAborted();
  // The file itself is tshark's standard input (a socket or pipe from Node would not do: tshark
  // reads stdin as a file and refuses sockets). Only the descriptor is handed over, never the
  // path. tshark decompresses gzip itself.
  const fh = await open(ctx.path, 'r');
  try {
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      child = spawn(tshark, tsharkArgs(fields), { stdio: [fh.fd, 'pipe', 'pipe'], windowsHide: true }) as ChildProcessByStdio<null, Readable, Readable>;
    } catch (e) {
      throw startError(tshark, e as NodeJS.ErrnoException);
    }
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (e) => reject(e));
    });
    const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      if (stderr.length < STDERR_MAX) stderr += s;
    });
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', kill, { once: true });
    try {
      try {
        await spawned;
      } catch (e) {
        throw startError(tshark, e as NodeJS.ErrnoException);
      }
      const decoder = new StringDecoder('utf8');
      let carry = '';
      let lastProgress = 0;
      const progress = (done = false) =>
        ctx.onProgress?.({
          packets: flows.stats.packets,
          bytesRead: done ? bytesTotal : Math.min(bytesTotal, sharedOffset(fh.fd) ?? 0),
          bytesTotal,
        });
      const handle = (line: string) => {
        if (line.length === 0 || line.startsWith('{"index"')) return;
        let obj: { layers?: Layers };
        try {
          obj = JSON.parse(line) as { layers?: Layers };
        } catch (e) {
          ctx.sink.reject(flows.stats.packets + 1, `tshark printed a line that is not JSON (${(e as Error).message})`);
          return;
        }
        if (obj.layers) flows.packet(obj.layers);
      };
      try {
        for await (const chunk of child.stdout) {
          signal?.throwIfAborted();
          const text = carry + decoder.write(chunk as Buffer);
          const parts = text.split('\n');
          carry = parts.pop() ?? '';
          for (const p of parts) handle(p);
          const now = Date.now();
          if (now - lastProgress >= PROGRESS_MS) {
            lastProgress = now;
            progress();
          }
        }
        signal?.throwIfAborted();
        carry += decoder.end();
        if (carry) handle(carry);
      } catch (e) {
        kill();
        throw e;
      }
      const code = await closed;
      progress(true);
      return { code, ...parseMessages(stderr) };
    } finally {
      signal?.removeEventListener('abort', kill);
      kill();
    }
  } finally {
    await fh.close();
  }
}

function startError(tshark: string, err: NodeJS.ErrnoException): Error {
  if (err.code === 'ENOENT') return new Error(TSHARK_MISSING);
  return new Error(`could not start tshark (${tshark}): ${err.message}`);
}

/** The plugin; it also accepts the raw head bytes and the extra context when offered. */
export interface PcapPlugin extends SourcePlugin {
  sniff(head: string, baseName: string, bytes?: Uint8Array): SniffResult;
  read(ctx: PcapReadContext): Promise<void>;
}

export const pcap: PcapPlugin = {
  format: 'pcap',

  sniff(head: string, _baseName: string, bytes?: Uint8Array): SniffResult {
    const kind = bytes ? captureKindFromBytes(bytes) : captureKindFromText(head);
    if (kind === 'pcap') return { ok: true, why: 'a libpcap capture (magic number at the start)' };
    if (kind === 'pcapng') return { ok: true, why: 'a pcapng capture (section header block at the start)' };
    return { ok: false, why: 'no pcap/pcapng magic number at the start' };
  },

  async read(ctx: PcapReadContext): Promise<void> {
    const tshark = findTshark();
    if (!tshark) throw new Error(TSHARK_MISSING);
    const head = await readCaptureHead(ctx.path);
    if (!captureKindFromBytes(head)) throw new Error('not a pcap or pcapng capture (no capture magic number at the start)');
    const bytesTotal = (await stat(ctx.path)).size;
    // conn_id prefix: the same capture (even recompressed) gives the same ids, so loading it
    // twice does not count its connections twice; two captures do not collide.
    const prefix = `P${createHash('sha1').update(head).digest('hex').slice(0, 8)}`;
    ctx.sink.logType('pcap');
    const flows = new FlowTable(ctx.sink, ctx.fileId, prefix);
    let fields: string[] = [...TSHARK_FIELDS];
    let result = await runTshark(tshark, fields, ctx, flows, bytesTotal);
    if (result.invalidFields.length && flows.stats.packets === 0) {
      // An older tshark without some field (JA3, Community ID, …): run again without them.
      const bad = new Set(result.invalidFields);
      fields = fields.filter((f) => !bad.has(f));
      ctx.sink.warn(`this tshark does not know ${[...bad].join(', ')}; those values are left empty`);
      result = await runTshark(tshark, fields, ctx, flows, bytesTotal);
    }
    flows.finish();

    const n = flows.stats.packets;
    const msg = result.messages.join(' ').replace(/The (file "[^"]*"|standard input)/g, 'the capture');
    const cut = /cut short in the middle of a packet/i.test(msg);
    const damaged = /damaged or corrupt|bad (record|block)/i.test(msg);
    if (result.code === 0 && !msg) {
      if (n === 0) ctx.sink.warn('the capture holds no packets');
      return;
    }
    if (n === 0 && result.code !== 0) {
      throw new Error(cut || damaged ? `capture is unreadable: ${msg}` : `tshark failed (exit ${result.code}): ${msg || 'no message'}`);
    }
    if (cut) ctx.sink.warn(`capture is cut short in the middle of a packet; the ${n} packets before the cut were loaded`);
    else if (damaged) ctx.sink.warn(`capture is damaged after packet ${n} (tshark: ${msg}); the packets before the damage were loaded`);
    else if (result.code !== 0) ctx.sink.warn(`tshark stopped after packet ${n} (exit ${result.code}): ${msg || 'no message'}`);
    else if (msg) ctx.sink.warn(`tshark: ${msg}`);
  },
};
