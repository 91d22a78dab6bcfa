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
  /** Extension: JA3 client fingerprints seen on the key's TLS handshakes, when known. */
  ja3?: string[];
  /** Extension: imported indicators the finding matches. */
  intel?: { kind: string; value: string; source: string }[];
  /** Extension: triage priority from the score and the source's asset criticality (P1 first). */
  priority?: 'P1' | 'P2' | 'P3' | 'P4';
  /** Extension: the asset entry that covers the source, when one does. */
  asset?: { criticality: string; match: string; note: string | null };
  /** Extension: large outbound volume on a rhythm (possible scheduled exfiltration). */
  exfil?: boolean;
  /** Extension: which key the finding is on (name, registered domain, or IP + port + proto). */
  keyLevel?: 'fqdn' | 'domain' | 'ip';
  /** Extension: the analyst's triage state of the finding (main/triage); absent means `new`. */
  triage?: FindingTriage;
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
  /** Findings in the whole scan when a request's `top` cut the list (absent otherwise). */
  total?: number;
}

/**
 * Findings the app loads at once, best first. A week of a busy network scores a few hundred
 * thousand keys, nearly all near zero; shipping them all to the window would cost seconds and
 * hundreds of MB. The rest stay in the case (CLI, exports of the scan, "Why not?").
 */
export const APP_FINDINGS_LIMIT = 5000;

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

// ---------------------------------------------------------------------------------------------
// Hunting views (renderer ↔ main/api/view-handlers.ts). Times inside chart payloads are epoch
// milliseconds (numbers), so a chart with 10 000 marks does not parse 10 000 ISO strings.

/** One event of a finding as the timeline and size charts draw it. */
export interface SeriesPoint {
  /** Event start, epoch ms. */
  t: number;
  /** Bytes out / in (IP level when the source has them, else payload); null when unknown. */
  out: number | null;
  in: number | null;
  /** The responder never answered or refused (Zeek S0, REJ, …). */
  failed: boolean;
}

/** Events of one pixel column, aggregated in SQL when a range holds too many events to draw. */
export interface SeriesBin {
  /** Column start and end, epoch ms. */
  t0: number;
  t1: number;
  /** Events in the column. */
  n: number;
  /** Smallest and largest known bytes out / in in the column (null when none is known). */
  outMin: number | null;
  outMax: number | null;
  inMin: number | null;
  inMax: number | null;
  /** Events of the column whose responder never answered. */
  failed: number;
}

export interface IntervalBin {
  /** Lower and upper edge, seconds. */
  lo: number;
  hi: number;
  n: number;
}

/** Inter-arrival times (gaps between consecutive events) of a finding in a range. */
export interface IntervalHistogram {
  scale: 'linear' | 'log';
  bins: IntervalBin[];
  /** Gaps counted (events in range − 1). */
  gaps: number;
  /** Gaps beyond the last bin (linear scale clips the long tail). */
  overflow: number;
  min: number | null;
  median: number | null;
  max: number | null;
}

/** Events per (calendar day, hour of day) in one time zone, clock-aligned. */
export interface HourDayHeatmap {
  /** IANA zone the clock is read in ("UTC" by default). */
  zone: string;
  /** Calendar days from the first to the last event, "YYYY-MM-DD" in `zone`. */
  days: string[];
  /** Non-empty cells only; `day` indexes `days`, `hour` is 0..23. */
  cells: { day: number; hour: number; n: number }[];
  max: number;
}

/** The rhythm the detector sees in a finding (recomputed from its events with shared/scoring). */
export interface FindingTiming {
  period: number | null;
  /** IQR of the intervals around the period, as a share of it (±J). */
  jitter: number | null;
  /** Check-ins after bursts were merged, and the merge window used (s). */
  checkins: number;
  mergeWindow: number | null;
  periodic: boolean;
}

