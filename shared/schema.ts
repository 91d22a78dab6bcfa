// The normalized model: one schema for each table whatever the source (Zeek TSV, Zeek JSON,
// Suricata eve.json, pcap). The engine creates the DuckDB tables from these definitions and the
// ingest sinks append in this column order, so this list is the single source of truth.
// Times are TIMESTAMP (UTC, microseconds). `conn_id` links tables: Zeek `uid`, Suricata
// `flow_id` as a decimal string (it can exceed 2^53). `file_id` names the source file in `files`.

export type ColumnType = 'VARCHAR' | 'TIMESTAMP' | 'DOUBLE' | 'BIGINT' | 'INTEGER' | 'BOOLEAN' | 'VARCHAR[]';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  doc: string;
}

export interface TableDef {
  name: string;
  doc: string;
  columns: ColumnDef[];
}

const provenance: ColumnDef[] = [
  { name: 'sensor', type: 'VARCHAR', doc: 'Zeek _node_name/_system_name, Suricata host; null when the source does not say' },
  { name: 'file_id', type: 'INTEGER', doc: 'the source file (files.file_id)' },
];

export const CONNECTIONS: TableDef = {
  name: 'connections',
  doc: 'One row per connection (Zeek conn/open_conn row, Suricata flow, merged netflow pair).',
  columns: [
    { name: 'conn_id', type: 'VARCHAR', doc: 'Zeek uid / Suricata flow_id' },
    { name: 'ts', type: 'TIMESTAMP', doc: 'connection start (Suricata flow.start, never the event timestamp)' },
    { name: 'src_ip', type: 'VARCHAR', doc: 'originator address' },
    { name: 'src_port', type: 'INTEGER', doc: 'originator port (ICMP: type)' },
    { name: 'dst_ip', type: 'VARCHAR', doc: 'responder address' },
    { name: 'dst_port', type: 'INTEGER', doc: 'responder port (ICMP: code)' },
    { name: 'proto', type: 'VARCHAR', doc: 'tcp, udp, icmp, …' },
    { name: 'service', type: 'VARCHAR', doc: 'application protocol(s) detected, comma-separated' },
    { name: 'duration', type: 'DOUBLE', doc: 'seconds; null while open or unknown' },
    { name: 'orig_bytes', type: 'BIGINT', doc: 'payload bytes from the originator' },
    { name: 'resp_bytes', type: 'BIGINT', doc: 'payload bytes from the responder' },
    { name: 'conn_state', type: 'VARCHAR', doc: 'Zeek conn_state (S0, SF, REJ, …) or the source’s nearest equivalent' },
    { name: 'history', type: 'VARCHAR', doc: 'Zeek history string' },
    { name: 'orig_pkts', type: 'BIGINT', doc: 'packets from the originator' },
    { name: 'orig_ip_bytes', type: 'BIGINT', doc: 'IP-level bytes from the originator' },
    { name: 'resp_pkts', type: 'BIGINT', doc: 'packets from the responder' },
    { name: 'resp_ip_bytes', type: 'BIGINT', doc: 'IP-level bytes from the responder' },
    { name: 'community_id', type: 'VARCHAR', doc: 'Community ID flow hash where the source has it' },
    { name: 'is_open', type: 'BOOLEAN', doc: 'true for a connection still open when logged (Zeek open_conn)' },
    ...provenance,
  ],
};

/** The endpoints of the connection a record belongs to (originator = src, responder = dst). */
const endpoints: ColumnDef[] = [
  { name: 'src_ip', type: 'VARCHAR', doc: 'originator (client) address' },
  { name: 'src_port', type: 'INTEGER', doc: 'originator port' },
  { name: 'dst_ip', type: 'VARCHAR', doc: 'responder (server) address' },
  { name: 'dst_port', type: 'INTEGER', doc: 'responder port' },
];

export const DNS: TableDef = {
  name: 'dns',
  doc: 'One row per DNS lookup (Zeek dns.log row; Suricata query with its answers).',
  columns: [
    { name: 'conn_id', type: 'VARCHAR', doc: 'connection carrying the lookup' },
    { name: 'ts', type: 'TIMESTAMP', doc: 'time of the query' },
    ...endpoints,
    { name: 'proto', type: 'VARCHAR', doc: 'udp or tcp' },
    { name: 'trans_id', type: 'INTEGER', doc: 'DNS transaction id' },
    { name: 'query', type: 'VARCHAR', doc: 'name asked for, as logged' },
    { name: 'qtype', type: 'VARCHAR', doc: 'query type name (A, AAAA, TXT, …)' },
    { name: 'rcode', type: 'VARCHAR', doc: 'response code name (NOERROR, NXDOMAIN, …)' },
    { name: 'answers', type: 'VARCHAR[]', doc: 'answer data (addresses, names, text)' },
    { name: 'ttls', type: 'VARCHAR[]', doc: 'answer TTLs in seconds, as text' },
    ...provenance,
  ],
};

