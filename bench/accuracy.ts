// Accuracy benchmark: generates the named scenarios (scenarios/*.json, seeded), loads each as
// Zeek TSV, scans it with Metronome's detector and with the RITA v5 baseline (the published
// formula, shared/scoring/rita.ts), and prints recall (planted threats in the top K) and average
// precision over the ranking for both, side by side. `npm run bench:accuracy`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../shared/types.js';
import { Engine, type Scorer } from '../main/api/engine.js';
import { generateScenario } from '../main/generate/generate.js';
import type { Truth, TruthItem } from '../main/generate/truth.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ScenarioScore {
  scenario: string;
  scorer: Scorer;
  threats: number;
  /** Planted threats found anywhere in the ranking with score > 0. */
  found: number;
  /** Planted threats within the first `k` findings (k = number of threats × 2, at least 5). */
  recallAtK: number;
  k: number;
  averagePrecision: number;
  /** Rank (1-based) of each threat, null when missed. */
  ranks: { id: string; rank: number | null }[];
  seconds: number;
}

/** Does a finding describe this planted item? (source and destination by IP, name or domain) */
export function matches(f: Finding, t: TruthItem): boolean {
  const srcs = f.src === '*' ? f.hosts ?? [] : [f.src];
  const tSrcs = t.src ? [t.src] : t.hosts ?? [];
  if (!tSrcs.some((s) => srcs.includes(s))) return false;
  const ips = new Set([...(t.dst.ip ? [t.dst.ip] : []), ...(t.dst.ips ?? []), ...t.observed.dstIps.map((d) => d.ip)]);
  const names = [t.dst.fqdn, t.dst.domain].filter((x): x is string => !!x).map((x) => x.toLowerCase());
  if (f.dstKind === 'ip') return ips.has(f.dst);
  return names.includes(f.dst) || (f.dstIps ?? []).some((d) => ips.has(d.ip)) || names.some((n) => n.endsWith(`.${f.dst}`));
}

/** Average precision of a ranking against the relevant items (each item counted once). */
export function averagePrecision(findings: Finding[], relevant: TruthItem[]): { ap: number; ranks: (number | null)[] } {
  const ranks: (number | null)[] = relevant.map(() => null);
  let hits = 0;
  let sum = 0;
  findings.forEach((f, i) => {
    if (f.score <= 0) return;
    const j = relevant.findIndex((t, k) => ranks[k] === null && matches(f, t));
    if (j < 0) return;
    ranks[j] = i + 1;
    hits++;
    sum += hits / (i + 1);
  });
  return { ap: relevant.length ? sum / relevant.length : 1, ranks };
}

export async function scoreScenario(name: string, scorer: Scorer, dir: string, truth: Truth): Promise<ScenarioScore> {
  const t0 = performance.now();
  const engine = await Engine.open({ scorer });
  await engine.import([dir]);
  const { findings } = await engine.scan();
  engine.close();
  const threats = truth.items.filter((t) => t.malicious);
  const { ap, ranks } = averagePrecision(findings, threats);
  const k = Math.max(5, threats.length * 2);
  return {
    scenario: name,
    scorer,
    threats: threats.length,
    found: ranks.filter((r) => r !== null).length,
    recallAtK: threats.length ? ranks.filter((r) => r !== null && r <= k).length / threats.length : 1,
    k,
    averagePrecision: ap,
    ranks: threats.map((t, i) => ({ id: t.id, rank: ranks[i] })),
    seconds: (performance.now() - t0) / 1000,
  };
}

export async function runAccuracy(scenarios: string[], seed = 1): Promise<ScenarioScore[]> {
  const out: ScenarioScore[] = [];
  for (const name of scenarios) {
    const scenario = JSON.parse(readFileSync(join(ROOT, 'scenarios', `${name}.json`), 'utf8'));
    const tmp = mkdtempSync(join(tmpdir(), `metronome-acc-${name}-`));
    try {
      const g = await generateScenario({ scenario, seed, out: tmp, formats: ['zeek-tsv'] });
      const truth = JSON.parse(readFileSync(g.truth, 'utf8')) as Truth;
      const dir = g.dirs['zeek-tsv'] as string;
      for (const scorer of ['metronome', 'rita'] as Scorer[]) out.push(await scoreScenario(name, scorer, dir, truth));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return out;
}

function table(rows: ScenarioScore[]): string {
  const lines = [
    'scenario               scorer     threats  found  recall@k (k)   AP     seconds  ranks',
    '---------------------  ---------  -------  -----  -------------  -----  -------  -----',
  ];
  for (const r of rows) {
    lines.push(
      `${r.scenario.padEnd(21)}  ${r.scorer.padEnd(9)}  ${String(r.threats).padStart(7)}  ${String(r.found).padStart(5)}  ${r.recallAtK.toFixed(2).padStart(8)} (${String(r.k).padStart(2)})  ${r.averagePrecision.toFixed(3)}  ${r.seconds.toFixed(1).padStart(7)}  ${r.ranks.map((x) => `${x.id}:${x.rank ?? '-'}`).join(' ')}`,
    );
  }
  for (const scorer of ['metronome', 'rita']) {
    const mine = rows.filter((r) => r.scorer === scorer);
    const map = mine.reduce((a, r) => a + r.averagePrecision, 0) / Math.max(1, mine.length);
    const recall = mine.reduce((a, r) => a + r.recallAtK, 0) / Math.max(1, mine.length);
    lines.push(`mean ${scorer.padEnd(9)}  recall@k ${recall.toFixed(2)}  AP ${map.toFixed(3)}`);
  }
  return lines.join('\n');
}

const DEFAULT_SCENARIOS = ['cobalt-strike-default', 'nightly-exfil', 'noisy-office'];

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const rows = await runAccuracy(names.length ? names : DEFAULT_SCENARIOS);
  console.log(process.argv.includes('--json') ? JSON.stringify(rows, null, 2) : table(rows));
}
