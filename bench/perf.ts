// Performance benchmark (`npm run bench`): generates realistic Zeek conn logs (seeded, with
// planted beacons; never committed) at 1 M, 3 M and 10 M rows, then measures, each step in its
// own process so peak memory is its own: DuckDB's raw read_csv of the same file (the floor on
// this machine), Metronome's ingest (plain and .gz) as a ratio to it, full analysis, the first
// findings page, the pair-detail query of the largest pair, peak resident memory and the case
// file size. Prints a table (and JSON with --json). `--rows 20000,50000` picks other sizes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine } from '../main/api/engine.js';
import { DEFAULT_MEMORY_LIMIT } from '../main/engine/db.js';
import { generateConnLog } from '../main/generate/scale.js';

const SELF = fileURLToPath(import.meta.url);

interface Step {
  seconds: number;
  maxRssMB: number;
  [k: string]: number | string;
}

/** Runs one step of this script in a child process and returns what it printed as JSON. */
function child(args: string[]): Step {
  const r = spawnSync(process.execPath, [SELF, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`step ${args.join(' ')} failed: ${r.stderr}`);
  const last = r.stdout.trim().split('\n').pop() as string;
  return JSON.parse(last) as Step;
}

function rssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/**
 * Step: DuckDB's own read_csv of the file into a table, no processing (the practical floor).
 * `same` reads with the settings Metronome opens its cases with (preserve_insertion_order off,
 * which roughly halves a large read on two cores): the stricter floor, printed beside.
 */
async function stepRaw(file: string, same = false): Promise<Step> {
  const inst = await DuckDBInstance.create(':memory:', {
    memory_limit: DEFAULT_MEMORY_LIMIT,
    ...(same ? { preserve_insertion_order: 'false' } : {}),
  });
  const c = await inst.connect();
  const t0 = performance.now();
  await c.run(
    `CREATE TABLE raw AS SELECT * FROM read_csv($f, delim = '\t', header = false, comment = '#', quote = '', escape = '', auto_detect = false,
       columns = {${Array.from({ length: 21 }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ')}}, null_padding = true, ignore_errors = true)`,
    { f: file },
  );
  return { seconds: (performance.now() - t0) / 1000, maxRssMB: rssMB() };
}

/** Step: Metronome's import into a case file. */
async function stepIngest(file: string, db: string): Promise<Step> {
  const e = await Engine.open({ path: db });
  const t0 = performance.now();
  const r = await e.import([file]);
  const seconds = (performance.now() - t0) / 1000;
  e.close();
  const f = r.files[0];
  return { seconds, maxRssMB: rssMB(), rows: f.rows, how: f.how ?? '', caseMB: Math.round(statSync(db).size / 1e6) };
}

/** Step: full analysis of the case, first findings page, pair detail of the largest finding. */
async function stepAnalyze(db: string): Promise<Step> {
  const e = await Engine.open({ path: db });
  const t0 = performance.now();
  const scan = await e.scan();
  const seconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await e.handle('scan', { top: 100 });
  const firstPageMs = performance.now() - t1;
  // The largest pair (one source), and the largest fleet finding (many sources, up to the
  // detail's 50 000-connection cap).
  const bySize = [...scan.findings].sort((a, b) => b.connections - a.connections);
  const detail = async (id: string | undefined) => {
    if (!id) return { ms: 0, n: 0 };
    const t2 = performance.now();
    const d = (await e.handle('pairDetail', { id })) as { connections: unknown[] };
    return { ms: Math.round(performance.now() - t2), n: d.connections.length };
  };
  const pair = await detail(bySize.find((f) => f.src !== '*')?.id);
  const fleet = await detail(bySize.find((f) => f.src === '*')?.id);
  e.close();
  return {
    seconds, maxRssMB: rssMB(), findings: scan.findings.length, firstPageMs: Math.round(firstPageMs),
    pairDetailMs: pair.ms, pairConnections: pair.n, fleetDetailMs: fleet.ms, fleetConnections: fleet.n,
  };
}

export interface PerfRow {
  rows: number;
  fileMB: number;
  gzMB: number;
  rawSeconds: number;
  /** The raw read with Metronome's DuckDB settings (the stricter floor). */
  rawSameSeconds: number;
  ingestSeconds: number;
  ingestRatio: number;
  rowsPerSecond: number;
  gzRawSeconds: number;
  gzIngestSeconds: number;
  gzRatio: number;
  analysisSeconds: number;
  firstPageMs: number;
  pairDetailMs: number;
  pairConnections: number;
  fleetDetailMs: number;
  fleetConnections: number;
  peakRssMB: number;
  /** Peak resident memory of the analysis step alone (the ingest steps have their own). */
  analysisRssMB: number;
  caseMB: number;
  findings: number;
}

export async function runPerf(sizes: number[], keep = false): Promise<PerfRow[]> {
  const out: PerfRow[] = [];
  for (const rows of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'metronome-perf-'));
    try {
      const plain = join(dir, 'conn.log');
      const gz = join(dir, 'conn.log.gz');
      await generateConnLog({ rows, path: plain, seed: 42 });
      await generateConnLog({ rows, path: gz, seed: 42, gzip: true });
      const raw = child(['--step', 'raw', plain]);
      const rawSame = child(['--step', 'raw-same', plain]);
      const ingest = child(['--step', 'ingest', plain, join(dir, 'case.duckdb')]);
      const gzRaw = child(['--step', 'raw', gz]);
      const gzIngest = child(['--step', 'ingest', gz, join(dir, 'case-gz.duckdb')]);
      const analysis = child(['--step', 'analyze', join(dir, 'case.duckdb')]);
      out.push({
        rows,
        fileMB: Math.round(statSync(plain).size / 1e6),
        gzMB: Math.round(statSync(gz).size / 1e6),
        rawSeconds: raw.seconds,
        rawSameSeconds: rawSame.seconds,
        ingestSeconds: ingest.seconds,
        ingestRatio: ingest.seconds / raw.seconds,
        rowsPerSecond: Math.round(Number(ingest.rows) / ingest.seconds),
        gzRawSeconds: gzRaw.seconds,
        gzIngestSeconds: gzIngest.seconds,
        gzRatio: gzIngest.seconds / raw.seconds,
        analysisSeconds: analysis.seconds,
        firstPageMs: Number(analysis.firstPageMs),
        pairDetailMs: Number(analysis.pairDetailMs),
        pairConnections: Number(analysis.pairConnections),
        fleetDetailMs: Number(analysis.fleetDetailMs),
        fleetConnections: Number(analysis.fleetConnections),
        peakRssMB: Math.max(ingest.maxRssMB, gzIngest.maxRssMB, analysis.maxRssMB),
        analysisRssMB: analysis.maxRssMB,
        caseMB: Number(ingest.caseMB),
        findings: Number(analysis.findings),
      });
    } finally {
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

function table(rows: PerfRow[]): string {
  const head =
    'rows        file MB  gz MB  raw read s  ingest s  ratio  rows/s     gz ingest s  gz ratio  raw read* s  ratio*  analysis s  first page ms  pair detail ms (conns)  fleet detail ms (conns)  peak RSS MB  analysis RSS MB  case MB';
  const lines = [head, '-'.repeat(head.length)];
  for (const r of rows) {
    lines.push(
      [
        String(r.rows).padEnd(10), String(r.fileMB).padStart(7), String(r.gzMB).padStart(6), r.rawSeconds.toFixed(2).padStart(11),
        r.ingestSeconds.toFixed(2).padStart(9), `${r.ingestRatio.toFixed(2)}×`.padStart(6), String(r.rowsPerSecond).padStart(9),
        r.gzIngestSeconds.toFixed(2).padStart(12), `${r.gzRatio.toFixed(2)}×`.padStart(9), r.rawSameSeconds.toFixed(2).padStart(12),
        `${(r.ingestSeconds / r.rawSameSeconds).toFixed(2)}×`.padStart(7), r.analysisSeconds.toFixed(2).padStart(11),
        String(r.firstPageMs).padStart(14), `${r.pairDetailMs} (${r.pairConnections})`.padStart(23),
        `${r.fleetDetailMs} (${r.fleetConnections})`.padStart(24), String(r.peakRssMB).padStart(12),
        String(r.analysisRssMB).padStart(16), String(r.caseMB).padStart(8),
      ].join(' '),
    );
  }
  lines.push('ratio = Metronome ingest ÷ DuckDB read_csv of the same plain file into an in-memory table, DuckDB defaults (targets: 1.5× plain, 2× gz)');
  lines.push("raw read* / ratio* = the same read with Metronome's DuckDB settings (preserve_insertion_order off): the stricter floor");
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const step = args.indexOf('--step');
  if (step >= 0) {
    const [kind, a, b] = args.slice(step + 1);
    const r = kind === 'raw' || kind === 'raw-same' ? await stepRaw(a, kind === 'raw-same') : kind === 'ingest' ? await stepIngest(a, b) : await stepAnalyze(a);
    console.log(JSON.stringify(r));
  } else {
    const i = args.indexOf('--rows');
    const sizes = i >= 0 ? args[i + 1].split(',').map(Number) : [1_000_000, 3_000_000, 10_000_000];
    const rows = await runPerf(sizes, args.includes('--keep'));
    console.log(args.includes('--json') ? JSON.stringify(rows, null, 2) : table(rows));
  }
}
