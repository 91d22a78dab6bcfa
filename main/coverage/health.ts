// Capture health where the sensor logged it: Zeek capture_loss (missed segments per ACKs),
// Zeek stats (packets processed / dropped), Suricata stats (kernel packets / drops). Records
// arrive as the JSON text kept in other_logs; the counters are summarised per sensor.
import type { CoverageReport } from '../../shared/types.js';

export interface HealthRecord {
  logType: string;
  tsUs: bigint | null;
  record: string;
  format: string;
  sensor: string;
}

type Health = CoverageReport['health'][number];

function n(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v !== '' && v !== '-' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function dig(o: unknown, path: string[]): unknown {
  let cur = o;
  for (const k of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function pct(v: number): string {
  return `${v < 0.01 && v > 0 ? v.toPrecision(2) : v.toFixed(2)} %`;
}

function fmtInt(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

/** Summaries per (source, sensor); `iso` turns a micros time into the contract's ISO string. */
export function summarizeHealth(records: HealthRecord[], iso: (us: bigint) => string, sensorName: (key: string) => string): Health[] {
  const groups = new Map<string, HealthRecord[]>();
  for (const r of records) {
    const source = r.format === 'suricata-eve' ? 'suricata stats' : `zeek ${r.logType}`;
    const key = `${source}\u0000${r.sensor}`;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  const out: Health[] = [];
  for (const [key, list] of groups) {
    const [source, sensorKey] = key.split('\u0000');
    const times = list.map((r) => r.tsUs).filter((t): t is bigint => t !== null).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const base = {
      source,
      sensor: sensorName(sensorKey),
      reports: list.length,
      start: times.length ? iso(times[0]) : null,
      end: times.length ? iso(times[times.length - 1]) : null,
    };
    const recs = list.map((r) => {
      try {
        return JSON.parse(r.record) as Record<string, unknown>;
      } catch {
        return {};
      }
    });
    if (source === 'zeek capture_loss') {
      let gaps = 0;
      let acks = 0;
      let max: number | null = null;
      for (const o of recs) {
        gaps += n(o.gaps) ?? 0;
        acks += n(o.acks) ?? 0;
        const p = n(o.percent_lost);
        if (p !== null) max = max === null ? p : Math.max(max, p);
      }
      const loss = acks > 0 ? (100 * gaps) / acks : max;
      out.push({
        ...base,
        lossPercent: loss,
        maxLossPercent: max,
        text: `Zeek capture_loss: ${list.length} report${list.length === 1 ? '' : 's'}; ${fmtInt(gaps)} missed segments in ${fmtInt(acks)} ACKs (${loss === null ? 'loss unknown' : pct(loss)} overall, worst report ${max === null ? '–' : pct(max)})${
          (max ?? 0) >= 1 ? ': the sensor lost packets, so rhythms may have holes' : ''
        }`,
      });
    } else if (source === 'zeek stats') {
      let proc = 0;
      let dropped: number | null = null;
      let link: number | null = null;
      let memMax: number | null = null;
      let maxShare: number | null = null;
      for (const o of recs) {
        const p = n(o.pkts_proc) ?? 0;
        const d = n(o.pkts_dropped);
        const l = n(o.pkts_link);
        proc += p;
        if (d !== null) dropped = (dropped ?? 0) + d;
        if (l !== null) link = (link ?? 0) + l;
        const m = n(o.mem);
        if (m !== null) memMax = memMax === null ? m : Math.max(memMax, m);
        if (d !== null && p + d > 0) maxShare = Math.max(maxShare ?? 0, (100 * d) / (p + d));
      }
      const loss = dropped === null ? null : proc + dropped > 0 ? (100 * dropped) / (proc + dropped) : 0;
      out.push({
        ...base,
        lossPercent: loss,
        maxLossPercent: maxShare,
        text: `Zeek stats: ${list.length} report${list.length === 1 ? '' : 's'}; ${fmtInt(proc)} packets processed${
          dropped === null ? ', drops not reported (pkts_dropped unset, e.g. when Zeek read a pcap)' : `, ${fmtInt(dropped)} dropped (${pct(loss ?? 0)})`
        }${link !== null ? `, ${fmtInt(link)} seen on the link` : ''}${memMax !== null ? `; memory up to ${memMax} MB` : ''}`,
      });
    } else {
      // Suricata counters are cumulative since start: the largest value is the total.
      let kernel: number | null = null;
      let drops: number | null = null;
      let decoded: number | null = null;
      for (const o of recs) {
        const s = (dig(o, ['stats']) ?? o) as Record<string, unknown>;
        const k = n(dig(s, ['capture', 'kernel_packets']));
        const d = n(dig(s, ['capture', 'kernel_drops']));
        const p = n(dig(s, ['decoder', 'pkts']));
        if (k !== null) kernel = Math.max(kernel ?? 0, k);
        if (d !== null) drops = Math.max(drops ?? 0, d);
        if (p !== null) decoded = Math.max(decoded ?? 0, p);
      }
      const loss = kernel !== null && drops !== null && kernel > 0 ? (100 * drops) / kernel : null;
      out.push({
        ...base,
        lossPercent: loss,
        maxLossPercent: loss,
        text: `Suricata stats: ${list.length} report${list.length === 1 ? '' : 's'}; ${decoded === null ? 'packets decoded unknown' : `${fmtInt(decoded)} packets decoded`}${
          kernel === null ? ', no kernel capture counters (e.g. Suricata read a pcap)' : `, kernel dropped ${fmtInt(drops ?? 0)} of ${fmtInt(kernel)} (${pct(loss ?? 0)})`
        }`,
      });
    }
  }
  return out;
}
