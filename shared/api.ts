// The one typed API between the renderer (or any client) and the engine. The same map is served
// over Electron IPC (main/electron) and over local HTTP in browser mode (main/server), and the
// renderer talks to it only through a `Transport`. Every request is validated by
// `validateRequest` before it reaches the engine, whatever the transport.
import type { BaselineEntry, BaselineKind, FileReport, ImportReport, PairDetail, ScanResult, TableCounts } from './types.js';

export interface ApiContract {
  /** Case status: what is loaded. */
  status: { req: Record<string, never>; res: StatusResponse };
  /** Ranked findings of the loaded case. */
  scan: { req: ScanRequest; res: ScanResult };
  /** One finding with its connections, for the pair-detail views. */
  pairDetail: { req: PairDetailRequest; res: PairDetail };
  /** Load files or folders (paths on the engine's machine) into the case. */
  importPaths: { req: ImportRequest; res: ImportReport };
  /** The baseline / safelist of the case. */
  baselineList: { req: Record<string, never>; res: BaselineEntry[] };
  /** Mark traffic as expected (owner and documented purpose required). */
  baselineAdd: { req: BaselineAddRequest; res: BaselineEntry };
  baselineRemove: { req: { id: string }; res: { removed: boolean } };
}

export interface BaselineAddRequest {
  kind: BaselineKind;
  src?: string | null;
  dst: string;
  owner: string;
  note: string;
  expectedPeriod?: number | null;
  expectedBytesOut?: number | null;
  expectedAt?: string | null;
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

export const OPERATIONS: readonly Operation[] = [
  'status', 'scan', 'pairDetail', 'importPaths', 'baselineList', 'baselineAdd', 'baselineRemove',
];

export class ValidationError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(body: Record<string, unknown>, allowed: string[]): void {
  for (const k of Object.keys(body)) {
    if (!allowed.includes(k)) throw new ValidationError(`unknown field "${k}"`);
  }
}

function optString(body: Record<string, unknown>, key: string, max: number, required = false): void {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new ValidationError(`"${key}" is required`);
    return;
  }
  if (typeof v !== 'string' || v.length > max || (required && v.trim() === '')) {
    throw new ValidationError(`"${key}" must be a string of at most ${max} characters`);
  }
}

function optNumber(body: Record<string, unknown>, key: string): void {
  const v = body[key];
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValidationError(`"${key}" must be a non-negative number`);
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
    case 'baselineList':
      checkKeys(body, []);
      break;
    case 'baselineAdd':
      checkKeys(body, ['kind', 'src', 'dst', 'owner', 'note', 'expectedPeriod', 'expectedBytesOut', 'expectedAt']);
      if (!['ip', 'cidr', 'domain', 'pair', 'src-domain'].includes(body.kind as string)) {
        throw new ValidationError('"kind" must be ip, cidr, domain, pair or src-domain');
      }
      optString(body, 'src', 64);
      optString(body, 'dst', 256, true);
      optString(body, 'owner', 200, true);
      optString(body, 'note', 2000, true);
      optNumber(body, 'expectedPeriod');
      optNumber(body, 'expectedBytesOut');
      optString(body, 'expectedAt', 5);
      break;
    case 'baselineRemove':
      checkKeys(body, ['id']);
      if (typeof body.id !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(body.id)) throw new ValidationError('"id" must be a baseline id');
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
