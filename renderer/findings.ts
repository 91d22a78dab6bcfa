// Pure helpers of the findings list: filtering (score, category, text, CIDR, expected),
// sorting, and export to CSV / JSON. No DOM, so they run on 100 000 findings in milliseconds.
import { inCidr, parseCidr, type Cidr } from '../shared/net.js';
import type { Annotation, Category, Finding, TriageState } from '../shared/types.js';

export type SortKey =
  | 'rank'
  | 'score'
  | 'category'
  | 'src'
  | 'dst'
  | 'port'
  | 'period'
  | 'connections'
  | 'checkins'
  | 'bytesOut'
  | 'firstSeen'
  | 'lastSeen'
  | 'prevalence'
  | 'state';

export interface Sort {
  key: SortKey;
  desc: boolean;
}

export interface Filters {
  minScore: number;
  category: Category | '';
  text: string;
  cidr: string;
  /** Show findings marked expected (baseline without drift) too. */
  showExpected: boolean;
  /** Triage state ('' = any). */
  state: TriageState | '';
}

export const DEFAULT_FILTERS: Filters = { minScore: 0, category: '', text: '', cidr: '', showExpected: false, state: '' };

/** Parses the CIDR filter: null when empty, an error message when invalid. */
export function parseCidrFilter(text: string): Cidr | null | { error: string } {
  const t = text.trim();
  if (!t) return null;
  try {
    return parseCidr(t);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export const TRIAGE_STATES: TriageState[] = ['new', 'investigating', 'escalated', 'expected', 'closed'];

/** A finding's triage state (`new` when never triaged). */
export function triageState(f: Finding): TriageState {
  return f.triage?.state ?? 'new';
}

/** Expected: on the baseline and still matching what was documented (no drift). */
export function isExpected(f: Finding): boolean {
  return !!f.baseline && f.baseline.drift.length === 0;
}

function addresses(f: Finding): string[] {
  const out = f.src === '*' ? [...(f.hosts ?? [])] : [f.src];
  if (f.dstKind === 'ip') out.push(f.dst);
  for (const d of f.dstIps ?? []) out.push(d.ip);
  return out;
}

export function filterFindings(findings: Finding[], filters: Filters, notes: Map<string, Annotation>): Finding[] {
  const cidr = parseCidrFilter(filters.cidr);
  const range = cidr && !('error' in cidr) ? cidr : null;
  const text = filters.text.trim().toLowerCase();
  return findings.filter((f) => {
    if (f.score < filters.minScore) return false;
    if (filters.category && f.category !== filters.category) return false;
    if (!filters.showExpected && isExpected(f) && filters.state !== 'expected') return false;
    if (filters.state && triageState(f) !== filters.state) return false;
    if (range && !addresses(f).some((ip) => inCidr(ip, range))) return false;
    if (text) {
      const a = notes.get(f.id);
      const hay = [f.src, f.dst, f.category, ...(f.hosts ?? []), ...(f.dstIps ?? []).map((d) => d.ip), ...(a?.tags ?? []), a?.note ?? '']
        .join('\n')
        .toLowerCase();
      if (!hay.includes(text)) return false;
    }
    return true;
  });
}

function value(f: Finding, key: SortKey): number | string | null {
  switch (key) {
    case 'rank':
    case 'score':
      return f.score;
    case 'category':
      return f.category;
    case 'src':
      return f.src;
    case 'dst':
      return f.dst;
    case 'port':
      return f.port ?? f.dstPorts?.[0]?.port ?? null;
    case 'period':
      return f.period;
    case 'connections':
      return f.connections;
    case 'checkins':
      return f.checkins;
    case 'bytesOut':
      return f.bytesOut;
    case 'firstSeen':
      return f.firstSeen;
    case 'lastSeen':
      return f.lastSeen;
    case 'prevalence':
      return f.prevalence ?? null;
    case 'state':
      return TRIAGE_STATES.indexOf(triageState(f));
  }
}

/** Sorted copy; unknown values (null) always last; ties keep the engine's ranking. */
export function sortFindings(findings: Finding[], sort: Sort): Finding[] {
  if (sort.key === 'rank') return sort.desc ? findings : [...findings].reverse();
  const rank = new Map(findings.map((f, i) => [f, i]));
  const dir = sort.desc ? -1 : 1;
  return [...findings].sort((a, b) => {
    const va = value(a, sort.key);
    const vb = value(b, sort.key);
    if (va === null || vb === null) return va === vb ? rank.get(a)! - rank.get(b)! : va === null ? 1 : -1;
    if (va < vb) return -dir;
    if (va > vb) return dir;
    return rank.get(a)! - rank.get(b)!;
  });
}

// ---------------------------------------------------------------------------------------------
// export

const CSV_COLUMNS = [
  'rank', 'id', 'score', 'category', 'src', 'hosts', 'dst', 'dst_kind', 'port', 'proto', 'period_s', 'connections',
  'checkins', 'bytes_out', 'bytes_in', 'first_seen', 'last_seen', 'prevalence', 'scorer', 'expected_by', 'tags', 'note', 'reasons',
] as const;

/**
 * One CSV field: quoted when needed. Text that a spreadsheet would run as a formula (starting
 * with = + - @ or a tab / carriage return) gets a leading apostrophe: log content is untrusted.
 */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function findingsCsv(findings: Finding[], notes: Map<string, Annotation>): string {
  const lines = [CSV_COLUMNS.join(',')];
  findings.forEach((f, i) => {
    const a = notes.get(f.id);
    const row: (string | number | null)[] = [
      i + 1, f.id, f.score, f.category, f.src, (f.hosts ?? []).join(' '), f.dst, f.dstKind, f.port ?? null, f.proto ?? null,
      f.period, f.connections, f.checkins, f.bytesOut, f.bytesIn, f.firstSeen, f.lastSeen, f.prevalence ?? null, f.scorer,
      f.baseline ? f.baseline.owner : null, (a?.tags ?? []).join(' '), a?.note ?? null,
      f.reasons.map((r) => `${r.feature} ${r.contribution >= 0 ? '+' : ''}${r.contribution.toFixed(3)}: ${r.text}`).join(' | '),
    ];
    lines.push(row.map(csvField).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

export function findingsJson(findings: Finding[], notes: Map<string, Annotation>): string {
  return `${JSON.stringify(
    {
      exportedAt: new Date().toISOString(),
      findings: findings.map((f) => {
        const a = notes.get(f.id);
        return a ? { ...f, tags: a.tags, note: a.note } : f;
      }),
    },
    null,
    2,
  )}\n`;
}
