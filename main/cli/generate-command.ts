// `metronome generate`: deterministic ground-truth traffic.
//   metronome generate <scenario|file.json> --out DIR [--seed N] [--formats zeek-tsv,zeek-json,suricata-eve] [--gzip]
//   metronome generate --rows N --out FILE [--gzip] [--seed N] [--days D] [--truth FILE]
//   metronome generate --list
// One JSON object on stdout (files written, rows per file, truth path); progress on stderr.
import { Command, InvalidArgumentError } from 'commander';
import { ALL_FORMATS, generateScenario, type OutputFormat } from '../generate/generate.js';
import { generateConnLog } from '../generate/scale.js';
import { listScenarios, loadScenario } from '../generate/scenario.js';
import { writeTruth, type Truth, type TruthItem } from '../generate/truth.js';
import { positiveInt } from './args.js';


function seedArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new InvalidArgumentError('must be a whole number from 0 to 4294967295');
  return n;
}

function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

function gzipLevel(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 9) throw new InvalidArgumentError('must be 1 to 9');
  return n;
}

function formatList(v: string): OutputFormat[] {
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of list) {
    if (!ALL_FORMATS.includes(f as OutputFormat)) throw new InvalidArgumentError(`unknown format "${f}" (${ALL_FORMATS.join(', ')})`);
  }
  if (!list.length) throw new InvalidArgumentError(`name at least one of ${ALL_FORMATS.join(', ')}`);
  return [...new Set(list)] as OutputFormat[];
}

interface GenerateOpts {
  out?: string;
  seed?: number;
  formats?: OutputFormat[];
  gzip?: boolean;
  rows?: number;
  days?: number;
  gzipLevel?: number;
  truth?: string;
  list?: boolean;
}

/** Progress on stderr: a live line on a terminal; one closing line otherwise. */
function progress(): { update: (text: string) => void; done: (text: string) => void } {
  const tty = process.stderr.isTTY;
  let last = 0;
  return {
    update(text) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      process.stderr.write(`\r\x1b[K${text}`);
    },
    done(text) {
      process.stderr.write(`${tty ? '\r\x1b[K' : ''}metronome: ${text}\n`);
    },
  };
}

/**
 * Adds `generate` to the program. `out` receives the JSON summary (default: stdout), like the
 * other commands' output function.
 */