/** Everything the linked pair-detail charts draw, for one finding and one time range. */
export interface PairSeries {
  finding: Finding;
  /** First and last event of the finding, epoch ms (null when it has none). */
  extent: [number, number] | null;
  /** The range shown, epoch ms (the extent unless brushed). */
  range: [number, number] | null;
  /** Events of the finding, and in the range. */
  total: number;
  inRange: number;
  /** `events`: one point per event; `bins`: one bin per pixel column (M4-style min/max). */
  mode: 'events' | 'bins';
  points: SeriesPoint[];
  bins: SeriesBin[];
  intervals: IntervalHistogram;
  heatmap: HourDayHeatmap;
  timing: FindingTiming;
  /** Related raw records in the range, per kind (pairRecords pages through them). */
  related: Record<RecordKind, number>;
  /** Milliseconds the engine spent on this request. */
  elapsedMs: number;
}

export type RecordKind = 'connections' | 'dns' | 'http' | 'tls' | 'alerts';

/** A page of raw records; cells are text or numbers, shown as text, never as markup. */
export interface RecordPage {
  kind: RecordKind;
  columns: string[];
  rows: (string | number | boolean | null)[][];
  total: number;
  offset: number;
}

/** One row of the overview heatmap: a finding's events per time bin. */
export interface OverviewRow {
  id: string;
  category: Category;
  score: number;
  src: string;
  /** Sources of a fleet finding (src "*"); 1 otherwise. */
  hosts: number;
  dst: string;
  period: number | null;
  counts: number[];
}

export interface Overview {
  /** Bin edges: start, bin width (ms), bin count. */
  start: number;
  binMs: number;
  bins: number;
  rows: OverviewRow[];
}

/** Traffic of a key that became no finding, as "Why not?" explains it. */
export interface UnscoredKey {
  src: string;
  /** The destination name, or IP:port/proto. */
  dst: string;
  eventType: EventType;
  events: number;
  firstSeen: IsoTime;
  lastSeen: IsoTime;
  why: string;
}

export interface Explanation {
  /** How the query was read: an address, a range, a pair, or a name / text. */
  kind: 'ip' | 'cidr' | 'pair' | 'name';
  query: string;
  /** Every matching finding, whatever its score, including those marked expected. */
  findings: Finding[];
  /** Matching traffic that was not scored or not kept, with the reason. */
  unscored: UnscoredKey[];
  /** Raw events that match the query in the scanned event stream. */
  events: number;
}

/** A hunter's tags and note on a finding (by finding id, stable within a case). */
export interface Annotation {
  findingId: string;
  tags: string[];
  note: string;
  updatedAt: IsoTime;
}

/** Live state of the import the UI started. */
export interface ImportStatus {
  running: boolean;
  progress: ImportProgress | null;
  /** Files done so far, with their reports. */
  filesDone: number;
  startedAt: IsoTime | null;
}

export interface RecentCase {
  path: string;
  openedAt: IsoTime;
}

// ---------------------------------------------------------------------------------------------
// Triage (main/triage): a state per finding, kept in the case with its history of changes.

/** `expected` = expected business traffic (owner and documented purpose; feeds the baseline). */
export type TriageState = 'new' | 'investigating' | 'expected' | 'escalated' | 'closed';

export interface TriageNote {
  at: IsoTime;
  /** Who wrote it, when known. */
  by: string | null;
  text: string;
}

/** What a finding carries as its `triage` extension. */
export interface FindingTriage {
  state: TriageState;
  owner: string | null;
  /** Analyst notes, oldest first. */
  notes: TriageNote[];
  /** Last change; null while the finding was never triaged. */
  updatedAt: IsoTime | null;
}

export interface TriageRecord extends FindingTriage {
  findingId: string;
  /** Baseline entry added when the finding was marked expected (removed when it leaves that state). */
  baselineId: string | null;
  /** The finding as it was when last triaged (category, src, dst, port), for findings no longer scored. */
  finding: { category: string; src: string; dst: string; port: number | null; proto: string | null } | null;
}

