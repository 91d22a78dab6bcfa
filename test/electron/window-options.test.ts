// The desktop window's security settings, asserted without Electron (it cannot run here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTrustedSender, windowOptions } from '../../main/electron/window-options.js';
import { ROOT } from '../helpers.js';

test('window: context isolation and sandbox on, node integration off', () => {
  const w = windowOptions('/x/preload.cjs').webPreferences;
  assert.equal(w.contextIsolation, true);
  assert.equal(w.sandbox, true);
  assert.equal(w.nodeIntegration, false);
  assert.equal(w.nodeIntegrationInWorker, false);
  assert.equal(w.webSecurity, true);
  assert.equal(w.webviewTag, false);
  assert.equal(w.preload, '/x/preload.cjs');
});

test('IPC: only the app origin may call the engine', () => {
  assert.ok(isTrustedSender('app://metronome/index.html'));
  assert.ok(!isTrustedSender('https://evil.example/'));
  assert.ok(!isTrustedSender('file:///tmp/x.html'));
  assert.ok(!isTrustedSender(undefined));
});

test('preload exposes only the generic invoke/on bridge', () => {
  const src = readFileSync(join(ROOT, 'main/electron/preload.ts'), 'utf8');
  assert.equal((src.match(/exposeInMainWorld/g) ?? []).length, 1);
  assert.match(src, /invoke: \(op: string, req: unknown\)/);
  assert.doesNotMatch(src, /require\(|process\.|ipcRenderer\.send\(/);
});

test('the Electron main process validates every request through Engine.handle', () => {
  const main = readFileSync(join(ROOT, 'main/electron/main.ts'), 'utf8');
  assert.match(main, /isTrustedSender\(event\.senderFrame\?\.url\)/);
  assert.match(main, /createIpcHandler\(callEngine, shell\)/);
  // The handler (ipc.ts, tested in ipc.test.ts) ends in Engine.handle in the engine process.
  const ipc = readFileSync(join(ROOT, 'main/electron/ipc.ts'), 'utf8');
  assert.match(ipc, /engine\.handle\(op, req\)/);
  assert.match(ipc, /validateShellRequest\(op, req\)/);
  const host = readFileSync(join(ROOT, 'main/electron/engine-host.ts'), 'utf8');
  assert.match(host, /engineCall/);
  assert.doesNotMatch(host, /from 'electron'/);
});

test('main.ts is the only module that imports electron', () => {
  for (const f of ['ipc.ts', 'engine-host.ts', 'window-state.ts', 'window-options.ts']) {
    assert.doesNotMatch(readFileSync(join(ROOT, 'main/electron', f), 'utf8'), /from 'electron'/, f);
  }
});