export function registerGenerate(program: Command, out: (s: string) => void = (s) => process.stdout.write(s)): void {
  const printJson = (obj: unknown) => out(`${JSON.stringify(obj, null, 2)}\n`);
  program
    .command('generate')
    .description(
      'write synthetic traffic with known beacons: a named scenario (or scenario file) as Zeek TSV, Zeek JSON and Suricata eve.json plus truth.json, or with --rows a large Zeek conn.log for benchmarks',
    )
    .argument('[scenario]', 'scenario name (see --list) or a scenario .json file')
    .option('--out <path>', 'output folder (scenario) or conn.log file (--rows)')
    .option('--seed <n>', "random seed (default: the scenario's own, else 1); the same seed gives the same bytes", seedArg)
    .option('--formats <list>', `comma-separated output formats (default ${ALL_FORMATS.join(',')})`, formatList)
    .option('--gzip', 'gzip the logs (.gz)')
    .option('--rows <n>', 'scale mode: write a Zeek conn.log of N rows', positiveInt)
    .option('--days <n>', 'scale mode: time span in days (default 1)', positiveNumber)
    .option('--gzip-level <n>', 'scale mode: zlib level 1-9 (default 1, the fastest)', gzipLevel)
    .option('--truth <file>', 'scale mode: also write the planted beacons and fleets as JSON')
    .option('--list', 'list the named scenarios')
    .action(async (scenario: string | undefined, o: GenerateOpts, cmd: Command) => {
      const usage = (msg: string): never => cmd.error(`error: ${msg}`, { exitCode: 2, code: 'metronome.usage' });
      if (o.list) {
        printJson({
          scenarios: listScenarios().map((name) => {
            try {
              const s = loadScenario(name);
              return { name, description: s.description ?? null, days: s.days, hosts: s.network.hosts };
            } catch (e) {
              return { name, error: (e as Error).message };
            }
          }),
        });
        return;
      }
      if (!o.out) usage('--out is required (a folder for a scenario, a file for --rows)');
      const target = o.out!;
      const p = progress();

      if (o.rows !== undefined) {
        if (scenario) usage('give a scenario or --rows N, not both');
        if (o.formats && (o.formats.length !== 1 || o.formats[0] !== 'zeek-tsv')) usage('--rows writes a Zeek TSV conn.log only');
        const r = await generateConnLog({
          rows: o.rows,
          path: target,
          seed: o.seed ?? 1,
          gzip: o.gzip ?? false,
          gzipLevel: o.gzipLevel,
          days: o.days,
          onProgress: (n) => p.update(`generating conn.log: ${n.toLocaleString('en-US')} / ${o.rows!.toLocaleString('en-US')} rows`),
        });
        let truthPath: string | null = null;
        if (o.truth) {
          const truth: Truth = {
            scenario: 'scale',
            description: `performance-scale conn.log of ${r.rows} rows`,
            seed: o.seed ?? 1,
            start: r.start,
            end: r.end,
            timeZone: 'UTC',
            internal: '10.0.0.0/8',
            resolver: '10.0.0.2',
            hosts: [],
            items: r.planted.map((it) => ({
              ...it,
              observed: { ...it.observed, requests: 0, lookups: 0, bytesOut: 0, bytesIn: 0, dstIps: [] },
            })) as TruthItem[],
            background: [],
            files: [{ path: target, format: 'zeek-tsv', logType: 'conn', rows: r.rows }],
          };
          writeTruth(o.truth, truth);
          truthPath = o.truth;
        }
        p.done(`wrote ${r.rows} conn rows (${(r.bytes / 1e6).toFixed(1)} MB) in ${r.seconds.toFixed(1)} s`);
        printJson({
          mode: 'scale',
          seed: o.seed ?? 1,
          files: [{ path: target, format: 'zeek-tsv', logType: 'conn', rows: r.rows, bytes: r.bytes }],
          rows: r.rows,
          start: r.start,
          end: r.end,
          hosts: r.hosts,
          destinations: r.destinations,
          planted: r.planted.map((it) => ({
            id: it.id,
            kind: it.kind,
            malicious: it.malicious,
            src: it.src ?? null,
            hosts: it.hosts?.length ?? null,
            dst: it.dst.ip ?? it.dst.ips ?? null,
            port: it.port,
            proto: it.proto,
            period: it.period,
            jitter: it.jitter,
            connections: it.observed.connections,
          })),
          truth: truthPath,
          seconds: r.seconds,
        });
        return;
      }

      if (!scenario) usage('name a scenario (see --list) or a scenario file, or use --rows N');
      if (o.days !== undefined || o.gzipLevel !== undefined || o.truth !== undefined) usage('--days, --gzip-level and --truth belong to --rows mode');
      let s;
      try {
        s = loadScenario(scenario!);
      } catch (e) {
        usage((e as Error).message);
      }
      const r = await generateScenario({
        scenario: s!,
        seed: o.seed,
        out: target,
        formats: o.formats,
        gzip: o.gzip ?? false,
        onProgress: (pr) => p.update(`generating ${s!.name}: ${Math.round(pr.fraction * 100)}% (${pr.records.toLocaleString('en-US')} records)`),
      });
      p.done(`wrote ${s!.name} (${r.counts.connections} connections) to ${target} in ${r.seconds.toFixed(1)} s`);
      printJson({
        mode: 'scenario',
        scenario: r.scenario,
        seed: r.seed,
        out: r.out,
        formats: Object.keys(r.dirs),
        dirs: r.dirs,
        files: r.files,
        counts: r.counts,
        truth: r.truth,
        seconds: r.seconds,
      });
    });
}
