// Maps Zeek log records (any Zeek format: TSV or JSON) to normalized rows, by log type. The
// readers hand over a getter by field name, so each mapping is written once for both formats.
// Adding a Zeek log type = adding a mapper here (and its table in shared/schema.ts).
import { CONNECTIONS, DNS, HTTP, OTHER_LOGS, TLS, type Row, type TableDef } from '../../shared/schema.js';
import {
  parseAddr,
  parseBool,
  parseCount,
  parseInterval,
  parsePort,
  parseString,
  parseStringList,
  parseTime,
  RowError,
} from './values.js';

/** Value of a field: undefined when the log has no such field, null when it is unset. */
export type Get = (name: string) => unknown;

export interface MapContext {
  fileId: number;
  /** The log type of the record (for mappers shared by several types). */
  logType: string;
  /** The whole record as a plain object (built on demand: only kept logs need it). */
  record(): Record<string, unknown>;
}

export interface ZeekMapper {
  table: TableDef;
  spec: ZeekSpec;
  map(get: Get, ctx: MapContext): Row;
}

/**
 * Zeek can write `id.orig_h` with another scope separator (`id_orig_h`, `id:orig_h`); the
 * mappers use the default dotted names.
 */
export function normalizeFieldName(name: string): string {
  const m = /^id[_:-](orig|resp)_(h|p)$/.exec(name);
  return m ? `id.${m[1]}_${m[2]}` : name;
}

/**
 * How one normalized column is read from a Zeek record. A spec, not code, so the streaming
 * readers (TS, below) and the DuckDB-native TSV path (zeek-tsv-sql.ts) apply the same mapping.
 */
export type FieldKind = 'string' | 'lower' | 'time' | 'optTime' | 'count' | 'int32' | 'port' | 'interval' | 'addr' | 'bool' | 'list';

export type ColumnSpec =
  | { kind: FieldKind; fields: string[] }
  | { kind: 'const'; value: boolean | null }
  | { kind: 'sensor' }
  | { kind: 'fileId' }
  | { kind: 'logType' }
  | { kind: 'record' };

export interface ZeekSpec {
  table: TableDef;
  /** One spec per table column, in column order. */
  columns: ColumnSpec[];
}

const f = (kind: FieldKind, ...fields: string[]): ColumnSpec => ({ kind, fields });
const ENDPOINTS: ColumnSpec[] = [f('addr', 'id.orig_h'), f('port', 'id.orig_p'), f('addr', 'id.resp_h'), f('port', 'id.resp_p')];
const PROVENANCE: ColumnSpec[] = [{ kind: 'sensor' }, { kind: 'fileId' }];

function connSpec(open: boolean): ZeekSpec {
  return {
    table: CONNECTIONS,
    columns: [
      f('string', 'uid'), f('time', 'ts'), ...ENDPOINTS, f('lower', 'proto'), f('string', 'service'),
      f('interval', 'duration'), f('count', 'orig_bytes'), f('count', 'resp_bytes'), f('string', 'conn_state'),
      f('string', 'history'), f('count', 'orig_pkts'), f('count', 'orig_ip_bytes'), f('count', 'resp_pkts'),
      f('count', 'resp_ip_bytes'), f('string', 'community_id'), { kind: 'const', value: open }, ...PROVENANCE,
    ],
  };
}

const DNS_SPEC: ZeekSpec = {
  table: DNS,
  columns: [
    f('string', 'uid'), f('time', 'ts'), ...ENDPOINTS, f('lower', 'proto'), f('int32', 'trans_id'), f('string', 'query'),
    f('string', 'qtype_name', 'qtype'), f('string', 'rcode_name', 'rcode'), f('list', 'answers'), f('list', 'TTLs'),
    ...PROVENANCE,
  ],
};

const HTTP_SPEC: ZeekSpec = {
  table: HTTP,
  columns: [
    f('string', 'uid'), f('time', 'ts'), ...ENDPOINTS, f('string', 'method'), f('string', 'host'), f('string', 'uri'),
    f('string', 'user_agent'), f('string', 'referrer'), f('int32', 'status_code'), f('count', 'request_body_len'),
    f('count', 'response_body_len'), ...PROVENANCE,
  ],
};

const SSL_SPEC: ZeekSpec = {
  table: TLS,
  columns: [
    f('string', 'uid'), f('time', 'ts'), ...ENDPOINTS, f('string', 'version'), f('string', 'server_name'),
    f('string', 'next_protocol'), f('bool', 'established'), f('string', 'ja3'), f('string', 'ja3s'), f('string', 'ja4'),
    f('string', 'subject'),
    // Bro 2.x named it issuer_subject.
    f('string', 'issuer', 'issuer_subject'), f('string', 'validation_status'), f('list', 'cert_chain_fps'),
    ...PROVENANCE,
  ],
};

/** Kept logs: the record as JSON, its time and connection when it has them. */
const KEPT_SPEC: ZeekSpec = {
  table: OTHER_LOGS,
  columns: [{ kind: 'logType' }, f('optTime', 'ts'), f('string', 'uid'), { kind: 'record' }, ...PROVENANCE],
};

