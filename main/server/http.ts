// Browser mode: the renderer and the API over HTTP on 127.0.0.1 only. Every API request needs
// the per-run token (sent by the page in a header, read from the URL fragment), and every request
// must name this server in its Host header, so another local page or a DNS-rebinding site cannot
// query the case. Static files come from dist/renderer with a strict CSP.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ValidationError } from '../../shared/api.js';
import { NotFoundError, type Engine } from '../api/engine.js';
import { unqueued } from '../api/view-handlers.js';
import { toJson } from '../cli/output.js';

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const TOKEN_HEADER = 'x-metronome-token';
export const FILENAME_HEADER = 'x-metronome-filename';
const MAX_BODY = 1 << 20;
/** Largest file a drag-and-drop upload may send (METRONOME_UPLOAD_LIMIT bytes to change). */
const DEFAULT_UPLOAD_LIMIT = 4 * 1024 ** 3;

/** A safe file name for an upload: the last path part, limited to a plain character set. */
export function uploadName(header: string | string[] | undefined): string {
  let raw = typeof header === 'string' ? header : '';
  try {
    raw = decodeURIComponent(raw);
  } catch {
    // keep the raw header text
  }
  const base = basename(raw.replace(/\\/g, '/'))
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[.]+/, '')
    .slice(0, 120);
  return base || 'upload.log';
}

const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.js.map': { file: 'app.js.map', type: 'application/json' },
  '/styles.css': { file: 'styles.css', type: 'text/css; charset=utf-8' },
};

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

export interface ServeOptions {
  port?: number;
  /** Folder of the built renderer; defaults to dist/renderer. */
  rendererDir?: string;
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8'): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, message: string): void {
  send(res, status, JSON.stringify({ error: message }));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req) {
    n += (c as Buffer).length;
    if (n > MAX_BODY) throw new ValidationError('request body too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tokenMatches(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startServer(engine: Engine, opts: ServeOptions = {}): Promise<RunningServer> {
  const token = randomBytes(24).toString('base64url');
  const rendererDir = opts.rendererDir ?? fileURLToPath(new URL('../../renderer/', import.meta.url));
  let allowedHosts: string[] = [];
  const uploadLimit = Number(process.env.METRONOME_UPLOAD_LIMIT ?? DEFAULT_UPLOAD_LIMIT);
  let uploadRoot: string | null = null;
  let uploads = 0;

  /** Streams a dropped file to a fresh folder under a per-run temp dir; the UI then imports it. */
  async function receiveUpload(req: IncomingMessage): Promise<{ path: string; bytes: number }> {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > uploadLimit) throw new ValidationError(`file larger than the upload limit (${uploadLimit} bytes)`);
    uploadRoot ??= await mkdtemp(join(tmpdir(), 'metronome-uploads-'));
    const dir = join(uploadRoot, String(++uploads));
    await mkdir(dir);
    const path = join(dir, uploadName(req.headers[FILENAME_HEADER]));
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        if (bytes > uploadLimit) cb(new ValidationError(`file larger than the upload limit (${uploadLimit} bytes)`));
        else cb(null, chunk);
      },
    });
    try {
      await pipeline(req, counter, createWriteStream(path, { flags: 'wx' }));
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
    return { path, bytes };
  }

  const server = createServer(async (req, res) => {
    try {
      if (!allowedHosts.includes(req.headers.host ?? '')) return sendError(res, 403, 'unexpected Host header');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/upload') {
        if (req.method !== 'POST') return sendError(res, 405, 'uploads are POST');
        if (!tokenMatches(req.headers[TOKEN_HEADER], token)) return sendError(res, 401, 'missing or wrong token');
        if (!(req.headers['content-type'] ?? '').startsWith('application/octet-stream')) {
          return sendError(res, 415, 'uploads send application/octet-stream');
        }
        return send(res, 200, JSON.stringify(await receiveUpload(req)));
      }
      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST') return sendError(res, 405, 'API calls are POST');
        if (!tokenMatches(req.headers[TOKEN_HEADER], token)) return sendError(res, 401, 'missing or wrong token');
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
          return sendError(res, 415, 'API calls send application/json');
        }
        const op = url.pathname.slice('/api/'.length);
        const text = await readBody(req);
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : {};
        } catch {
          return sendError(res, 400, 'request body is not JSON');
        }
        // Progress of a running import is answered at once; everything else waits its turn.
        const result = await (unqueued(engine, op, body) ?? engine.handle(op, body));
        return send(res, 200, toJson(result));
      }
      const s = STATIC[url.pathname];
      if (!s || (req.method !== 'GET' && req.method !== 'HEAD')) return sendError(res, 404, 'not found');
      return send(res, 200, await readFile(join(rendererDir, s.file), 'utf8'), s.type);
    } catch (e) {
      if (e instanceof ValidationError) return sendError(res, 400, e.message);
      if (e instanceof NotFoundError) return sendError(res, 404, e.message);
      return sendError(res, 500, (e as Error).message);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // 127.0.0.1 only: never another interface.
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  return {
    url: `http://127.0.0.1:${port}/#t=${token}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((resolve) => server.close(() => resolve())).then(async () => {
        if (uploadRoot) await rm(uploadRoot, { recursive: true, force: true });
      }),
  };
}
