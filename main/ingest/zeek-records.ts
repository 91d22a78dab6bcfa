// Maps Zeek log records (any Zeek format: TSV or JSON) to normalized rows, by log type. The
// readers hand over a getter by field name, so each mapping is written once for both formats.
// Adding a Zeek log type = adding a mapper here (and its table in shared/schema.ts).
import { CONNECTIONS, type Row, type TableDef } from '../../shared/schema.js';
import { parseAddr, parseCount, parseInterval, parsePort, parseString, parseTime, RowError } from './values.js';

/** Value of a field: undefined when the log has no such field, null when it is unset. */
export type Get = (name: string) => unknown;

export interface MapContext {
  fileId: number;
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

export const ZEEK_MAPPERS: Record<string, ZeekMapper> = {
  conn: connMapper(false),
  open_conn: connMapper(true),
};

/** Zeek log types Metronome recognises but does not load (yet): reported, never errors. */
export const KNOWN_UNUSED_ZEEK_PATHS = new Set([
  'dns', 'http', 'ssl', 'x509', 'files', 'ssh', 'notice', 'weird', 'dhcp', 'dpd', 'software',
  'known_hosts', 'known_services', 'known_certs', 'capture_loss', 'stats', 'packet_filter',
  'loaded_scripts', 'reporter', 'tunnel', 'pe', 'smtp', 'arp', 'ntp', 'ftp', 'sip', 'snmp',
  'rdp', 'smb_files', 'smb_mapping', 'dce_rpc', 'kerberos', 'ntlm', 'mysql', 'radius', 'syslog',
  'irc', 'modbus', 'dnp3', 'socks', 'intel', 'signatures', 'traceroute', 'conn-summary',
  'open_http', 'open_ssl', 'ocsp', 'quic', 'websocket', 'analyzer',
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
