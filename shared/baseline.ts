// Baseline / safelist matching and drift, pure so the views can explain it too. An entry hides a
// finding only while the traffic still looks as documented; a new destination, 10× the volume,
// another period or another hour brings it back, flagged.
import { inCidr, parseCidr } from './net.js';
import type { BaselineEntry, BaselineMatch, Finding } from './types.js';

/** Relative period change that counts as drift. */
export const PERIOD_DRIFT = 0.25;
/** Volume multiple that counts as drift. */
export const VOLUME_DRIFT = 10;
/** Minutes of clock difference that count as drift. */
export const HOUR_DRIFT_MINUTES = 30;

function domainMatches(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase().replace(/^\*\./, '');
  const n = name.toLowerCase();
  return n === p || n.endsWith(`.${p}`);
}

function sources(f: Finding): string[] {
  return f.src === '*' ? f.hosts ?? [] : [f.src];
}

function destinationIps(f: Finding): string[] {
  return f.dstKind === 'ip' ? [f.dst] : (f.dstIps ?? []).map((d) => d.ip);
}

export function entryMatches(e: BaselineEntry, f: Finding): boolean {
  const srcOk = e.src === null || sources(f).includes(e.src);
  switch (e.kind) {
    case 'ip':
      return destinationIps(f).includes(e.dst);
    case 'cidr': {
      const c = parseCidr(e.dst);
      const ips = destinationIps(f);
      return ips.length > 0 && ips.every((ip) => inCidr(ip, c));
    }
    case 'domain':
      return f.dstKind !== 'ip' && domainMatches(e.dst, f.dst);
    case 'pair':
      return srcOk && (f.dst === e.dst || destinationIps(f).includes(e.dst));
    case 'src-domain':
      return srcOk && f.dstKind !== 'ip' && domainMatches(e.dst, f.dst);
  }
}

function minutesOf(hhmm: string): number | null {
  const m = /(\d{1,2}):(\d{2})/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Ways the finding no longer matches what the entry documents. */
export function driftOf(e: BaselineEntry, f: Finding): string[] {
  const out: string[] = [];
  if (e.expectedPeriod && f.period && Math.abs(f.period - e.expectedPeriod) > PERIOD_DRIFT * e.expectedPeriod) {
    out.push(`period is ${Math.round(f.period)} s, documented ${Math.round(e.expectedPeriod)} s`);
  }
  if (e.expectedBytesOut && f.bytesOut !== null && f.checkins > 0) {
    const perCheckin = f.bytesOut / f.checkins;
    if (perCheckin > VOLUME_DRIFT * e.expectedBytesOut) {
      out.push(`${Math.round(perCheckin)} bytes out per check-in, ${Math.round(perCheckin / e.expectedBytesOut)}× the documented ${e.expectedBytesOut}`);
    }
  }
  if (e.expectedAt && f.clock) {
    const want = minutesOf(e.expectedAt);
    const got = minutesOf(f.clock.at);
    if (want !== null && got !== null) {
      const d = Math.min(Math.abs(want - got), 1440 - Math.abs(want - got));
      if (d > HOUR_DRIFT_MINUTES) out.push(`runs at ${f.clock.at}, documented ${e.expectedAt}`);
    }
  }
  if (e.kind === 'pair' && f.dstKind !== 'ip' && f.dstIps?.length) {
    const fresh = f.dstIps.map((d) => d.ip).filter((ip) => ip !== e.dst);
    if (fresh.length) out.push(`new destination ${fresh.slice(0, 3).join(', ')} (documented ${e.dst})`);
  }
  return out;
}

/** The first matching entry with its drift, or null. */
export function matchBaseline(entries: BaselineEntry[], f: Finding): BaselineMatch | null {
  for (const e of entries) {
    if (!entryMatches(e, f)) continue;
    return { id: e.id, owner: e.owner, note: e.note, drift: driftOf(e, f) };
  }
  return null;
}

/**
 * What the baseline adds to one finding: null when the finding is hidden (on the baseline
 * without drift, and not `all`), {} when no entry matches, else `baseline` and, when it drifted,
 * `reasons` led by a sentence saying what changed.
 */
export function baselineFields(f: Finding, entries: BaselineEntry[], all: boolean): Partial<Pick<Finding, 'baseline' | 'reasons'>> | null {
  if (!entries.length) return {};
  const m = matchBaseline(entries, f);
  if (!m) return {};
  if (m.drift.length === 0 && !all) return null;
  const reasons = m.drift.length
    ? [{ feature: 'baseline-drift', contribution: 0, text: `drifted from the baseline entry of ${m.owner}: ${m.drift.join('; ')}` }, ...f.reasons]
    : f.reasons;
  return { baseline: m, reasons };
}

/**
 * Applies the baseline: findings on it without drift are dropped unless `all`; matched findings
 * carry `baseline`; drifted ones stay visible with a reason saying what changed.
 */
export function applyBaseline(findings: Finding[], entries: BaselineEntry[], all: boolean): Finding[] {
  if (!entries.length) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const b = baselineFields(f, entries, all);
    if (b === null) continue;
    out.push(b.baseline ? { ...f, ...b } : f);
  }
  return out;
}
