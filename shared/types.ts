// The domain types of Metronome: one definition each, used by the engine (main/), the renderer
// and the CLI. This module depends on nothing else in the repo.
// Field names of Finding, FileReport and ImportReport follow ../shared/design/cli-contract.md,
// which other tools rely on: extend, never rename.

/** ISO 8601 UTC with fractional seconds, e.g. `2025-05-01T10:00:00.250Z`. */
export type IsoTime = string;

export type Category =
  | 'beacon'
  | 'scheduled-transfer'
  | 'fleet-schedule'
  | 'strobe'
  | 'long-connection'
  | 'dns-tunnel';

export type DstKind = 'fqdn' | 'domain' | 'ip';

/** outbound = internal → external; inbound pairs are never findings. */
export type Direction = 'outbound' | 'internal' | 'external' | 'inbound';

/** What carried the rhythm of a finding. */
export type EventType = 'connection' | 'http' | 'dns';

/** One signed piece of evidence with the sentence that explains it. */
export interface Reason {
  feature: string;
  contribution: number;
  text: string;
}

export interface Finding {
  /** Stable within a case for the same key: a hash of category + key. */
  id: string;
  category: Category;
  src: string;
  hosts?: string[];
  dst: string;
  dstKind: DstKind;
  dstIps?: { ip: string; count: number }[];
  port?: number;
  proto?: string;
  /** Extension: the most used destination ports of the key, busiest first (at most 3). */
  dstPorts?: { port: number | null; proto: string | null; count: number }[];
  /** Extension: share of internal sources that talk to this destination (0..1), when known. */
  prevalence?: number | null;
  direction: Direction;
  eventType: EventType;
  /** Raw records behind the finding (connections, requests or lookups). */
  connections: number;
  /** Events after merging bursts into check-ins. */
  checkins: number;
  /** Seconds of the detected rhythm; null when there is none. */
  period: number | null;
  /** 0..1 */
  score: number;
  firstSeen: IsoTime;
  lastSeen: IsoTime;
  bytesOut: number | null;
  bytesIn: number | null;
  /** Largest absolute contribution first. */
  reasons: Reason[];
  /** Which scorer produced the score (`rita-v5` is the published RITA formula). */
  scorer: string;
  /** Named sub-scores (0..1) of the scorer, for the score breakdown. */
  subscores?: Record<string, number>;
  baseline?: BaselineMatch;
  /** Extension: the clock schedule the key keeps, when it keeps one (T1029). */
  clock?: { cycle: number; at: string; zone: string; sd: number } | null;
  /** Extension: large outbound volume on a rhythm (possible scheduled exfiltration). */
  exfil?: boolean;
  /** Extension: which key the finding is on (name, registered domain, or IP + port + proto). */
  keyLevel?: 'fqdn' | 'domain' | 'ip';
}

export interface ScanSummary {
  connections: number;
  pairs: number;
  start: IsoTime | null;
  end: IsoTime | null;
}

export interface ScanResult {
  findings: Finding[];
  summary: ScanSummary;
}

export type SourceFormat = 'zeek-tsv' | 'zeek-json' | 'suricata-eve' | 'pcap';

export interface LineError {
  line: number;
  reason: string;
}

export interface FileReport {
  path: string;
  format: SourceFormat | null;
  /** Zeek path (`conn`, `dns`, …), `eve`, or `mixed`. */
  logType: string | null;
  /** Rows this file added to the tables. */
  rows: number;
  /** Malformed lines; `errors` lists the first few. */
  rejected: number;
  /** True when this content was already in the case, so nothing was added. */
  skipped: boolean;
  /** Why the file was refused or skipped; null when it loaded. */
  reason: string | null;
  errors: LineError[];
  /** Non-fatal notices (e.g. unused log type, extra columns, truncated gzip). */
  warnings: string[];
  /** Extension: which reader took the file and why (format detection, fast or streaming path). */
  how?: string;
  /** Extension: milliseconds per import phase (hash, sniff, read, merge, record). */
  timings?: Record<string, number>;
  /** Time span of the rows this file holds. */
  start: IsoTime | null;
  end: IsoTime | null;
  bytes: number;
}

export interface TableCounts {
  connections: number;
  dns: number;
  http: number;
  tls: number;
  alerts: number;
}

export interface ImportReport {
  files: FileReport[];
  tables: TableCounts;
}

/** Progress of an import, for the UI and the CLI's stderr. */
export interface ImportProgress {
  path: string;
  fileIndex: number;
  fileCount: number;
  bytesRead: number;
  bytesTotal: number;
  rows: number;
  /** Packets read, for captures. */
  packets?: number;
}

/** One connection as the renderer sees it (normalized; see shared/schema.ts). */
export interface ConnectionRow {
  connId: string | null;
  ts: IsoTime;
  src: string;
  srcPort: number | null;
  dst: string;
  dstPort: number | null;
  proto: string | null;
  service: string | null;
  duration: number | null;
  /** Payload bytes from the originator / responder. */
  bytesOut: number | null;
  bytesIn: number | null;
  /** IP-level bytes (headers included) where the source has them: what the size scores use. */
  ipBytesOut: number | null;
  ipBytesIn: number | null;
  connState: string | null;
}

/** Everything the pair-detail views need for one finding. */
export interface PairDetail {
  finding: Finding;
  connections: ConnectionRow[];
  /** True when `connections` was cut to `limit` rows. */
  truncated: boolean;
  total: number;
}

/** What a baseline (safelist) entry matches. */
export type BaselineKind = 'ip' | 'cidr' | 'domain' | 'pair' | 'src-domain';

/**
 * A documented, expected rhythm: hides matching findings from the default view (query-time,
 * non-destructive) unless the traffic drifts from what was documented.
 */
export interface BaselineEntry {
  id: string;
  kind: BaselineKind;
  /** Source IP (pair, src-domain) or null. */
  src: string | null;
  /** Destination: IP (ip, pair), CIDR (cidr), or a domain pattern (`example.com`, `*.example.com`). */
  dst: string;
  owner: string;
  note: string;
  /** Expected period in seconds, when documented. */
  expectedPeriod: number | null;
  /** Expected bytes out per check-in, when documented. */
  expectedBytesOut: number | null;
  /** Expected time of day "HH:MM" (UTC unless zone), when documented. */
  expectedAt: string | null;
  createdAt: IsoTime;
}

/** Attached to a finding that matches a baseline entry. */
export interface BaselineMatch {
  id: string;
  owner: string;
  note: string;
  /** Why the traffic no longer matches what was documented; empty when it still does. */
  drift: string[];
}