export const HTTP: TableDef = {
  name: 'http',
  doc: 'One row per HTTP request (Zeek http.log row; Suricata http event).',
  columns: [
    { name: 'conn_id', type: 'VARCHAR', doc: 'connection carrying the request' },
    { name: 'ts', type: 'TIMESTAMP', doc: 'time of the request' },
    ...endpoints,
    { name: 'method', type: 'VARCHAR', doc: 'GET, POST, CONNECT, …' },
    { name: 'host', type: 'VARCHAR', doc: 'Host header (CONNECT: the target, may carry :port)' },
    { name: 'uri', type: 'VARCHAR', doc: 'request URI' },
    { name: 'user_agent', type: 'VARCHAR', doc: 'User-Agent header' },
    { name: 'referrer', type: 'VARCHAR', doc: 'Referer header' },
    { name: 'status_code', type: 'INTEGER', doc: 'response status' },
    { name: 'request_body_len', type: 'BIGINT', doc: 'request body bytes' },
    { name: 'response_body_len', type: 'BIGINT', doc: 'response body bytes' },
    ...provenance,
  ],
};

export const TLS: TableDef = {
  name: 'tls',
  doc: 'One row per TLS handshake (Zeek ssl.log row; Suricata tls event).',
  columns: [
    { name: 'conn_id', type: 'VARCHAR', doc: 'connection of the handshake' },
    { name: 'ts', type: 'TIMESTAMP', doc: 'time of the handshake' },
    ...endpoints,
    { name: 'version', type: 'VARCHAR', doc: 'TLS version' },
    { name: 'server_name', type: 'VARCHAR', doc: 'SNI, decoded to Unicode text' },
    { name: 'next_protocol', type: 'VARCHAR', doc: 'ALPN / NPN protocol chosen' },
    { name: 'established', type: 'BOOLEAN', doc: 'handshake completed' },
    { name: 'ja3', type: 'VARCHAR', doc: 'JA3 client fingerprint' },
    { name: 'ja3s', type: 'VARCHAR', doc: 'JA3S server fingerprint' },
    { name: 'ja4', type: 'VARCHAR', doc: 'JA4 client fingerprint' },
    { name: 'subject', type: 'VARCHAR', doc: 'server certificate subject' },
    { name: 'issuer', type: 'VARCHAR', doc: 'server certificate issuer' },
    { name: 'validation_status', type: 'VARCHAR', doc: 'Zeek certificate validation result' },
    { name: 'cert_chain_fps', type: 'VARCHAR[]', doc: 'certificate fingerprints, server first' },
    ...provenance,
  ],
};

export const ALERTS: TableDef = {
  name: 'alerts',
  doc: 'One row per IDS alert (Suricata alert event; Zeek notice rows are kept in other_logs).',
  columns: [
    { name: 'conn_id', type: 'VARCHAR', doc: 'flow the alert belongs to' },
    { name: 'ts', type: 'TIMESTAMP', doc: 'time of the alert' },
    ...endpoints,
    { name: 'proto', type: 'VARCHAR', doc: 'transport protocol' },
    { name: 'signature_id', type: 'BIGINT', doc: 'rule id' },
    { name: 'signature', type: 'VARCHAR', doc: 'rule message' },
    { name: 'category', type: 'VARCHAR', doc: 'rule classification' },
    { name: 'severity', type: 'INTEGER', doc: '1 (high) … 4' },
    { name: 'action', type: 'VARCHAR', doc: 'allowed / blocked' },
    ...provenance,
  ],
};

/**
 * Records of recognised log types that have no table of their own but are worth keeping (Zeek
 * files, x509, notice, capture_loss, stats; Suricata stats): the record as JSON text, so
 * coverage reports and evidence packages can use them.
 */
export const OTHER_LOGS: TableDef = {
  name: 'other_logs',
  doc: 'Kept records of other log types, as JSON.',
  columns: [
    { name: 'log_type', type: 'VARCHAR', doc: 'Zeek path or Suricata event type' },
    { name: 'ts', type: 'TIMESTAMP', doc: 'record time, when it has one' },
    { name: 'conn_id', type: 'VARCHAR', doc: 'connection, when the record names one' },
    { name: 'record', type: 'VARCHAR', doc: 'the record as JSON text' },
    ...provenance,
  ],
};

export const TABLES: TableDef[] = [CONNECTIONS, DNS, HTTP, TLS, ALERTS, OTHER_LOGS];

/** The tables counted in an import report (cli-contract `tables`). */
export const COUNTED_TABLES = ['connections', 'dns', 'http', 'tls', 'alerts'] as const;

/** The JS value a sink accepts for each column type. */
export type CellValue = string | number | bigint | boolean | string[] | null;

/** A normalized row: values in the table's column order. */
export type Row = CellValue[];

export function columnIndex(table: TableDef, name: string): number {
  const i = table.columns.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`no column ${name} in ${table.name}`);
  return i;
}
