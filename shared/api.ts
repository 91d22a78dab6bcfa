// The one typed API between the renderer (or any client) and the engine. The same map is served
// over Electron IPC (main/electron) and over local HTTP in browser mode (main/server), and the
// renderer talks to it only through a `Transport`. Every request is validated by
// `validateRequest` before it reaches the engine, whatever the transport.
import type {
  Annotation,
  BaselineEntry,
  BaselineKind,
  Explanation,
  FileReport,
  ImportReport,
  ImportStatus,
  LineError,
  Overview,
  PairDetail,
  PairSeries,
  RecentCase,
  RecordKind,
  RecordPage,
  ScanResult,
  TableCounts,
} from './types.js';
import type { CoverageReport, EvidencePackage, TriageChange, TriageRecord, TriageState } from './types.js';

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

  // Hunting views (main/api/view-handlers.ts).
  /** Chart data of one finding in a time range: timeline, intervals, clock heatmap, timing. */
  pairSeries: { req: PairSeriesRequest; res: PairSeries };
  /** Raw records related to one finding: its connections, DNS lookups, HTTP requests, TLS, alerts. */
  pairRecords: { req: PairRecordsRequest; res: RecordPage };
  /** Interval heatmap of the top findings (rows) over time bins (columns). */
  overview: { req: OverviewRequest; res: Overview };
  /** "Why not?": every finding and unscored key matching a host, pair, range or name. */
  explain: { req: ExplainRequest; res: Explanation };
  /** Raw records filtered by host, IP, CIDR, port, time range and text. */
  searchRecords: { req: SearchRecordsRequest; res: RecordPage };
  annotationsList: { req: Record<string, never>; res: Annotation[] };
  /** Sets a finding's tags and note (empty tags and note remove the annotation). */
  annotate: { req: AnnotateRequest; res: Annotation | null };
  /** Like importPaths, with progress readable through importStatus while it runs. */
  importWithProgress: { req: ImportRequest; res: ImportReport };
  /** Progress of the running import; answered at once, even while the import holds the engine. */
  importStatus: { req: Record<string, never>; res: ImportStatus };
  /** Every rejected line of an imported file (the import report lists the first few). */
  fileRejects: { req: FileRejectsRequest; res: { path: string; total: number; errors: LineError[] } };
  /** Writes the case (tables, baseline, annotations) to a DuckDB file. */
  caseSave: { req: CasePathRequest; res: { path: string; bytes: number } };
  /** Replaces the loaded case with the one in a DuckDB file written by caseSave or --db. */
  caseOpen: { req: CasePathRequest; res: StatusResponse };
  recentCases: { req: Record<string, never>; res: RecentCase[] };

  // From finding to response (main/coverage, main/triage, main/evidence).
  /** Telemetry coverage and blind spots of the loaded case. */
  coverage: { req: Record<string, never>; res: CoverageReport };
  /** A finding's triage record (state `new` when never triaged). */
  triageGet: { req: { id: string }; res: TriageRecord };
  /** Changes a finding's state, owner or notes; `expected` needs owner and note and adds a baseline entry. */
  triageSet: { req: TriageSetRequest; res: TriageRecord };
  /** Every change of a finding's triage record, oldest first. */
  triageHistory: { req: { id: string }; res: TriageChange[] };
  /** Every triaged finding's record, latest change first. */
  triageList: { req: Record<string, never>; res: TriageRecord[] };
  /** Writes the evidence package of one finding into a folder (created; an older package is replaced only with force). */
  exportEvidence: { req: ExportEvidenceRequest; res: EvidencePackage };
}

export interface TriageSetRequest {
  id: string;
  state?: TriageState;
  /** Business owner (required with state `expected`). */
  owner?: string;
  /** A note to add (with state `expected`: the documented purpose, required). */
  note?: string;
  /** Who makes the change. */
  by?: string;
}

export interface ExportEvidenceRequest {
  id: string;
  /** Folder to write (paths on the engine's machine). */
  out: string;
  force?: boolean;
}

export interface PairSeriesRequest {
  id: string;
  /** Range, epoch ms; default the finding's whole extent. */
  from?: number;
  to?: number;
  /** Pixel columns of the timeline: above this many events the engine aggregates per column. */
  width?: number;
  /** IANA zone of the hour-of-day heatmap (default UTC). */
  zone?: string;
  intervalScale?: 'linear' | 'log';
  /** Only the timeline (the findings list's preview): no intervals, heatmap, rhythm or counts. */
  timelineOnly?: boolean;
}

export interface PairRecordsRequest {
  id: string;
  kind: RecordKind;
  from?: number;
  to?: number;
  offset?: number;
  limit?: number;
}

export interface OverviewRequest {
  /** Rows: the best N findings (default 40). */
  top?: number;
  /** Columns (default 200). */
  bins?: number;
  minScore?: number;
}

export interface ExplainRequest {
  query: string;
}

