// `export-evidence`: a self-contained folder for incident response about one finding —
//   report.html      offline report (finding, score and reasons, SVG charts, ATT&CK, triage, notes)
//   finding.json     the finding with its ATT&CK mapping, triage record and history
//   connections.csv  the finding's events (connections, requests or lookups)
//   raw-lines.jsonl  the raw log lines behind them: {file, line, connId, text}
//   raw/NN-<name>    the same lines per source file, after the file's Zeek header
//   SHA256SUMS       SHA-256 of every file above (sha256sum -c SHA256SUMS)
//   manifest.json    SHA-256 of every source file (recorded at import, verified again now) and
//                    of every package file, so the package can be verified later.
import { listValue } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ConnectionRow, EvidenceFile, EvidencePackage, EvidenceSource, Finding } from '../../shared/types.js';
import type { Engine } from '../api/engine.js';
import { num } from '../engine/db.js';
import { getTriage, triageHistory } from '../triage/store.js';
import { VERSION } from '../version.js';
import { attackFor } from './attack.js';
import { reportHtml } from './html.js';
import { matchingLines, NO_CONNECTION_TYPES, sha256File, type FileLines, type SourceFile } from './raw-lines.js';
import { intervalHistogramSvg, timelineSvg } from './svg.js';

export const MANIFEST_KIND = 'metronome-evidence';
/** Events read for one package (a finding rarely has more). */
const MAX_EVENTS = 1_000_000;
const FAILED_STATES = new Set(['S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR']);
const CSV_COLUMNS: (keyof ConnectionRow)[] = [
  'ts', 'connId', 'src', 'srcPort', 'dst', 'dstPort', 'proto', 'service', 'duration',
  'bytesOut', 'bytesIn', 'ipBytesOut', 'ipBytesIn', 'connState',
];

export class EvidenceError extends Error {}

