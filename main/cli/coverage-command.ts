// `metronome coverage PATH...|--db FILE [--format table|json]`: telemetry coverage and blind
// spots of the loaded logs — spans, silences and rows per hour per log type and sensor, overlap
// in time, naming, summary-only data, hosts the sensor cannot judge, clock consistency, capture
// health, and which rhythms the capture is long enough to show. JSON: one object on stdout.
import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { parseCidrList } from '../../shared/net.js';
import { Engine } from '../api/engine.js';
import { coverageTable } from '../coverage/format.js';
import { importWarnings, toJson } from './output.js';
import { cidrs } from './args.js';


export function registerCoverage(program: Command, out: (s: string) => void): void {
  const cmd = program
    .command('coverage')
    .description('what the loaded logs cover and miss: spans, gaps, overlap, naming, clocks, capture health, detectable rhythms')
    .argument('[paths...]', 'log files or folders')
    .option('--db <file>', 'case file (DuckDB)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--internal <cidrs>', 'internal ranges, comma-separated (replaces RFC 1918/4193/loopback)', cidrs);
  cmd.action(async (paths: string[], o: { db?: string; format: string; internal?: string[] }) => {
    if (!paths.length && !o.db) cmd.error('error: coverage needs PATH... or --db FILE', { exitCode: 2, code: 'metronome.usage' });
    if (o.db && !paths.length && !existsSync(o.db)) throw new Error(`no case file ${o.db}`);
    const engine = await Engine.open({ path: o.db, internal: o.internal });
    try {
      if (paths.length) {
        const report = await engine.import(paths);
        for (const w of importWarnings(report)) process.stderr.write(`metronome: ${w}\n`);
        if (!report.files.some((f) => f.rows > 0 || f.skipped) && !o.db) throw new Error('nothing could be loaded');
      }
      const coverage = await engine.handlers.coverage({});
      out(o.format === 'json' ? toJson(coverage) : coverageTable(coverage));
    } finally {
      engine.close();
    }
  });
}