export interface SearchRecordsRequest {
  kind: RecordKind;
  /** An address on either side. */
  ip?: string;
  /** A range on either side (shared/net.ts rules). */
  cidr?: string;
  /** Destination port. */
  port?: number;
  from?: number;
  to?: number;
  /** Case-insensitive substring of the record's names, URIs, agents, signatures. */
  text?: string;
  offset?: number;
  limit?: number;
}

export interface AnnotateRequest {
  findingId: string;
  tags: string[];
  note: string;
}

export interface FileRejectsRequest {
  path: string;
  offset?: number;
  limit?: number;
}

export interface CasePathRequest {
  path: string;
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

/**
 * Desktop-shell operations: handled by the Electron main process itself (native dialogs), never
 * by the engine. Validated there with validateShellRequest; browser mode has none.
 */
export interface ShellContract {
  /** Native open dialog for log files (or folders); empty when cancelled. */
  'shell:pickLogs': { req: { folders?: boolean }; res: { paths: string[] } };
  /** Native dialog for a case file to open, or to save to; null when cancelled. */
  'shell:pickCase': { req: { save: boolean }; res: { path: string | null } };
}
export type ShellOperation = keyof ShellContract;
export type ShellRequestOf<K extends ShellOperation> = ShellContract[K]['req'];
export type ShellResponseOf<K extends ShellOperation> = ShellContract[K]['res'];
export const SHELL_OPERATIONS: readonly ShellOperation[] = ['shell:pickLogs', 'shell:pickCase'];

/** Checks an untrusted shell request; throws ValidationError. */
export function validateShellRequest<K extends ShellOperation>(op: string, body: unknown): ShellRequestOf<K> {
  if (!(SHELL_OPERATIONS as readonly string[]).includes(op)) throw new ValidationError(`unknown operation "${op}"`);
  if (body === undefined || body === null) body = {};
  if (!isObject(body)) throw new ValidationError('request body must be a JSON object');
  if (op === 'shell:pickLogs') {
    checkKeys(body, ['folders']);
    if (body.folders !== undefined && typeof body.folders !== 'boolean') throw new ValidationError('"folders" must be a boolean');
  } else {
    checkKeys(body, ['save']);
    if (typeof body.save !== 'boolean') throw new ValidationError('"save" must be a boolean');
  }
  return body as ShellRequestOf<K>;
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
  'pairSeries', 'pairRecords', 'overview', 'explain', 'searchRecords', 'annotationsList', 'annotate',
  'importWithProgress', 'importStatus', 'fileRejects', 'caseSave', 'caseOpen', 'recentCases',
  'coverage', 'triageGet', 'triageSet', 'triageHistory', 'triageList', 'exportEvidence',
];

/** Operations answered at once, outside the engine's one-at-a-time queue (they read no table). */
export const UNQUEUED_OPERATIONS: readonly Operation[] = ['importStatus'];

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

const FINDING_ID = /^[A-Za-z0-9_-]{1,64}$/;
const RECORD_KINDS: RecordKind[] = ['connections', 'dns', 'http', 'tls', 'alerts'];
/** Epoch ms between 1970 and 2200. */
const MAX_TIME_MS = 7_258_118_400_000;

function findingId(body: Record<string, unknown>, key = 'id'): void {
  if (typeof body[key] !== 'string' || !FINDING_ID.test(body[key] as string)) throw new ValidationError(`"${key}" must be a finding id`);
}

function optRange(body: Record<string, unknown>): void {
  for (const k of ['from', 'to']) {
    const v = body[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_TIME_MS) {
      throw new ValidationError(`"${k}" must be a time in epoch milliseconds`);
    }
  }
  if (typeof body.from === 'number' && typeof body.to === 'number' && body.from > body.to) {
    throw new ValidationError('"from" must not be after "to"');
  }
}

function optUnit(body: Record<string, unknown>, key: string): void {
  const v = body[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) throw new ValidationError(`"${key}" must be a number from 0 to 1`);
}

function oneOf(body: Record<string, unknown>, key: string, values: readonly string[], required: boolean): void {
  const v = body[key];
  if (v === undefined && !required) return;
  if (typeof v !== 'string' || !values.includes(v)) throw new ValidationError(`"${key}" must be one of ${values.join(', ')}`);
}

/** Printable text without control characters (log content never comes back as a request). */
function plainText(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length <= max && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v);
}

