// The engine's own process in the desktop app (Electron utilityProcess): DuckDB queries and the
// scoring loops run here, so a long scan never blocks the main process (menus, dialogs, window)
// nor the renderer. Messages: { id, op, req } in; { id, ok, value } or { id, ok: false, error } out.
// Free of Electron imports: in a utility process the parent port is `process.parentPort`.
import { Engine } from '../api/engine.js';
import { engineCall, type EngineCall } from './ipc.js';

export interface HostRequest {
  id: number;
  op: string;
  req: unknown;
}

export type HostReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

/** Answers one message; never throws (errors become { ok: false, error }). */
export async function answer(call: EngineCall, msg: unknown): Promise<HostReply | null> {
  if (typeof msg !== 'object' || msg === null) return null;
  const { id, op, req } = msg as Partial<HostRequest>;
  if (typeof id !== 'number') return null;
  try {
    if (typeof op !== 'string') throw new Error('operation must be a string');
    return { id, ok: true, value: await call(op, req) };
  } catch (e) {
    return { id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export function serve(port: ParentPort, paths: string[], casePath?: string): void {
  const ready = Engine.open({ path: casePath || undefined }).then(engineCall);
  ready.catch((e: Error) => {
    process.stderr.write(`metronome engine: ${e.message}\n`);
    process.exit(1);
  });
  // Listen at once: requests that arrive while the case opens wait for it.
  port.on('message', (e) => {
    void ready.then((call) => answer(call, e.data)).then((reply) => reply && port.postMessage(reply));
  });
  // Logs named on the command line load first (requests queue behind them in the engine).
  if (paths.length) void ready.then((call) => call('importWithProgress', { paths })).catch(() => undefined);
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (parentPort) serve(parentPort, process.argv.slice(2).filter((a) => !a.startsWith('-')), process.env.METRONOME_CASE);
