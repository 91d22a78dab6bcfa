// Case context applied to findings at query time: offline indicator lists the hunter imports
// (IPs, CIDRs, domains, JA3 hashes) add evidence to a matching finding's score; asset
// criticality by host or CIDR sets its triage priority. Pure, so the views can explain both.
import { inCidr, parseCidr } from './net.js';
import type { Finding, Reason } from './types.js';

export type IndicatorKind = 'ip' | 'cidr' | 'domain' | 'ja3';

export interface Indicator {
  kind: IndicatorKind;
  value: string;
  /** The list it came from (file name or feed name). */
  source: string;
  note: string | null;
}

export type Criticality = 'critical' | 'high' | 'normal' | 'low';

export interface AssetEntry {
  /** A host IP or CIDR. */
  match: string;
  criticality: Criticality;
  note: string | null;
}

/** Log-odds added for a destination on an imported indicator list. */
export const INTEL_CONTRIBUTION = 2.5;

function destinationIps(f: Finding): string[] {
  return f.dstKind === 'ip' ? [f.dst] : (f.dstIps ?? []).map((d) => d.ip);
}

function domainHit(name: string, value: string): boolean {
  const v = value.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
  return name === v || name.endsWith(`.${v}`);
}

export function indicatorMatches(f: Finding, i: Indicator): boolean {
  switch (i.kind) {
    case 'ip':
      return destinationIps(f).includes(i.value);
    case 'cidr': {
      const c = parseCidr(i.value);
      return destinationIps(f).some((ip) => inCidr(ip, c));
    }
    case 'domain':
      return f.dstKind !== 'ip' && domainHit(f.dst, i.value);
    case 'ja3':
      return (f.ja3 ?? []).includes(i.value.toLowerCase());
  }
}

function shift(score: number, by: number): number {
  const p = Math.min(1 - 1e-6, Math.max(1e-6, score));
  return Math.round(1000 / (1 + Math.exp(-(Math.log(p / (1 - p)) + by)))) / 1000;
}

/**
 * Findings whose destination (or client fingerprint) is on an imported list gain evidence with
 * its sentence. Timing still gates: a finding without a rhythm only rises to the gate cap.
 */
export function applyIntel(findings: Finding[], indicators: Indicator[]): Finding[] {
  if (!indicators.length) return findings;
  return findings.map((f) => {
    const hits = indicators.filter((i) => indicatorMatches(f, i));
    if (!hits.length) return f;
    const sources = [...new Set(hits.map((h) => h.source))];
    const reason: Reason = {
      feature: 'intel',
      contribution: INTEL_CONTRIBUTION,
      text: `intel: ${hits[0].kind === 'ja3' ? 'client fingerprint' : 'destination'} ${hits[0].value} is on ${sources.join(', ')}${hits[0].note ? ` (${hits[0].note})` : ''}`,
    };
    const rhythm = f.period !== null || f.category === 'long-connection' || f.category === 'dns-tunnel';
    const score = rhythm ? shift(f.score, INTEL_CONTRIBUTION) : Math.min(0.2, shift(f.score, INTEL_CONTRIBUTION));
    const reasons = [reason, ...f.reasons].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
    return { ...f, score, reasons, intel: hits.map((h) => ({ kind: h.kind, value: h.value, source: h.source })) };
  });
}

const RANK: Record<Criticality, number> = { critical: 3, high: 2, normal: 1, low: 0 };

/** The most critical asset entry that covers one of the finding's sources. */
export function criticalityOf(f: Finding, assets: AssetEntry[]): AssetEntry | null {
  const srcs = f.src === '*' ? f.hosts ?? [] : [f.src];
  let best: AssetEntry | null = null;
  for (const a of assets) {
    const c = parseCidr(a.match);
    if (srcs.some((s) => inCidr(s, c)) && (!best || RANK[a.criticality] > RANK[best.criticality])) best = a;
  }
  return best;
}

/**
 * Triage priority: the score says how sure we are, criticality how much it matters. A strong
 * finding on a critical asset is P1; criticality never changes the score or the order.
 */
export function applyAssets(findings: Finding[], assets: AssetEntry[]): Finding[] {
  return findings.map((f) => ({ ...f, ...assetFields(f, assets) }));
}

/** A finding's triage priority from its score and its sources' criticality, and the asset entry. */
export function assetFields(f: Finding, assets: AssetEntry[]): Pick<Finding, 'priority' | 'asset'> {
  const a = assets.length ? criticalityOf(f, assets) : null;
  const crit = a?.criticality ?? 'normal';
  const level = f.score >= 0.8 ? 2 : f.score >= 0.5 ? 1 : 0;
  const priority = (['P4', 'P3', 'P2', 'P1'] as const)[Math.min(3, Math.max(0, level + RANK[crit] - 1))];
  return { priority, ...(a ? { asset: { criticality: a.criticality, match: a.match, note: a.note } } : {}) };
}
