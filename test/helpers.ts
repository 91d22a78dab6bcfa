// Paths and small helpers shared by the tests. Compiled tests live in dist/test/, so the repo
// root is two levels up from this file; the real data is ../shared/data beside the repo.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Engine } from '../main/api/engine.js';
import type { FileReport, ImportReport } from '../shared/types.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DATA = join(ROOT, '..', 'shared', 'data');
export const REAL = join(DATA, 'real');
export const EDGE = join(DATA, 'edge-cases');
export const SAMPLE = join(ROOT, 'samples', 'njrat', 'conn.log');
export const BIN = join(ROOT, 'bin', 'metronome.js');

/** Imports paths into a fresh in-memory case; returns the engine (close it) and the report. */
export async function load(...paths: string[]): Promise<{ engine: Engine; report: ImportReport }> {
  const engine = await Engine.open({ threads: 2 });
  const report = await engine.import(paths);
  return { engine, report };
}

/** Imports one file alone and closes the case; returns its file report and the table counts. */
export async function loadOne(path: string): Promise<FileReport & { tables: ImportReport['tables'] }> {
  const { engine, report } = await load(path);
  engine.close();
  const f = report.files[0];
  return { ...f, tables: report.tables };
}

export async function rows<T = Record<string, unknown>>(engine: Engine, sql: string): Promise<T[]> {
  return engine.db.all<T>(sql);
}
