// The desktop shell's main-process side, driven through the very function its IPC handler calls
// (main/electron/ipc.ts) and the engine host's message loop (engine-host.ts), on a real engine:
// sender checks, validation of engine and shell requests, the unqueued import progress, errors
// as messages, and the window-state rules. Electron itself cannot run on these machines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../main/api/engine.js';
import { answer, serve } from '../../main/electron/engine-host.js';
import { createIpcHandler, engineCall, toPlain, type ShellHandlers } from '../../main/electron/ipc.js';
import { DEFAULT_STATE, loadWindowState, restoreState, saveWindowState } from '../../main/electron/window-state.js';
import type { ScanResult } from '../../shared/types.js';
import { SAMPLE } from '../helpers.js';

const APP = 'app://metronome/index.html';
let engine: Engine;
const shellCalls: unknown[] = [];
const shell: ShellHandlers = {
  'shell:pickLogs': async (req) => {
    shellCalls.push(['pickLogs', req]);
    return { paths: [SAMPLE] };
  },
  'shell:pickCase': async (req) => {
    shellCalls.push(['pickCase', req]);
    return { path: null };
  },
};
let handle: ReturnType<typeof createIpcHandler>;

before(async () => {
  engine = await Engine.open({ threads: 2 });
  handle = createIpcHandler(engineCall(engine), shell);
});

after(() => engine?.close());

test('only the app origin may call, and only with a string operation', async () => {
  await assert.rejects(handle('https://evil.example/', 'status', {}), /untrusted sender/);
  await assert.rejects(handle(undefined, 'status', {}), /untrusted sender/);
  await assert.rejects(handle('file:///tmp/x.html', 'status', {}), /untrusted sender/);
  await assert.rejects(handle(APP, 42, {}), /operation must be a string/);
});

test('engine requests are validated by the contract before they reach DuckDB', async () => {
  await assert.rejects(handle(APP, 'dropTables', {}), /unknown operation/);
  await assert.rejects(handle(APP, 'status', { sql: 'DROP TABLE connections' }), /unknown field "sql"/);
  await assert.rejects(handle(APP, 'pairSeries', { id: "x' OR 1=1 --" }), /finding id/);
  await assert.rejects(handle(APP, 'pairSeries', { id: 'abc', zone: 'Mars/Olympus;' }), /IANA time zone/);
  await assert.rejects(handle(APP, 'searchRecords', { kind: 'passwords' }), /"kind" must be one of/);
  await assert.rejects(handle(APP, 'annotate', { findingId: 'abc', tags: ['a,b'], note: '' }), /tags/);
  await assert.rejects(handle(APP, 'importWithProgress', { paths: [] }), /non-empty list/);
});

test('an import through the bridge, then the views: results are plain JSON', async () => {
  const report = (await handle(APP, 'importWithProgress', { paths: [SAMPLE] })) as { files: { rows: number }[] };
  assert.equal(report.files[0].rows, 992);
  const status = (await handle(APP, 'importStatus', {})) as { running: boolean; filesDone: number };
  assert.equal(status.running, false);
  assert.equal(status.filesDone, 1);
  const scan = (await handle(APP, 'scan', {})) as ScanResult;
  assert.equal(scan.findings[0].dst, '41.108.179.197');
  const series = (await handle(APP, 'pairSeries', { id: scan.findings[0].id })) as { total: number; points: unknown[] };
  assert.equal(series.total, 237);
  assert.equal(series.points.length, 237);
  // No bigint, Date or class instance crosses IPC: what fetch would give.
  assert.deepEqual(toPlain(series), series);
});

