// The command line: `metronome scan|import|serve`, as ../shared/design/cli-contract.md fixes
// them. JSON goes to stdout as one object; progress, warnings and errors go to stderr.
// Exit status: 0 done (even with rejected lines), 1 nothing loaded or failure, 2 usage error.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { parseCidrList } from '../../shared/net.js';
import type { ImportProgress, ImportReport, SourceFormat } from '../../shared/types.js';
import { Engine, type Scorer } from '../api/engine.js';
import { startServer } from '../server/http.js';
import { VERSION } from '../version.js';
import { registerBaseline } from './baseline-command.js';
import { registerGenerate } from './generate-command.js';
import { registerContext } from './context-command.js';
import { registerCoverage } from './coverage-command.js';
import { registerEvidence } from './evidence-command.js';
import { registerTriage, triageStateArg } from './triage-command.js';
import { importTable, importWarnings, scanCsv, scanTable, toJson } from './output.js';
import { cidrs, port, positiveInt, timeZone } from './args.js';

const FORMATS: SourceFormat[] = ['zeek-tsv', 'zeek-json', 'suricata-eve', 'pcap'];
/** How many findings the table shows without --top (JSON and CSV give all). */
const TABLE_DEFAULT_TOP = 25;

class ExitError extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
  }
}




/** Progress on stderr: a live line on a terminal, nothing when piped (warnings still print). */
function progressPrinter(): (p: ImportProgress) => void {
  if (!process.stderr.isTTY) return () => {};
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    const pct = p.bytesTotal ? Math.floor((100 * p.bytesRead) / p.bytesTotal) : 100;
    process.stderr.write(`\r\x1b[Kimporting ${p.fileIndex + 1}/${p.fileCount} ${pct}% ${p.rows} rows`);
  };
}

function clearProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}

interface EngineFlags {
  internal?: string[];
  scorer?: Scorer;
  tz?: string;
}

async function openEngine(db: string | undefined, flags: EngineFlags = {}): Promise<Engine> {
  return Engine.open({ path: db, internal: flags.internal, scorer: flags.scorer, timeZone: flags.tz, onProgress: progressPrinter() });
}


function loadedAnything(r: ImportReport): boolean {
  return r.files.some((f) => f.rows > 0 || f.skipped);
}

async function loadPaths(engine: Engine, paths: string[], as?: SourceFormat): Promise<ImportReport | null> {
  if (!paths.length) return null;
  const report = await engine.import(paths, as);
  clearProgress();
  for (const w of importWarnings(report)) process.stderr.write(`metronome: ${w}\n`);
  return report;
}

export function buildProgram(out: (s: string) => void): Command {
  const program = new Command();
  program
    .name('metronome')
    .description('Finds traffic that keeps time: beacons, C2 check-ins and scheduled transfers in Zeek logs.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  program
    .command('scan')
    .description('load logs (or open a case) and print findings, best first')
    .argument('[paths...]', 'log files or folders (Zeek TSV/JSON, Suricata eve.json, pcap; plain or .gz)')
    .option('--db <file>', 'case file (DuckDB); created if missing')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--top <n>', 'print at most N findings', positiveInt)
    .option('--all', 'include findings on the baseline/safelist')
    .option('--internal <cidrs>', 'internal ranges, comma-separated (replaces RFC 1918/4193/loopback)', cidrs)
    .addOption(new Option('--scorer <name>', 'metronome (default) or rita (RITA v5 published beacon score)').choices(['metronome', 'rita']).default('metronome'))
    .option('--tz <zone>', 'local time zone for clock-schedule tests (UTC is always tested)', timeZone)
    .option('--state <state>', 'only findings in this triage state: new, investigating, expected, escalated, closed', triageStateArg)
    .action(async (paths: string[], o: { db?: string; format: string; top?: number; all?: boolean; state?: string } & EngineFlags) => {
      if (!paths.length && !o.db) throw new ExitError('scan needs PATH... or --db FILE', 2);
      if (o.db && !paths.length && !existsSync(o.db)) throw new ExitError(`no case file ${o.db}`, 1);
      const engine = await openEngine(o.db, o);
      try {
        const report = await loadPaths(engine, paths);
        // Expected findings are on the baseline: asking for them shows them.
        const scanned = await engine.scan((o.all ?? false) || o.state === 'expected');
        const result = o.state ? { ...scanned, findings: scanned.findings.filter((f) => (f.triage?.state ?? 'new') === o.state) } : scanned;
        if (report && !loadedAnything(report) && result.summary.connections === 0) {
          throw new ExitError('nothing could be loaded', 1);
        }
        const shown = result.findings.slice(0, o.top ?? (o.format === 'table' ? TABLE_DEFAULT_TOP : undefined));
        if (o.format === 'json') out(toJson({ findings: shown, summary: result.summary }));
        else if (o.format === 'csv') out(scanCsv(shown));
        else out(scanTable(result, shown));
      } finally {
        engine.close();
      }
    });

  program
    .command('import')
    .description('load logs without scoring and report what was loaded')
    .argument('<paths...>', 'log files or folders')
    .option('--db <file>', 'case file (DuckDB); in memory when omitted')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(new Option('--as <format>', 'read every file as this format').choices(FORMATS))
    .action(async (paths: string[], o: { db?: string; format: string; as?: SourceFormat }) => {
      const engine = await openEngine(o.db);
      try {
        const report = await engine.import(paths, o.as);
        clearProgress();
        out(o.format === 'json' ? toJson(report) : importTable(report));
        if (!loadedAnything(report) && !report.files.some((f) => f.format && f.rejected === 0 && !f.reason)) {
          throw new ExitError('nothing could be loaded', 1);
        }
      } finally {
        engine.close();
      }
    });

  program
    .command('serve')
    .description('browser mode: serve the app on 127.0.0.1 with a per-run token')
    .argument('[paths...]', 'log files or folders to load first')
    .option('--db <file>', 'case file (DuckDB)')
    .option('--port <n>', 'port (0 = any free port)', port, 0)
    .option('--internal <cidrs>', 'internal ranges, comma-separated', cidrs)
    .addOption(new Option('--scorer <name>', 'metronome (default) or rita').choices(['metronome', 'rita']).default('metronome'))
    .option('--tz <zone>', 'local time zone for clock-schedule tests', timeZone)
    .action(async (paths: string[], o: { db?: string; port: number } & EngineFlags) => {
      const engine = await openEngine(o.db, o);
      await loadPaths(engine, paths);
      await serveUntilStopped(engine, o.port, out);
    });

  registerBaseline(program, out);
  registerGenerate(program, out);
  registerContext(program, out);
  registerCoverage(program, out);
  registerTriage(program, out);
  registerEvidence(program, out);
  return program;
}

/** Starts browser mode, prints the URL as the first stdout line, runs until Ctrl-C / SIGTERM. */
export async function serveUntilStopped(engine: Engine, portNumber: number, out: (s: string) => void): Promise<void> {
  const server = await startServer(engine, { port: portNumber });
  out(server.url);
  process.stderr.write(`metronome: browser mode on 127.0.0.1:${server.port} (${engine.caseName}); open the URL above. Ctrl-C stops.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      server.close().finally(() => {
        engine.close();
        resolve();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram((s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof ExitError) {
      process.stderr.write(`metronome: ${e.message}\n`);
      return e.code;
    }
    process.stderr.write(`metronome: ${(e as Error).message}\n`);
    return 1;
  }
}
