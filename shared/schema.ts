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

export const TABLES: TableDef[] = [CONNECTIONS];

/** The JS value a sink accepts for each column type. */
export type CellValue = string | number | bigint | boolean | string[] | null;

/** A normalized row: values in the table's column order. */
export type Row = CellValue[];

export function columnIndex(table: TableDef, name: string): number {
  const i = table.columns.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`no column ${name} in ${table.name}`);
  return i;
}
