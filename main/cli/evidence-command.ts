// `metronome export-evidence FINDING_ID --db FILE --out DIR`: a self-contained folder for
// incident response (offline HTML report, raw log lines with file and line number, CSV of the
// connections, manifest with SHA-256 of sources and package files). Prints a JSON summary.
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import type { EvidencePackage } from '../../shared/types.js';
import { Engine, type Scorer } from '../api/engine.js';
import { EvidenceError, exportEvidence } from '../evidence/package.js';
import { safeText, toJson } from './output.js';
import { cidrs as cidrsArg, timeZone as timeZoneArg } from './args.js';

function table(p: EvidencePackage): string {
  const lines = [
    `evidence package for ${p.findingId}: ${p.dir}`,
    `  ${p.events} events, ${p.rawLines} raw log lines from ${p.sources.filter((s) => s.lines > 0).length} source files`,
    ...p.sources.map((s) => `  source ${s.status.padEnd(9)} ${String(s.lines).padStart(6)} lines  ${safeText(s.path)}`),
    ...p.files.map((f) => `  ${f.sha256}  ${f.path}`),
    ...p.warnings.map((w) => `  warning: ${safeText(w)}`),
  ];
  return lines.join('\n');
}

export function registerEvidence(program: Command, out: (s: string) => void): void {
  const cmd = program
    .command('export-evidence')
    .description('write an evidence package for one finding: offline HTML report, raw log lines, CSV, manifest with SHA-256')
    .argument('<finding-id>', 'finding id (from scan)')
    .requiredOption('--db <file>', 'case file')
    .requiredOption('--out <dir>', 'folder to write (created; must be empty or hold an earlier package with --force)')
    .option('--force', 'replace an earlier evidence package in --out')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'table']).default('json'))
    .option('--internal <cidrs>', 'internal ranges used when the case was scanned', cidrsArg)
    .addOption(new Option('--scorer <name>', 'scorer whose finding ids are used').choices(['metronome', 'rita']).default('metronome'))
    .option('--tz <zone>', 'local time zone used when the case was scanned', timeZoneArg);
  cmd.action(async (id: string, o: { db: string; out: string; force?: boolean; format: string; internal?: string[]; scorer: Scorer; tz?: string }) => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) cmd.error(`error: "${id}" is not a finding id`, { exitCode: 2, code: 'metronome.usage' });
    if (!existsSync(o.db)) throw new Error(`no case file ${o.db}`);
    const engine = await Engine.open({ path: o.db, internal: o.internal, scorer: o.scorer, timeZone: o.tz });
    try {
      const pkg = await exportEvidence(engine, id, o.out, { force: o.force ?? false }).catch((e: Error) => {
        throw e instanceof EvidenceError ? new Error(e.message) : e;
      });
      for (const w of pkg.warnings) process.stderr.write(`metronome: ${w}\n`);
      out(o.format === 'table' ? table(pkg) : toJson(pkg));
    } finally {
      engine.close();
    }
  });
}