test('import progress is answered while an import holds the engine', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metronome-ipc-'));
  try {
    const lines = ['#separator \\x09', '#path\tconn', '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto', '#types\ttime\tstring\taddr\tport\taddr\tport\tenum'];
    for (let i = 0; i < 200_000; i++) lines.push(`${1748736000 + i}.0\tC${i}\t10.0.${i % 200}.1\t${1024 + (i % 5000)}\t198.18.${i % 100}.1\t443\ttcp`);
    writeFileSync(join(dir, 'conn.log'), `${lines.join('\n')}\n`);
    const running = handle(APP, 'importWithProgress', { paths: [join(dir, 'conn.log')] });
    let seen = false;
    for (let i = 0; i < 400 && !seen; i++) {
      const s = (await handle(APP, 'importStatus', {})) as { running: boolean; progress: { bytesTotal: number } | null };
      seen = s.running && s.progress !== null && s.progress.bytesTotal > 0;
      if (!seen) await new Promise((r) => setTimeout(r, 5));
    }
    assert.ok(seen, 'progress was readable during the import');
    await running;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('shell operations go to the shell, validated; never to the engine', async () => {
  assert.deepEqual(await handle(APP, 'shell:pickLogs', { folders: true }), { paths: [SAMPLE] });
  assert.deepEqual(await handle(APP, 'shell:pickCase', { save: false }), { path: null });
  assert.deepEqual(shellCalls, [['pickLogs', { folders: true }], ['pickCase', { save: false }]]);
  await assert.rejects(handle(APP, 'shell:pickLogs', { folders: 'yes' }), /"folders" must be a boolean/);
  await assert.rejects(handle(APP, 'shell:pickCase', {}), /"save" must be a boolean/);
  await assert.rejects(handle(APP, 'shell:runCommand', {}), /unknown operation/);
});

test('the engine host answers messages, errors included, and ignores malformed ones', async () => {
  const call = engineCall(engine);
  assert.deepEqual(await answer(call, { id: 1, op: 'recentCases', req: {} }).then((r) => r?.ok), true);
  const bad = await answer(call, { id: 2, op: 'status', req: { x: 1 } });
  assert.deepEqual(bad, { id: 2, ok: false, error: 'unknown field "x"' });
  assert.equal(await answer(call, 'hello'), null);
  assert.equal(await answer(call, { op: 'status' }), null);

  // The host's message loop, over a stand-in for Electron's parent port.
  const replies: unknown[] = [];
  let listener: ((e: { data: unknown }) => void) | undefined;
  serve({ on: (_e, l) => (listener = l), postMessage: (m) => replies.push(m) }, []);
  listener!({ data: { id: 7, op: 'status', req: {} } });
  for (let i = 0; i < 200 && replies.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const reply = replies[0] as { id: number; ok: boolean; value: { caseName: string } };
  assert.equal(reply.id, 7);
  assert.equal(reply.ok, true);
  assert.equal(reply.value.caseName, 'in-memory case');
});

test('window state is restored only when it still fits a display', () => {
  const display = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  assert.deepEqual(restoreState({ x: 100, y: 80, width: 1300, height: 800, maximized: true }, display), { x: 100, y: 80, width: 1300, height: 800, maximized: true });
  // Off every display (a monitor was unplugged): size kept, position left to the OS.
  assert.deepEqual(restoreState({ x: 4000, y: 80, width: 1300, height: 800 }, display), { width: 1300, height: 800, maximized: false });
  // Too small or garbage: the minimum or the default.
  assert.deepEqual(restoreState({ width: 10, height: 10 }, display), { width: 960, height: 600, maximized: false });
  assert.deepEqual(restoreState('nope', display), DEFAULT_STATE);
  assert.deepEqual(restoreState({ width: 'x' }, display), DEFAULT_STATE);
  const dir = mkdtempSync(join(tmpdir(), 'metronome-ws-'));
  try {
    const file = join(dir, 'sub', 'window-state.json');
    assert.deepEqual(loadWindowState(file, display), DEFAULT_STATE);
    saveWindowState(file, { x: 10, y: 20, width: 1000, height: 700, maximized: false });
    assert.deepEqual(loadWindowState(file, display), { x: 10, y: 20, width: 1000, height: 700, maximized: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
