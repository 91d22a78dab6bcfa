// The ground truth of a generated scenario (truth.json): every planted item with what was
// specified (period, jitter, schedule, hours) and what was actually generated (connections,
// check-ins, first/last seen, bytes, addresses), plus row counts per output file.
import { writeFileSync } from 'node:fs';
import type { ActiveHours, EventType, JitterMode, Source } from './scenario.js';
import { usToIso } from './time.js';
import type { Stats } from './world.js';

export type TruthKind = 'beacon' | 'scheduled-transfer' | 'fleet-schedule' | 'benign';

export interface TruthItem {
  id: string;
  kind: TruthKind;
  source: Source['type'];
  malicious: boolean;
  description?: string;
  /** Source host (single-host items). */
  src?: string;
  /** Source hosts (fleets, pollers). */
  hosts?: string[];
  dst: { ip?: string; fqdn?: string; ips?: string[]; domain?: string };
  port: number | null;
  proto: 'tcp' | 'udp';
  eventType: EventType;
  /** Seconds between check-ins (86400 daily, 604800 weekly). */
  period: number | null;
  /** Fraction of the period (for schedules: window minutes × 60 / period). */
  jitter: number;
  jitterMode?: JitterMode;
  missProbability?: number;
  burst?: { size: [number, number]; spread: [number, number] };
  /** When the source (or its host) is active; omitted when always. */
  activeHours?: ActiveHours[];
  schedule?: { every: 'daily' | 'weekly'; at: string; weekday?: string; timeZone: string; windowMinutes: number; missingDays?: number[] };
  observed: ObservedStats;
}

export interface ObservedStats {
  /** Connections (conn rows / flows) carrying the item; for eventType dns, its DNS flows. Lookups before connecting are not counted here. */
  connections: number;
  checkins: number;
  /** HTTP requests (http rows) of the item. */
  requests: number;
  /** DNS lookups the item made (its beacon queries for eventType dns; name lookups before connecting otherwise). */
  lookups: number;
  bytesOut: number;
  bytesIn: number;
  firstSeen: string | null;
  lastSeen: string | null;
  dstIps: { ip: string; connections: number }[];
}

export interface BackgroundEntry {
  id: string;
  source: Source['type'];
  hosts: number;
  connections: number;
}

export interface Truth {
  scenario: string;
  description?: string;
  seed: number;
  start: string;
  end: string;
  timeZone: string;
  internal: string;
  resolver: string;
  hosts: string[];
  items: TruthItem[];
  background: BackgroundEntry[];
  files: { path: string; format: string; logType: string; rows: number }[];
}

export function observed(st: Stats): ObservedStats {
  return {
    connections: st.connections,
    checkins: st.checkins,
    requests: st.requests,
    lookups: st.lookups,
    bytesOut: st.bytesOut,
    bytesIn: st.bytesIn,
    firstSeen: st.first === Infinity ? null : usToIso(st.first),
    lastSeen: st.last === -Infinity ? null : usToIso(st.last),
    dstIps: [...st.dstIps.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([ip, connections]) => ({ ip, connections })),
  };
}

export function truthJson(t: Truth): string {
  return `${JSON.stringify(t, null, 2)}\n`;
}

/** Writes truth.json (pretty-printed, stable key order: same seed, same bytes). */
export function writeTruth(path: string, t: Truth): void {
  writeFileSync(path, truthJson(t));
}
