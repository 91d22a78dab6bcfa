// What the Electron main process does with one request from the renderer's bridge, kept free of
// Electron imports so tests can drive it exactly as the IPC handler does: check the sender, then
// shell operations (native dialogs) go to the shell, the import progress is answered at once,
// and everything else goes through Engine.handle, which validates it against shared/api.ts.
import { SHELL_OPERATIONS, validateShellRequest, type ShellContract, type ShellOperation } from '../../shared/api.js';
import type { Engine } from '../api/engine.js';
import { unqueued } from '../api/view-handlers.js';
import { isTrustedSender } from './window-options.js';

/** Runs one engine operation: the import progress at once, everything else through Engine.handle. */
export type EngineCall = (op: string, req: unknown) => Promise<unknown>;

/** The engine side of a call, as the engine host process runs it (see engine-host.ts). */
export function engineCall(engine: Engine): EngineCall {
  return async (op, req) => toPlain(await (unqueued(engine, op, req) ?? engine.handle(op, req)));
}

/** The shell's side of the shell operations (native dialogs in main.ts; fakes in tests). */
export type ShellHandlers = { [K in ShellOperation]: (req: ShellContract[K]['req']) => Promise<ShellContract[K]['res']> };

/** A value as it crosses IPC: plain JSON (BIGINT → number), so the renderer gets what fetch would. */
export function toPlain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)) ?? 'null');
}

export function createIpcHandler(call: EngineCall, shell: ShellHandlers) {
  return async (senderUrl: string | undefined, op: unknown, req: unknown): Promise<unknown> => {
    if (!isTrustedSender(senderUrl)) throw new Error('untrusted sender');
    if (typeof op !== 'string') throw new Error('operation must be a string');
    if ((SHELL_OPERATIONS as readonly string[]).includes(op)) {
      const body = validateShellRequest(op, req);
      return toPlain(await (shell[op as ShellOperation] as (r: unknown) => Promise<unknown>)(body));
    }
    // Engine.handle validates the request against the contract before anything runs.
    return toPlain(await call(op, req));
  };
}