function smallInt(v: unknown, field: string): number | null {
  const c = parseCount(v, field);
  if (c === null) return null;
  if (c > 2_147_483_647n) throw new RowError(`${field} "${c}" is out of range`);
  return Number(c);
}

function firstPresent(get: Get, fields: string[]): { v: unknown; name: string } {
  for (const name of fields) {
    const v = get(name);
    if (v !== undefined && v !== null) return { v, name };
  }
  return { v: get(fields[0]) ?? null, name: fields[0] };
}

/** Reads one column of a record by its spec (the TS interpreter of ColumnSpec). */
function readColumn(c: ColumnSpec, get: Get, ctx: MapContext): Row[number] {
  switch (c.kind) {
    case 'const':
      return c.value;
    case 'sensor':
      return parseString(get('_node_name') ?? get('_system_name') ?? null);
    case 'fileId':
      return ctx.fileId;
    case 'logType':
      return ctx.logType;
    case 'record':
      return JSON.stringify(ctx.record());
  }
  const { v, name } = firstPresent(get, c.fields);
  switch (c.kind) {
    case 'string':
      return parseString(v);
    case 'lower': {
      const s = parseString(v);
      return s === null ? null : s.toLowerCase();
    }
    case 'time':
      return parseTime(v, name).micros;
    case 'optTime':
      // Some kept logs (loaded_scripts-like records) have no time; a bad one still rejects.
      return v === null || v === undefined ? null : parseTime(v, name).micros;
    case 'count':
      return parseCount(v, name);
    case 'int32':
      return smallInt(v, name);
    case 'port':
      return parsePort(v, name);
    case 'interval':
      return parseInterval(v, name);
    case 'addr':
      return parseAddr(v, name);
    case 'bool':
      return parseBool(v, name);
    case 'list':
      return parseStringList(v);
  }
}

function mapperOf(spec: ZeekSpec): ZeekMapper {
  return {
    table: spec.table,
    spec,
    map(get, ctx) {
      return spec.columns.map((c) => readColumn(c, get, ctx));
    },
  };
}

const KEPT: Record<string, true> = { files: true, x509: true, notice: true, capture_loss: true, stats: true };

export const ZEEK_MAPPERS: Record<string, ZeekMapper> = {
  conn: mapperOf(connSpec(false)),
  open_conn: mapperOf(connSpec(true)),
  dns: mapperOf(DNS_SPEC),
  http: mapperOf(HTTP_SPEC),
  // Still-open HTTP/TLS records (RITA's open_* logs) describe the same requests and handshakes.
  open_http: mapperOf(HTTP_SPEC),
  ssl: mapperOf(SSL_SPEC),
  open_ssl: mapperOf(SSL_SPEC),
  ...Object.fromEntries(Object.keys(KEPT).map((k) => [k, mapperOf(KEPT_SPEC)])),
};

/** Zeek log types Metronome recognises but does not load (yet): reported, never errors. */
export const KNOWN_UNUSED_ZEEK_PATHS = new Set([
  'ssh', 'weird', 'dhcp', 'dpd', 'software',
  'known_hosts', 'known_services', 'known_certs', 'capture_loss', 'stats', 'packet_filter',
  'loaded_scripts', 'reporter', 'tunnel', 'pe', 'smtp', 'arp', 'ntp', 'ftp', 'sip', 'snmp',
  'rdp', 'smb_files', 'smb_mapping', 'dce_rpc', 'kerberos', 'ntlm', 'mysql', 'radius', 'syslog',
  'irc', 'modbus', 'dnp3', 'socks', 'intel', 'signatures', 'traceroute', 'conn-summary',
  'ocsp', 'quic', 'websocket', 'analyzer',
]);

/** Zeek fields that are sets or vectors, for headers that carry no #types line. */
export const KNOWN_LIST_FIELDS = new Set([
  'answers', 'TTLs', 'tunnel_parents', 'cert_chain_fps', 'client_cert_chain_fps', 'cert_chain_fuids',
  'client_cert_chain_fuids', 'tags', 'orig_fuids', 'orig_filenames', 'orig_mime_types', 'resp_fuids',
  'resp_filenames', 'resp_mime_types', 'proxied', 'san.dns', 'san.uri', 'san.email', 'san.ip',
]);

/** Log type from a rotated or plain Zeek file name: `conn.08:00:00-09:00:00.log.gz` → conn. */
export function logTypeFromFileName(base: string): string | null {
  const m = /^([a-z][a-z0-9_]*?)(?=[._-](?:\d|log\b|json\b|tsv\b)|$)/i.exec(base);
  return m ? m[1].toLowerCase() : null;
}

/** Log type from a record's keys, for Zeek JSON without `_path` and with an unhelpful name. */
export function logTypeFromKeys(keys: Set<string>): string | null {
  const has = (k: string) => keys.has(k);
  if (has('id.orig_h') || has('id_orig_h')) {
    if (has('conn_state') || has('orig_bytes') || has('history') || (has('proto') && has('duration'))) return 'conn';
    if (has('query') && (has('qtype') || has('rcode') || has('answers'))) return 'dns';
    if (has('method') || has('host') || has('uri')) return 'http';
    if (has('server_name') || has('version') && has('cipher')) return 'ssl';
  }
  return null;
}

export { RowError };
