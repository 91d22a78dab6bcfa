// The one typed API between the renderer (or any client) and the engine. The same map is served
// over Electron IPC (main/electron) and over local HTTP in browser mode (main/server), and the
// renderer talks to it only through a `Transport`. Every request is validated by
// `validateRequest` before it reaches the engine, whatever the transport.
import type { ImportReport, PairDetail, ScanResult, TableCounts, FileReport } from './types.js';

export interface ApiContract {
  /** Case status: what is loaded. */
  status: { req: Record<string, never>; res: StatusResponse };
  /** Ranked findings of the loaded case. */
  scan: { req: ScanRequest; res: ScanResult };
  /** One finding with its connections, for the pair-detail views. */
  pairDetail: { req: PairDetailRequest; res: PairDetail };
  /** Load files or folders (paths on the engine's machine) into the case. */
  importPaths: { req: ImportRequest; res: ImportReport };
}

export type Operation = keyof ApiContract;
export type RequestOf<K extends Operation> = ApiContract[K]['req'];
export type ResponseOf<K extends Operation> = ApiContract[K]['res'];

export interface StatusResponse {
  caseName: string;
  tables: TableCounts;
  files: FileReport[];
  version: string;
}

export interface ScanRequest {
  top?: number;
  all?: boolean;
}

export interface PairDetailRequest {
  id: string;
  /** At most this many connections (newest cut); default 50 000. */
  limit?: number;
}

export interface ImportRequest {
  paths: string[];
}

/** What the renderer depends on: one method. IPC and fetch both implement it. */
export interface Transport {
  invoke<K extends Operation>(op: K, req: RequestOf<K>): Promise<ResponseOf<K>>;
}

/** Error shape returned by every transport. */
export interface ApiError {
  error: string;
}

export const OPERATIONS: readonly Operation[] = ['status', 'scan', 'pairDetail', 'importPaths'];

export class ValidationError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(body: Record<string, unknown>, allowed: string[]): void {
  for (const k of Object.keys(body)) {
    if (!allowed.includes(k)) throw new ValidationError(`unknown field "${k}"`);
  }
}

function optInt(body: Record<string, unknown>, key: string, min: number, max: number): void {
  const v = body[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ValidationError(`"${key}" must be an integer from ${min} to ${max}`);
  }
}

/**
 * Checks an untrusted request body against the contract; returns it typed or throws
 * ValidationError. Unknown operations and unknown fields are refused.
 */
export function validateRequest<K extends Operation>(op: string, body: unknown): RequestOf<K> {
  if (!(OPERATIONS as readonly string[]).includes(op)) throw new ValidationError(`unknown operation "${op}"`);
  if (body === undefined || body === null) body = {};
  if (!isObject(body)) throw new ValidationError('request body must be a JSON object');
  switch (op as Operation) {
    case 'status':
      checkKeys(body, []);
      break;
    case 'scan':
      checkKeys(body, ['top', 'all']);
      optInt(body, 'top', 1, 1_000_000);
      if (body.all !== undefined && typeof body.all !== 'boolean') throw new ValidationError('"all" must be a boolean');
      break;
    case 'pairDetail':
      checkKeys(body, ['id', 'limit']);
      if (typeof body.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(body.id)) {
        throw new ValidationError('"id" must be a finding id');
      }
      optInt(body, 'limit', 1, 1_000_000);
      break;
    case 'importPaths':
      checkKeys(body, ['paths']);
      if (
        !Array.isArray(body.paths) ||
        body.paths.length === 0 ||
        body.paths.length > 10_000 ||
        !body.paths.every((p) => typeof p === 'string' && p.length > 0 && p.length < 4096 && !p.includes('\0'))
      ) {
        throw new ValidationError('"paths" must be a non-empty list of file or folder paths');
      }
      break;
  }
  return body as RequestOf<K>;
}
