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

function sensorOf(get: Get): string | null {
  return parseString(get('_node_name') ?? get('_system_name') ?? null);
}

function connMapper(open: boolean): ZeekMapper {
  return {
    table: CONNECTIONS,
    map(get, ctx) {
      const ts = parseTime(get('ts'));
      const proto = parseString(get('proto'));
      return [
        parseString(get('uid')),
        ts.micros,
        parseAddr(get('id.orig_h'), 'id.orig_h'),
        parsePort(get('id.orig_p'), 'id.orig_p'),
        parseAddr(get('id.resp_h'), 'id.resp_h'),
        parsePort(get('id.resp_p'), 'id.resp_p'),
        proto === null ? null : proto.toLowerCase(),
        parseString(get('service')),
        parseInterval(get('duration'), 'duration'),
        parseCount(get('orig_bytes'), 'orig_bytes'),
        parseCount(get('resp_bytes'), 'resp_bytes'),
        parseString(get('conn_state')),
        parseString(get('history')),
        parseCount(get('orig_pkts'), 'orig_pkts'),
        parseCount(get('orig_ip_bytes'), 'orig_ip_bytes'),
        parseCount(get('resp_pkts'), 'resp_pkts'),
        parseCount(get('resp_ip_bytes'), 'resp_ip_bytes'),
        parseString(get('community_id')),
        open,
        sensorOf(get),
        ctx.fileId,
      ];
    },
  };
}

function endpoints(get: Get): [string, number | null, string, number | null] {
  return [
    parseAddr(get('id.orig_h'), 'id.orig_h'),
    parsePort(get('id.orig_p'), 'id.orig_p'),
    parseAddr(get('id.resp_h'), 'id.resp_h'),
    parsePort(get('id.resp_p'), 'id.resp_p'),
  ];
}

function smallInt(v: unknown, field: string): number | null {
  const c = parseCount(v, field);
  if (c === null) return null;
  if (c > 2_147_483_647n) throw new RowError(`${field} "${c}" is out of range`);
  return Number(c);
}

const dnsMapper: ZeekMapper = {
  table: DNS,
  map(get, ctx) {
    const proto = parseString(get('proto'));
    return [
      parseString(get('uid')),
      parseTime(get('ts')).micros,
      ...endpoints(get),
      proto === null ? null : proto.toLowerCase(),
      smallInt(get('trans_id'), 'trans_id'),
      parseString(get('query')),
      parseString(get('qtype_name')) ?? parseString(get('qtype')),
      parseString(get('rcode_name')) ?? parseString(get('rcode')),
      parseStringList(get('answers')),
      parseStringList(get('TTLs')),
      sensorOf(get),
      ctx.fileId,
    ];
  },
};

const httpMapper: ZeekMapper = {
  table: HTTP,
  map(get, ctx) {
    return [
      parseString(get('uid')),
      parseTime(get('ts')).micros,
      ...endpoints(get),
      parseString(get('method')),
      parseString(get('host')),
      parseString(get('uri')),
      parseString(get('user_agent')),
      parseString(get('referrer')),
      smallInt(get('status_code'), 'status_code'),
      parseCount(get('request_body_len'), 'request_body_len'),
      parseCount(get('response_body_len'), 'response_body_len'),
      sensorOf(get),
      ctx.fileId,
    ];
  },
};

const sslMapper: ZeekMapper = {
  table: TLS,
  map(get, ctx) {
    return [
      parseString(get('uid')),
      parseTime(get('ts')).micros,
      ...endpoints(get),
      parseString(get('version')),
      parseString(get('server_name')),
      parseString(get('next_protocol')),
      parseBool(get('established'), 'established'),
      parseString(get('ja3')),
      parseString(get('ja3s')),
      parseString(get('ja4')),
      parseString(get('subject')),
      // Bro 2.x named it issuer_subject.
      parseString(get('issuer') ?? get('issuer_subject') ?? null),
      parseString(get('validation_status')),
      parseStringList(get('cert_chain_fps')),
      sensorOf(get),
      ctx.fileId,
    ];
  },
};

/** Kept logs: the record as JSON, its time and connection when it has them. */
const keptMapper: ZeekMapper = {
  table: OTHER_LOGS,
  map(get, ctx) {
    const ts = get('ts');
    return [
      ctx.logType,
      ts === undefined || ts === null ? null : parseTime(ts).micros,
      parseString(get('uid') ?? null),
      JSON.stringify(ctx.record()),
      sensorOf(get),
      ctx.fileId,
    ];
  },
};

export const ZEEK_MAPPERS: Record<string, ZeekMapper> = {
  conn: connMapper(false),
  open_conn: connMapper(true),
  dns: dnsMapper,
  http: httpMapper,
  // Still-open HTTP/TLS records (RITA's open_* logs) describe the same requests and handshakes.
  open_http: httpMapper,
  ssl: sslMapper,
  open_ssl: sslMapper,
  files: keptMapper,
  x509: keptMapper,
  notice: keptMapper,
  capture_loss: keptMapper,
  stats: keptMapper,
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
