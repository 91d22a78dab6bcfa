// The renderer's only way to reach the engine. In Electron the preload exposes `window.metronome`
// (contextBridge → IPC); in browser mode (`metronome serve`) requests go over fetch to the local
// server with the session token taken from the URL fragment. Everything above this file depends
// only on the `Transport` interface from shared/api.ts.
import type { Operation, RequestOf, ResponseOf, Transport } from '../shared/api.js';

/** What the Electron preload puts on `window` (see main/electron). */
export interface MetronomeBridge {
  invoke(op: string, req: unknown): Promise<unknown>;
  on?(channel: string, cb: (...args: unknown[]) => void): unknown;
}

declare global {
  interface Window {
    metronome?: MetronomeBridge;
  }
}

export const TOKEN_HEADER = 'X-Metronome-Token';

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

/**
 * The transport for this window: the Electron bridge when the preload installed one, else fetch
 * to the serving origin. The token is read once, kept only in this closure and removed from the
 * address bar (so it does not end up in bookmarks, history or screenshots).
 */
export function createTransport(): Transport {
  if (typeof window !== 'undefined' && window.metronome && typeof window.metronome.invoke === 'function') {
    return createIpcTransport(window.metronome);
  }
  const { token, rest } = takeTokenFromHash(window.location.hash);
  if (token !== null) {
    try {
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${rest}`);
    } catch {
      // Not fatal: the token simply stays visible.
    }
  }
  return createFetchTransport(token);
}