function filePath(body: Record<string, unknown>, key = 'path'): void {
  const v = body[key];
  if (typeof v !== 'string' || v.length === 0 || v.length >= 4096 || v.includes('\0')) {
    throw new ValidationError(`"${key}" must be a file path`);
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
    case 'pairSeries':
      checkKeys(body, ['id', 'from', 'to', 'width', 'zone', 'intervalScale', 'timelineOnly']);
      if (body.timelineOnly !== undefined && typeof body.timelineOnly !== 'boolean') throw new ValidationError('"timelineOnly" must be a boolean');
      findingId(body);
      optRange(body);
      optInt(body, 'width', 10, 8000);
      if (body.zone !== undefined && (typeof body.zone !== 'string' || !/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(body.zone))) {
        throw new ValidationError('"zone" must be an IANA time zone name such as Europe/Berlin');
      }
      oneOf(body, 'intervalScale', ['linear', 'log'], false);
      break;
    case 'pairRecords':
      checkKeys(body, ['id', 'kind', 'from', 'to', 'offset', 'limit']);
      findingId(body);
      oneOf(body, 'kind', RECORD_KINDS, true);
      optRange(body);
      optInt(body, 'offset', 0, 100_000_000);
      optInt(body, 'limit', 1, 1000);
      break;
    case 'overview':
      checkKeys(body, ['top', 'bins', 'minScore']);
      optInt(body, 'top', 1, 500);
      optInt(body, 'bins', 10, 2000);
      optUnit(body, 'minScore');
      break;
    case 'explain':
      checkKeys(body, ['query']);
      if (!plainText(body.query, 300) || body.query.trim() === '') throw new ValidationError('"query" must be a host, pair, range or name');
      break;
    case 'searchRecords':
      checkKeys(body, ['kind', 'ip', 'cidr', 'port', 'from', 'to', 'text', 'offset', 'limit']);
      oneOf(body, 'kind', RECORD_KINDS, true);
      if (body.ip !== undefined && (typeof body.ip !== 'string' || !/^[0-9A-Fa-f:.%a-z]{1,64}$/.test(body.ip))) {
        throw new ValidationError('"ip" must be an IP address');
      }
      if (body.cidr !== undefined && (typeof body.cidr !== 'string' || !/^[0-9A-Fa-f:.]{1,64}(\/\d{1,3})?$/.test(body.cidr))) {
        throw new ValidationError('"cidr" must be a CIDR range such as 10.0.0.0/8');
      }
      optInt(body, 'port', 0, 65535);
      optRange(body);
      if (body.text !== undefined && !plainText(body.text, 200)) throw new ValidationError('"text" must be at most 200 plain characters');
      optInt(body, 'offset', 0, 100_000_000);
      optInt(body, 'limit', 1, 1000);
      break;
    case 'annotationsList':
    case 'importStatus':
    case 'recentCases':
      checkKeys(body, []);
      break;
    case 'annotate':
      checkKeys(body, ['findingId', 'tags', 'note']);
      findingId(body, 'findingId');
      if (!Array.isArray(body.tags) || body.tags.length > 20 || !body.tags.every((t) => plainText(t, 40) && /^[^,]*[^,\s][^,]*$/.test(t as string))) {
        throw new ValidationError('"tags" must be at most 20 tags of at most 40 characters, without commas');
      }
      if (!plainText(body.note, 4000)) {
        throw new ValidationError('"note" must be text of at most 4000 characters');
      }
      break;
    case 'fileRejects':
      checkKeys(body, ['path', 'offset', 'limit']);
      filePath(body);
      optInt(body, 'offset', 0, 100_000_000);
      optInt(body, 'limit', 1, 1000);
      break;
    case 'coverage':
    case 'triageList':
      checkKeys(body, []);
      break;
    case 'triageGet':
    case 'triageHistory':
      checkKeys(body, ['id']);
      findingId(body);
      break;
    case 'triageSet':
      checkKeys(body, ['id', 'state', 'owner', 'note', 'by']);
      findingId(body);
      oneOf(body, 'state', ['new', 'investigating', 'expected', 'escalated', 'closed'], false);
      if (body.owner !== undefined && (!plainText(body.owner, 200) || body.owner.trim() === '')) throw new ValidationError('"owner" must be a name of at most 200 characters');
      if (body.note !== undefined && (!plainText(body.note, 4000) || body.note.trim() === '')) throw new ValidationError('"note" must be text of at most 4000 characters');
      if (body.by !== undefined && (!plainText(body.by, 100) || body.by.trim() === '')) throw new ValidationError('"by" must be a name of at most 100 characters');
      if (body.state === undefined && body.owner === undefined && body.note === undefined) throw new ValidationError('give a "state", an "owner" or a "note"');
      if (body.state === 'expected' && (body.owner === undefined || body.note === undefined)) {
        throw new ValidationError('marking a finding expected needs its business "owner" and its documented purpose ("note")');
      }
      break;
    case 'exportEvidence':
      checkKeys(body, ['id', 'out', 'force']);
      findingId(body);
      filePath(body, 'out');
      if (body.force !== undefined && typeof body.force !== 'boolean') throw new ValidationError('"force" must be a boolean');
      break;
    case 'caseSave':
    case 'caseOpen':
      checkKeys(body, ['path']);
      filePath(body);
      break;
    case 'importWithProgress':
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
