// Scenario mode: builds the world and the sources' streams, merges them in time order and
// streams every record to the chosen format writers (Zeek TSV, Zeek JSON, Suricata eve), then
// writes truth.json. Memory stays bounded by what the sources hold pending, not by the output.
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { mergeStreams } from './records.js';
import { Rng } from './rng.js';
import type { Scenario } from './scenario.js';
import { buildStreams } from './sources.js';
import { usToIso, US_PER_DAY } from './time.js';
import { observed, writeTruth, type Truth } from './truth.js';
import { buildWorld } from './world.js';
import type { FormatWriter, WrittenFile } from './writers/out-file.js';
import { SuricataEveWriter } from './writers/suricata-eve.js';
import { ZeekJsonWriter } from './writers/zeek-json.js';
import { ZeekTsvWriter } from './writers/zeek-tsv.js';

export type OutputFormat = 'zeek-tsv' | 'zeek-json' | 'suricata-eve';
export const ALL_FORMATS: OutputFormat[] = ['zeek-tsv', 'zeek-json', 'suricata-eve'];

export interface GenerateProgress {
  records: number;
  /** Simulated time reached, 0..1 of the scenario span. */
  fraction: number;
}

export interface GenerateOptions {
  scenario: Scenario;
  /** Overrides the scenario's seed (default 1). */
  seed?: number;
  out: string;
  formats?: OutputFormat[];
  gzip?: boolean;
  onProgress?: (p: GenerateProgress) => void;
}

export interface GenerateResult {
  scenario: string;
  seed: number;
  out: string;
  /** Sub-folder per format: zeek-tsv/, zeek-json/, suricata-eve/. */
  dirs: Partial<Record<OutputFormat, string>>;
  files: WrittenFile[];
  truth: string;
  /** conn rows (= Suricata flow events), DNS lookups, HTTP requests, TLS handshakes. */
  counts: { connections: number; dns: number; http: number; ssl: number };
  seconds: number;
}

export async function generateScenario(o: GenerateOptions): Promise<GenerateResult> {
  const t0 = Date.now();
  const s = o.scenario;
  const seed = (o.seed ?? s.seed ?? 1) >>> 0;
  const formats = o.formats?.length ? o.formats : ALL_FORMATS;
  const gzip = o.gzip ?? false;
  const root = new Rng(seed);
  const world = buildWorld(s, seed, root.fork('world'));
  const built = buildStreams(world, root.fork('traffic'));
  mkdirSync(o.out, { recursive: true });

  const dirs: Partial<Record<OutputFormat, string>> = {};
  const writers: FormatWriter[] = [];
  const zo = { gzip, openUs: world.startUs, closeUs: world.endUs, communityId: s.output?.zeekCommunityId ?? true };
  if (formats.includes('zeek-tsv')) writers.push(new ZeekTsvWriter({ ...zo, dir: (dirs['zeek-tsv'] = join(o.out, 'zeek-tsv')) }));
  if (formats.includes('zeek-json')) writers.push(new ZeekJsonWriter({ ...zo, dir: (dirs['zeek-json'] = join(o.out, 'zeek-json')) }));
  if (formats.includes('suricata-eve')) {
    const day = (us: number) => new Date(us / 1000).toISOString().slice(0, 10);
    writers.push(
      new SuricataEveWriter({
        dir: (dirs['suricata-eve'] = join(o.out, 'suricata-eve')),
        gzip,
        offsetMin: world.eveOffsetMin,
        sensor: s.output?.sensor,
        certNotBefore: `${day(world.startUs - 40 * US_PER_DAY)}T00:00:00`,
        certNotAfter: `${day(world.startUs + 50 * US_PER_DAY)}T23:59:59`,
      }),
    );
  }

  const counts = { connections: 0, dns: 0, http: 0, ssl: 0 };
  let n = 0;
  const span = world.endUs - world.startUs;
  for (const r of mergeStreams(built.streams)) {
    switch (r.k) {
      case 'conn':
        counts.connections++;
        break;
      case 'dns':
        counts.dns++;
        break;
      case 'http':
        counts.http++;
        break;
      case 'ssl':
        counts.ssl++;
        break;
      default:
        break;
    }
    for (const w of writers) w.add(r);
    if ((++n & 4095) === 0) {
      if (writers.some((w) => w.full)) await Promise.all(writers.map((w) => w.flush()));
      o.onProgress?.({ records: n, fraction: Math.min(1, (r.ts - world.startUs) / span) });
    }
  }
  const files: WrittenFile[] = [];
  for (const w of writers) files.push(...(await w.close()));
  o.onProgress?.({ records: n, fraction: 1 });

  const truth: Truth = {
    scenario: s.name,
    description: s.description,
    seed,
    start: usToIso(world.startUs),
    end: usToIso(world.endUs),
    timeZone: world.tz,
    internal: s.network.internal,
    resolver: world.resolver,
    hosts: world.hosts.map((h) => h.ip),
    items: built.planted.map((p) => ({ ...p.item, observed: observed(p.stats) })),
    background: built.background.map((b) => ({ id: b.id, source: b.source, hosts: b.hosts, connections: b.stats.connections })),
    files: files.map((f) => ({ path: relative(o.out, f.path), format: f.format, logType: f.logType, rows: f.rows })),
  };
  const truthPath = join(o.out, 'truth.json');
  writeTruth(truthPath, truth);
  return { scenario: s.name, seed, out: o.out, dirs, files, truth: truthPath, counts, seconds: (Date.now() - t0) / 1000 };
}
