// The renderer's only way to reach the engine. In Electron the preload exposes `window.metronome`
// (contextBridge → IPC); in browser mode (`metronome serve`) requests go over fetch to the local
// server with the session token taken from the URL fragment. Everything above this file depends
// only on the `Transport` interface from shared/api.ts.
import type { Operation, RequestOf, ResponseOf, ShellOperation, ShellRequestOf, ShellResponseOf, Transport } from '../shared/api.js';

/** What the Electron preload puts on `window` (see main/electron/preload.ts). */
export interface MetronomeBridge {
  invoke(op: string, req: unknown): Promise<unknown>;
  /** Events pushed by the desktop shell (menu commands); returns an unsubscribe function. */
  on?(listener: (event: ShellEvent) => void): () => void;
}

/** An event from the desktop shell's menus (main/electron/main.ts). */
export interface ShellEvent {
  type: string;
  data: unknown;
}

/** The renderer's transport: the contract's `invoke`, plus what only one mode can do. */
export interface AppTransport extends Transport {
  mode: 'desktop' | 'browser';
  /** Desktop: shell operations (file dialogs) handled by the Electron main process. */
  shell?<K extends ShellOperation>(op: K, req: ShellRequestOf<K>): Promise<ShellResponseOf<K>>;
  /** Desktop: menu commands. */
  onShellEvent?(listener: (e: ShellEvent) => void): () => void;
  /** Browser mode: sends a dropped file to the engine machine; resolves with its path there. */
  upload?(file: File, onProgress?: (sent: number, total: number) => void): Promise<{ path: string; bytes: number }>;
}

declare global {
  interface Window {
    metronome?: MetronomeBridge;
  }
}

export const TOKEN_HEADER = 'X-Metronome-Token';
export const FILENAME_HEADER = 'X-Metronome-Filename';

/** Turns anything thrown or returned as `{ error }` into an Error carrying the engine's message. */
function toError(value: unknown, fallback: string): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'object' && value !== null && typeof (value as { error?: unknown }).error === 'string') {
    return new Error((value as { error: string }).error);
  }
  if (typeof value === 'string' && value) return new Error(value);
  return new Error(fallback);
}

/** A bare `{ error: "..." }` object is an error answer; no response type of the contract has that shape. */
function isErrorShape(value: unknown): value is { error: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'error' && typeof (value as { error: unknown }).error === 'string';
}

export function createIpcTransport(bridge: MetronomeBridge): Transport {
  return {
    async invoke<K extends Operation>(op: K, req: RequestOf<K>): Promise<ResponseOf<K>> {
      let res: unknown;
      try {
        res = await bridge.invoke(op, req);
      } catch (err) {
        const e = toError(err, `${op} failed`);
        // Electron prefixes rejections from ipcMain.handle; keep only the engine's message.
        e.message = e.message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '');
        throw e;
      }
      if (isErrorShape(res)) throw new Error(res.error);
      return res as ResponseOf<K>;
    },
  };
}

/**
 * Reads the session token from a fragment like `#t=TOKEN` (other fragment parameters are kept)
 * and returns it with the fragment that should remain visible.
 */
export function takeTokenFromHash(hash: string): { token: string | null; rest: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('t');
  params.delete('t');
  const rest = params.toString();
  return { token: token && token.length > 0 ? token : null, rest: rest ? `#${rest}` : '' };
}

export function createFetchTransport(token: string | null, base = ''): Transport {
  return {
    async invoke<K extends Operation>(op: K, req: RequestOf<K>): Promise<ResponseOf<K>> {
      if (!token) {
        throw new Error('No session token. Open the full URL printed by `metronome serve` (it ends in #t=…).');
      }
      let res: Response;
      try {
        res = await fetch(`${base}/api/${encodeURIComponent(op)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify(req ?? {}),
          cache: 'no-store',
          credentials: 'omit',
        });
      } catch {
        throw new Error('Cannot reach the Metronome engine. Is `metronome serve` still running?');
      }
      let body: unknown = null;
      const text = await res.text();
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = null;
        }
      }
      if (!res.ok) {
        if (res.status === 401 && !isErrorShape(body)) {
          throw new Error('The session token was refused. Open the URL printed by `metronome serve` again.');
        }
        throw toError(body, `${op} failed: HTTP ${res.status}`);
      }
      if (isErrorShape(body)) throw new Error(body.error);
      return body as ResponseOf<K>;
    },
  };
}

/** Uploads one file with XMLHttpRequest (fetch reports no upload progress). */
export function uploadFile(
  token: string | null,
  file: File,
  onProgress?: (sent: number, total: number) => void,
  base = '',
): Promise<{ path: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    if (!token) {
      reject(new Error('No session token. Open the full URL printed by `metronome serve` (it ends in #t=…).'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${base}/upload`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader(TOKEN_HEADER, token);
    xhr.setRequestHeader(FILENAME_HEADER, encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new Error('Cannot reach the Metronome engine. Is `metronome serve` still running?'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body && typeof (body as { path?: unknown }).path === 'string') {
        resolve(body as { path: string; bytes: number });
      } else {
        reject(toError(body, `upload failed: HTTP ${xhr.status}`));
      }
    };
    xhr.send(file);
  });
}

/**
 * The transport for this window: the Electron bridge when the preload installed one, else fetch
 * to the serving origin. The token is read once, kept only in this closure and removed from the
 * address bar (so it does not end up in bookmarks, history or screenshots).
 */
export function createTransport(): AppTransport {
  if (typeof window !== 'undefined' && window.metronome && typeof window.metronome.invoke === 'function') {
    const bridge = window.metronome;
    const ipc = createIpcTransport(bridge);
    return {
      mode: 'desktop',
      invoke: ipc.invoke,
      shell: (op, req) => ipc.invoke(op as unknown as Operation, req as never) as never,
      onShellEvent: bridge.on ? (listener) => bridge.on!(listener) : undefined,
    };
  }
  const { token, rest } = takeTokenFromHash(window.location.hash);
  if (token !== null) {
    try {
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${rest}`);
    } catch {
      // Not fatal: the token simply stays visible.
    }
  }
  const fetcher = createFetchTransport(token);
  return {
    mode: 'browser',
    invoke: fetcher.invoke,
    upload: (file, onProgress) => uploadFile(token, file, onProgress),
  };
}