/** One change of a finding's triage record. */
export interface TriageChange {
  findingId: string;
  at: IsoTime;
  by: string | null;
  fromState: TriageState | null;
  toState: TriageState;
  /** Owner after the change. */
  owner: string | null;
  note: string | null;
  baselineId: string | null;
}

// ---------------------------------------------------------------------------------------------
// Telemetry coverage (main/coverage): what the loaded logs can and cannot show.

export interface CoverageGap {
  start: IsoTime;
  end: IsoTime;
  /** Extension: length of the gap in seconds. */
  seconds: number;
}

/** One log type seen by one sensor. */
export interface CoverageLogType {
  /** conn, dns, http, ssl, alert, or another Zeek path / Suricata event type (dhcp, stats, …). */
  type: string;
  /** Sensor name from the logs (Zeek _node_name/_system_name, Suricata host), else the file's folder. */
  sensor: string;
  start: IsoTime | null;
  end: IsoTime | null;
  rows: number;
  /** rows / hours spanned (null for a span of zero). */
  rowsPerHour: number | null;
  /** Silences of an hour or more inside the span. */
  gaps: CoverageGap[];
  /** Extensions. */
  sensorFrom: 'log' | 'folder';
  /** False for log types Metronome does not load (span read back from the file). */
  loaded: boolean;
  seconds: number | null;
  gapsTotal: number;
  /** Distinct clock hours that hold rows. */
  activeHours: number;
  files: string[];
}

export interface CoverageOverlap {
  a: string;
  b: string;
  overlapSeconds: number;
  /** Extensions: the spans meet (even at one instant); else how far apart they are. */
  overlaps: boolean;
  apartSeconds: number;
}

export interface CoverageReport {
  logTypes: CoverageLogType[];
  overlap: CoverageOverlap[];
  naming: {
    connections: number;
    named: number;
    bareIp: number;
    /** Extensions: which source named them, and the same for outbound connections. */
    bySource: { sni: number; http: number; dns: number };
    outbound: { connections: number; named: number };
  };
  detectable: { period: number; possible: boolean; why: string; label: string; needsSeconds: number }[];
  notes: string[];
  /** Extensions. */
  capture: { start: IsoTime | null; end: IsoTime | null; seconds: number; basis: string; relativeClock: boolean };
  /** Log types grouped by overlapping time (more than one group: separate captures). */
  periods: { types: string[]; start: IsoTime; end: IsoTime }[];
  completeness: { connections: number; noBytes: number; noHistory: number; noDuration: number; open: number; byFormat: { format: string; connections: number; noBytes: number; noHistory: number }[] };
  hosts: {
    internal: number;
    inboundOnly: { count: number; ips: string[] };
    noDns: { count: number; ips: string[]; checked: boolean; why: string };
  };
  clock: {
    byType: { type: string; compared: number; beforeStart: number; afterEnd: number; maxSkewSeconds: number | null }[];
    sensors: { a: string; b: string; matched: number; offsetSeconds: number }[];
  };
  health: {
    source: string;
    sensor: string;
    reports: number;
    start: IsoTime | null;
    end: IsoTime | null;
    /** Packets lost or dropped as a share (0..100), when the sensor said. */
    lossPercent: number | null;
    maxLossPercent: number | null;
    text: string;
  }[];
}

// ---------------------------------------------------------------------------------------------
// Evidence package (main/evidence): a self-contained folder for incident response.

export interface EvidenceFile {
  /** Path inside the package (forward slashes). */
  path: string;
  sha256: string;
  bytes: number;
}

export interface EvidenceSource {
  path: string;
  format: string | null;
  logType: string | null;
  /** SHA-256 recorded at import, and computed again now (null when the file is gone). */
  recordedSha256: string;
  sha256: string | null;
  status: 'unchanged' | 'changed' | 'missing';
  /** Lines of this file in the package. */
  lines: number;
}

export interface EvidencePackage {
  dir: string;
  findingId: string;
  events: number;
  rawLines: number;
  files: EvidenceFile[];
  sources: EvidenceSource[];
  warnings: string[];
}
