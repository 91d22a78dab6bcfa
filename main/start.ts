// `npm start`: open Metronome on the bundled sample. The desktop window when Electron can run;
// otherwise one line saying why, then the same UI in browser mode on 127.0.0.1.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from './api/engine.js';
import { serveUntilStopped } from './cli/index.js';
import { importWarnings } from './cli/output.js';

export const SAMPLE = fileURLToPath(new URL('../../samples/njrat/conn.log', import.meta.url));
/** How long Electron must stay up to count as started (a missing library fails at once). */
const ELECTRON_GRACE_MS = 5000;

/**
 * Path of the Electron binary, or the reason there is none. `require('electron')` is avoided on
 * purpose: when the binary is missing it starts a download, which on an offline laptop can hang.
 */
export function findElectron(): { path: string } | { why: string } {
  if (process.env.METRONOME_NO_ELECTRON) return { why: 'METRONOME_NO_ELECTRON is set' };
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { why: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return { why: 'its binary was never downloaded, and this machine cannot fetch it' };
  const bin = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(bin)) return { why: `its binary is missing (${bin})` };
  return { path: bin };
}

/** Runs Electron; resolves false if it could not start (exits early or fails to spawn). */
function tryElectron(bin: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(bin, [fileURLToPath(new URL('./electron/main.js', import.meta.url)), ...args], {
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let settled = false;
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const timer = setTimeout(() => {
      settled = true;
      child.stderr.pipe(process.stderr);
      child.on('exit', (code) => process.exit(code ?? 0));
      resolve(true);
    }, ELECTRON_GRACE_MS);
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      process.stderr.write(`metronome: Electron could not start (${why}); using browser mode instead.\n`);
      resolve(false);
    };
    child.on('error', (e) => fail(e.message));
    child.on('exit', (code, signal) => fail(`exit ${code ?? signal}: ${stderr.trim().split('\n').pop() ?? ''}`));
  });
}

async function main(): Promise<void> {
  const paths = process.argv.slice(2);
  const load = paths.length ? paths : [SAMPLE];
  const electron = findElectron();
  if ('path' in electron) {
    if (await tryElectron(electron.path, load)) return;
  } else {
    process.stderr.write(`metronome: Electron is not available: ${electron.why}. Starting browser mode instead.\n`);
  }
  const engine = await Engine.open();
  const report = await engine.import(load);
  for (const w of importWarnings(report)) process.stderr.write(`metronome: ${w}\n`);
  await serveUntilStopped(engine, Number(process.env.PORT ?? 0), (s) => process.stdout.write(`${s}\n`));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`metronome: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
