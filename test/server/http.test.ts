// Browser-mode server safety: 127.0.0.1 only, per-run token, Host header check, validation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Engine } from '../../main/api/engine.js';
import { startServer, TOKEN_HEADER, type RunningServer } from '../../main/server/http.js';
import { SAMPLE } from '../helpers.js';

let engine: Engine;
let server: RunningServer;

before(async () => {
  engine = await Engine.open();
  await engine.import([SAMPLE]);
  server = await startServer(engine);
});
after(async () => {
  await server.close();
  engine.close();
});

function call(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const api = (op: string, body: unknown, headers: Record<string, string> = {}) =>
  call(`/api/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token, ...headers },
    body: JSON.stringify(body),
  });

test('URL is 127.0.0.1 with the token in the fragment; server listens on loopback only', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/#t=[A-Za-z0-9_-]{20,}$/);
  const addr = server.server.address();
  assert.ok(addr && typeof addr === 'object' && addr.address === '127.0.0.1');
});

test('API answers with the token, refuses without it or with a wrong one', async () => {
  const ok = await api('scan', { top: 3 });
  assert.equal(ok.status, 200);
  assert.equal(JSON.parse(ok.body).findings.length, 3);
  const none = await call('/api/scan', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(none.status, 401);
  const wrong = await api('scan', {}, { [TOKEN_HEADER]: 'x'.repeat(server.token.length) });
  assert.equal(wrong.status, 401);
});

test('a foreign Host header is refused (DNS rebinding), for the API and the page', async () => {
  assert.equal((await api('scan', {}, { host: `evil.example:${server.port}` })).status, 403);
  assert.equal((await call('/', { headers: { host: 'evil.example' } })).status, 403);
  assert.equal((await call('/', { headers: { host: `localhost:${server.port}` } })).status, 200);
});

test('the page carries a strict CSP', async () => {
  const r = await call('/');
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-security-policy']), /default-src 'self'; script-src 'self'/);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
});

test('requests are validated: unknown operations, fields and bad values are 400; unknown ids 404', async () => {
  assert.equal((await api('dropTables', {})).status, 400);
  assert.equal((await api('scan', { top: -1 })).status, 400);
  assert.equal((await api('scan', { sql: 'select 1' })).status, 400);
  assert.equal((await api('pairDetail', { id: "x'; DROP TABLE connections; --" })).status, 400);
  assert.equal((await api('pairDetail', { id: 'ffffffffffffffff' })).status, 404);
  const text = await call('/api/scan', { method: 'POST', headers: { [TOKEN_HEADER]: server.token, 'content-type': 'text/plain' }, body: '{}' });
  assert.equal(text.status, 415);
});

test('pairDetail returns every connection of the pair with ISO times', async () => {
  const scan = JSON.parse((await api('scan', {})).body);
  const f = scan.findings.find((x: { dst: string }) => x.dst === '41.108.179.197');
  const d = JSON.parse((await api('pairDetail', { id: f.id })).body);
  assert.equal(d.total, 237);
  assert.equal(d.connections.length, 237);
  assert.equal(d.truncated, false);
  assert.match(d.connections[0].ts, /^1970-01-01T00:\d\d:\d\d\.\d{3}/);
  const cut = JSON.parse((await api('pairDetail', { id: f.id, limit: 10 })).body);
  assert.equal(cut.connections.length, 10);
  assert.equal(cut.truncated, true);
});