export interface ExportOptions {
  /** Replace an earlier evidence package in the same folder. */
  force?: boolean;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  // Spreadsheet formula injection: log-derived text starting with = + - @ is neutralised.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The folder is created if missing; a non-empty folder is refused unless it holds an earlier package and `force`. */
async function prepareDir(dir: string, force: boolean): Promise<void> {
  let entries: string[] = [];
  try {
    if (!(await stat(dir)).isDirectory()) throw new EvidenceError(`${dir} exists and is not a folder`);
    entries = await readdir(dir);
  } catch (e) {
    if (e instanceof EvidenceError) throw e;
    await mkdir(dir, { recursive: true });
    return;
  }
  if (!entries.length) return;
  interface Previous {
    kind?: string;
    files?: { path: string }[];
  }
  const previous = await readFile(join(dir, 'manifest.json'), 'utf8')
    .then((text) => JSON.parse(text) as Previous)
    .catch((): Previous | null => null);
  if (previous?.kind !== MANIFEST_KIND) throw new EvidenceError(`${dir} is not empty; choose a new folder`);
  if (!force) throw new EvidenceError(`${dir} already holds an evidence package (use --force to replace it)`);
  for (const f of previous.files ?? []) {
    if (typeof f.path === 'string' && !f.path.includes('..')) await rm(join(dir, f.path), { force: true });
  }
  await rm(join(dir, 'manifest.json'), { force: true });
  await rmdir(join(dir, 'raw')).catch(() => undefined);
}

async function annotationOf(engine: Engine, id: string): Promise<{ tags: string[]; note: string; updatedAt: string } | null> {
  const has = await engine.db.one<{ n: bigint }>(
    "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'annotations' AND NOT temporary",
  );
  if (!num(has?.n)) return null;
  const r = await engine.db.one<{ tags: string[] | { items: string[] }; note: string; us: bigint }>(
    'SELECT tags, note, epoch_us(updated_at) AS us FROM annotations WHERE finding_id = $id',
    { id },
  );
  if (!r) return null;
  const tags = Array.isArray(r.tags) ? r.tags : r.tags?.items ?? [];
  return { tags: tags.map(String), note: r.note, updatedAt: new Date(Number(r.us / 1000n)).toISOString() };
}

export async function exportEvidence(engine: Engine, id: string, outDir: string, opts: ExportOptions = {}): Promise<EvidencePackage> {
  const dir = resolve(outDir);
  const detail = await engine.handlers.pairDetail({ id, limit: MAX_EVENTS });
  const finding: Finding = detail.finding;
  const events = detail.connections;
  const warnings: string[] = [];
  if (detail.truncated) warnings.push(`only the first ${events.length} of ${detail.total} events are in this package`);
  await prepareDir(dir, opts.force ?? false);

  // Raw lines: every source file that can name a connection is read again.
  const ids = new Set(events.map((e) => e.connId).filter((x): x is string => x !== null));
  const files = (
    await engine.db.all<{ file_id: number; path: string; format: string | null; log_type: string | null; sha256: string }>(
      'SELECT file_id, path, format, log_type, sha256 FROM files ORDER BY file_id',
    )
  ).map((r): SourceFile => ({ fileId: Number(r.file_id), path: r.path, format: r.format, logType: r.log_type, sha256: r.sha256 }));
  const found: FileLines[] = [];
  if (ids.size) {
    for (const src of files) {
      if (src.format !== 'zeek-tsv' && src.format !== 'zeek-json' && src.format !== 'suricata-eve') continue;
      if (src.logType && NO_CONNECTION_TYPES.has(src.logType)) continue;
      const r = await matchingLines(src, ids);
      if (r.error) warnings.push(`could not read ${r.error}`);
      if (r.lines.length) found.push(r);
    }
  }
  // Files the finding's rows came from (a pcap has no lines but is a source all the same).
  const rowFiles = new Set<number>();
  if (ids.size) {
    const list = [...ids];
    for (let i = 0; i < list.length; i += 10_000) {
      const rows = await engine.db.all<{ file_id: number }>(
        `SELECT DISTINCT file_id FROM (
           SELECT file_id, conn_id FROM connections UNION ALL SELECT file_id, conn_id FROM http
           UNION ALL SELECT file_id, conn_id FROM dns)
         WHERE list_contains($ids, conn_id)`,
        { ids: listValue(list.slice(i, i + 10_000)) },
      );
      for (const r of rows) rowFiles.add(Number(r.file_id));
    }
  }
  const sources: EvidenceSource[] = [];
  for (const src of files) {
    const lines = found.find((x) => x.source.fileId === src.fileId)?.lines.length ?? 0;
    if (!lines && !rowFiles.has(src.fileId)) continue;
    let now: string | null = null;
    try {
      now = await sha256File(src.path);
    } catch {
      now = null;
    }
    const status = now === null ? 'missing' : now === src.sha256 ? 'unchanged' : 'changed';
    if (status === 'changed') warnings.push(`${src.path} changed since it was imported (SHA-256 differs): its line numbers may not match the case`);
    if (status === 'missing') warnings.push(`${src.path} is no longer on disk: its hash could not be verified`);
    if (src.format === 'pcap') warnings.push(`${basename(src.path)} is a pcap: its packets are not lines; the file is listed with its hash`);
    sources.push({ path: src.path, format: src.format, logType: src.logType, recordedSha256: src.sha256, sha256: now, status, lines });
  }

  const written: EvidenceFile[] = [];
  async function put(rel: string, data: string): Promise<void> {
    const buf = Buffer.from(data, 'utf8');
    const path = join(dir, ...rel.split('/'));
    await writeFile(path, buf);
    written.push({ path: rel, sha256: sha256(buf), bytes: buf.length });
  }

  // Raw lines, all together and per source file.
  const rawLines = found.flatMap((x) => x.lines);
  await put('raw-lines.jsonl', rawLines.map((l) => JSON.stringify({ file: l.file, line: l.line, connId: l.connId, text: l.text })).join('\n') + (rawLines.length ? '\n' : ''));
  if (found.length) await mkdir(join(dir, 'raw'), { recursive: true });
  const width = String(found.length).length < 2 ? 2 : String(found.length).length;
  for (let i = 0; i < found.length; i++) {
    const x = found[i];
    const name = `${String(i + 1).padStart(width, '0')}-${basename(x.source.path).replace(/\.gz$/i, '').replace(/[^A-Za-z0-9._-]/g, '_')}`;
    // The Zeek header keeps the excerpt readable by Zeek tools (and by `metronome import`).
    await put(`raw/${name}`, [...(x.source.format === 'zeek-tsv' ? x.header : []), ...x.lines.map((l) => l.text)].join('\n') + '\n');
  }

  // Connections as CSV.
  await put('connections.csv', [CSV_COLUMNS.join(','), ...events.map((e) => CSV_COLUMNS.map((c) => csvCell(e[c])).join(','))].join('\n') + '\n');

  // Finding, ATT&CK, triage.
  const attack = attackFor(finding, { services: [...new Set(events.map((e) => e.service).filter((s): s is string => !!s))] });
  const triage = await getTriage(engine.db, finding.id);
  const history = await triageHistory(engine.db, finding.id);
  const annotation = await annotationOf(engine, finding.id);
  await put('finding.json', JSON.stringify({ finding, attack, triage, history, annotation }, null, 2) + '\n');

  // Charts and report.
  const times = events.map((e) => Date.parse(e.ts));
  const timeline = timelineSvg(
    events.map((e) => ({ t: Date.parse(e.ts), out: e.ipBytesOut ?? e.bytesOut, failed: FAILED_STATES.has(e.connState ?? '') })),
    `Timeline: ${events.length} ${finding.eventType === 'connection' ? 'connections' : 'events'} (bytes out per event)`,
  );
  const hist = intervalHistogramSvg(times, finding.period);
  const generatedAt = new Date().toISOString();
  const packageFiles = [...written.map((w) => w.path).filter((p) => !p.startsWith('raw/')), ...(found.length ? ['raw/'] : []), 'SHA256SUMS', 'manifest.json'];
  await put(
    'report.html',
    reportHtml({
      finding, generatedAt, version: VERSION, caseName: engine.caseName, events, eventsTotal: detail.total || events.length,
      timelineSvg: timeline, histogramSvg: hist.svg, attack, triage, history, annotation, sources, rawLines, rawTotal: rawLines.length,
      packageFiles, warnings,
    }),
  );

  // Hash lists last: SHA256SUMS covers every file above; manifest.json covers SHA256SUMS too.
  written.sort((a, b) => (a.path < b.path ? -1 : 1));
  await put('SHA256SUMS', written.map((w) => `${w.sha256}  ${w.path}`).join('\n') + '\n');
  const manifest = {
    kind: MANIFEST_KIND,
    version: 1,
    createdAt: generatedAt,
    tool: { name: 'metronome', version: VERSION },
    case: engine.caseName,
    finding: { id: finding.id, category: finding.category, src: finding.src, dst: finding.dst, port: finding.port ?? null, proto: finding.proto ?? null, score: finding.score },
    events: events.length,
    rawLines: rawLines.length,
    attack: attack.map((a) => a.id),
    sources,
    files: written,
    warnings,
    verify: 'manifest.json is not listed in itself; every other file is, with its SHA-256 (also in SHA256SUMS: sha256sum -c SHA256SUMS). Source files: sha256 was recomputed at export and compared with the hash recorded at import (recordedSha256).',
  };
  const text = JSON.stringify(manifest, null, 2) + '\n';
  await writeFile(join(dir, 'manifest.json'), text);
  return { dir, findingId: finding.id, events: events.length, rawLines: rawLines.length, files: written, sources, warnings };
}
