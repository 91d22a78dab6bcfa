// Unit tests of the renderer's transports (no browser needed): token parsing, request shape,
// error mapping for both the fetch and the Electron IPC transport.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFetchTransport, createIpcTransport, takeTokenFromHash } from '../../renderer/transport.js';

test('takeTokenFromHash reads #t= and keeps other fragment parameters', () => {
  assert.deepEqual(takeTokenFromHash('#t=abc_DEF-123'), { token: 'abc_DEF-123', rest: '' });
  assert.deepEqual(takeTokenFromHash('#t=abc&view=table'), { token: 'abc', rest: '#view=table' });
  assert.deepEqual(takeTokenFromHash(''), { token: null, rest: '' });
  assert.deepEqual(takeTokenFromHash('#t='), { token: null, rest: '' });
});

function withFetch(impl: typeof fetch, fn: () => Promise<void>): Promise<void> {
  const saved = globalThis.fetch;
  globalThis.fetch = impl;
  return fn().finally(() => {
    globalThis.fetch = saved;
  });
}

test('fetch transport POSTs JSON with the token header and returns the body', async () => {
  let seen: { url: string; init: RequestInit } | undefined;
  await withFetch(
    (async (url: string, init: RequestInit) => {
      seen = { url, init };
      return new Response(JSON.stringify({ findings: [], summary: { connections: 0, pairs: 0, start: null, end: null } }), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    }) as typeof fetch,
    async () => {
      const t = createFetchTransport('tok123');
      const res = await t.invoke('scan', { top: 5 });
      assert.deepEqual(res.findings, []);
    },
  );
  assert.equal(seen?.url, '/api/scan');
  assert.equal(seen?.init.method, 'POST');
  assert.equal((seen?.init.headers as Record<string, string>)['X-Metronome-Token'], 'tok123');
  assert.equal(seen?.init.body, '{"top":5}');
});

test("fetch transport throws the server's error message", async () => {
  await withFetch(
    (async () => new Response(JSON.stringify({ error: 'no finding with id "x"' }), { status: 404 })) as typeof fetch,
    async () => {
      await assert.rejects(createFetchTransport('t').invoke('pairDetail', { id: 'x' }), { message: 'no finding with id "x"' });
    },
  );
  await withFetch(
    (async () => new Response('oops', { status: 502 })) as typeof fetch,
    async () => {
      await assert.rejects(createFetchTransport('t').invoke('status', {}), /HTTP 502/);
    },
  );
  await withFetch(
    (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch,
    async () => {
      await assert.rejects(createFetchTransport('t').invoke('status', {}), /Cannot reach the Metronome engine/);
    },
  );
});

test('fetch transport without a token refuses before sending', async () => {
  let called = false;
  await withFetch(
    (async () => {
      called = true;
      return new Response('{}');
    }) as typeof fetch,
    async () => {
      await assert.rejects(createFetchTransport(null).invoke('status', {}), /No session token/);
    },
  );
  assert.equal(called, false);
});

test('IPC transport passes op and request through and maps errors', async () => {
  const calls: [string, unknown][] = [];
  const ok = createIpcTransport({
    invoke: async (op, req) => {
      calls.push([op, req]);
      return { caseName: 'c', tables: { connections: 1, dns: 0, http: 0, tls: 0, alerts: 0 }, files: [], version: '0' };
    },
  });
  const res = await ok.invoke('status', {});
  assert.equal(res.caseName, 'c');
  assert.deepEqual(calls, [['status', {}]]);

  const errShape = createIpcTransport({ invoke: async () => ({ error: 'bad request' }) });
  await assert.rejects(errShape.invoke('status', {}), { message: 'bad request' });

  const rejected = createIpcTransport({
    invoke: async () => {
      throw new Error("Error invoking remote method 'metronome:invoke': Error: unknown field \"x\"");
    },
  });
  await assert.rejects(rejected.invoke('status', {}), { message: 'unknown field "x"' });
});
