// Detectors beside the rhythm detector, as hunters expect from RITA: long connections (C2 kept
// inside one session) and DNS tunnelling / C2 over DNS. SQL measures (long-connections.sql,
// dns-tunnel.sql); the evidence and its sentences are here. Both need the temp tables the main
// scan builds (ip_class, conn_names, name_map).
import { directionOf } from '../../../shared/net.js';
import { formatDuration } from '../../../shared/format.js';
import { microsToIso } from '../../../shared/time.js';
import type { Finding, Reason } from '../../../shared/types.js';
import { num, type Database } from '../../engine/db.js';
import { normalizeName } from '../names.js';
import { priorsFor, type PriorRule } from '../priors.js';
import { sql } from '../sql.js';

/** RITA's threshold: an hour of cumulative duration makes a long connection worth a look. */
export const LONG_CONNECTION_SECONDS = 3600;
/** A long session is common (websockets, VPNs, streaming): it never outranks a strong rhythm. */
export const LONG_CONNECTION_MAX_SCORE = 0.75;
/** Distinct subdomains under one domain from one client before it is worth scoring. */
export const DNS_TUNNEL_MIN_UNIQUE = 30;

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function byContribution(rs: Reason[]): Reason[] {
  return rs.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.feature < b.feature ? -1 : 1));
}

export async function longConnections(
  db: Database,
  priors: PriorRule[],
  idFor: (category: string, key: string[]) => string,
): Promise<Finding[]> {
  const rows = await db.all<Record<string, unknown>>(sql('detectors/long-connections'), { min_seconds: LONG_CONNECTION_SECONDS });
  const out: Finding[] = [];
  for (const r of rows) {
    const direction = directionOf(Boolean(r.src_internal), Boolean(r.dst_internal));
    if (direction === 'inbound') continue;
    const total = num(r.total_duration) ?? 0;
    const hours = total / 3600;
    const n = num(r.n) ?? 0;
    const open = num(r.still_open) ?? 0;
    const port = num(r.dst_port);
    const proto = (r.proto as string | null) ?? null;
    const name = normalizeName(r.raw_name as string | null);
    const longest = num(r.longest) ?? 0;
    // One session held for hours is the signal (C2 kept inside one connection); many short
    // connections that add up (a proxy, a chatty service) count only a little.
    const reasons: Reason[] = [
      {
        feature: 'duration',
        contribution: Math.min(6, 2 * Math.log2(1 + longest / 3600)),
        text: `duration: longest session ${formatDuration(longest)}`,
      },
      {
        feature: 'cumulative',
        contribution: Math.min(1.5, 0.5 * Math.log2(1 + hours)),
        text: `cumulative: ${formatDuration(total)} connected in ${n} connection${n > 1 ? 's' : ''}`,
      },
    ];
    if (direction === 'outbound') reasons.push({ feature: 'direction', contribution: 0.5, text: 'direction: an internal host holds a session to an outside destination' });
    if (open) reasons.push({ feature: 'open', contribution: 0.3, text: `open: ${open} still open when the capture ended` });
    reasons.push(...priorsFor({ name, port, proto }, priors));
    const logit = -4 + reasons.reduce((a, x) => a + x.contribution, 0);
    out.push({
      id: idFor('long-connection', [String(r.src_ip), String(r.dst_ip), String(port), String(proto)]),
      category: 'long-connection',
      src: String(r.src_ip),
      dst: String(r.dst_ip),
      dstKind: 'ip',
      ...(port !== null ? { port } : {}),
      ...(proto !== null ? { proto } : {}),
      direction,
      eventType: 'connection',
      connections: n,
      checkins: n,
      period: null,
      score: round3(Math.min(LONG_CONNECTION_MAX_SCORE, sigmoid(logit))),
      firstSeen: microsToIso(r.first_us as bigint),
      lastSeen: microsToIso(r.last_us as bigint),
      bytesOut: num(r.bytes_out),
      bytesIn: num(r.bytes_in),
      reasons: byContribution(reasons),
      scorer: 'metronome',
      keyLevel: 'ip',
    });
  }
  return out;
}

export async function dnsTunnels(
  db: Database,
  priors: PriorRule[],
  idFor: (category: string, key: string[]) => string,
): Promise<Finding[]> {
  const rows = await db.all<Record<string, unknown>>(sql('detectors/dns-tunnel'), { min_unique: DNS_TUNNEL_MIN_UNIQUE });
  const out: Finding[] = [];
  for (const r of rows) {
    const domain = String(r.domain);
    // Reverse lookups have one unique name per address by design.
    if (domain.endsWith('.arpa') || domain === 'arpa') continue;
    const n = num(r.n) ?? 0;
    const unique = num(r.unique_names) ?? 0;
    const avgLen = num(r.avg_sub_len) ?? 0;
    const dataShare = n ? (num(r.data_types) ?? 0) / n : 0;
    const reasons: Reason[] = [
      {
        feature: 'subdomains',
        contribution: Math.min(4, 1.6 * Math.log10(unique)),
        text: `subdomains: ${unique} distinct names under ${domain} in ${n} lookups`,
      },
      {
        feature: 'label-length',
        contribution: Math.max(0, Math.min(3, (avgLen - 12) / 4)),
        text: `label length: subdomains average ${avgLen.toFixed(0)} characters (longest ${num(r.max_sub_len)}): room for encoded data`,
      },
    ];
    if (dataShare > 0.1) {
      reasons.push({
        feature: 'record-types',
        contribution: 2 * dataShare,
        text: `record types: ${Math.round(100 * dataShare)} % of lookups ask for TXT / NULL / CNAME / MX, which carry data back`,
      });
    }
    reasons.push(...priorsFor({ name: domain, port: 53, proto: 'udp' }, priors).filter((p) => !p.feature.endsWith(':dns')));
    const logit = -4 + reasons.reduce((a, x) => a + x.contribution, 0);
    out.push({
      id: idFor('dns-tunnel', [String(r.src_ip), domain]),
      category: 'dns-tunnel',
      src: String(r.src_ip),
      dst: domain,
      dstKind: 'domain',
      dstIps: [{ ip: String(r.resolver), count: n }],
      direction: r.src_internal ? 'outbound' : 'external',
      eventType: 'dns',
      connections: n,
      checkins: n,
      period: null,
      score: round3(sigmoid(logit)),
      firstSeen: microsToIso(r.first_us as bigint),
      lastSeen: microsToIso(r.last_us as bigint),
      bytesOut: null,
      bytesIn: null,
      reasons: byContribution(reasons),
      scorer: 'metronome',
      keyLevel: 'domain',
      dstPorts: [{ port: 53, proto: 'udp', count: n }],
    });
  }
  return out;
}
