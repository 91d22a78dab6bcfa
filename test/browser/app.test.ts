// Browser-mode end-to-end test: starts `metronome serve` on the bundled NjRAT sample, opens the
// printed URL in headless Chromium and checks the findings table, the timeline, the token
// handling of the local server and that the page logs no errors or CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

// The compiled test lives at dist/test/browser/app.test.js.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CHROMIUM = process.env.METRONOME_CHROMIUM ?? '/usr/bin/chromium';
// The bundled sample (moved from test/fixtures/sample-njrat/ to samples/njrat/).
const SAMPLE = 'samples/njrat/conn.log';
const SCREENSHOT = join(ROOT, 'test-results/screenshots/browser-mode.png');

const BEACON = { src: '192.168.1.115', dst: '41.108.179.197', connections: 237 };

let server: ChildProcess | undefined;
let serverLog = '';
let url = '';
let origin = '';
let token = '';
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];

function startServer(): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['bin/metronome.js', 'serve', SAMPLE, '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    server = child;
    // Safety net: never leave the server running if this process ends without `after`.
    process.once('exit', () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const timer = setTimeout(() => reject(new Error(`server printed no URL within 60 s\n${serverLog}`)), 60_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      serverLog += chunk;
    });
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolvePromise(line.trim());
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal})\n${serverLog}`));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** A raw HTTP request (node:http lets us set any Host header, unlike fetch). */
function rawRequest(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  const u = new URL(origin);
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: Number(u.port), path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

before(async () => {
  assert.ok(
    existsSync(join(ROOT, 'dist/main/cli/index.js')),
    'dist/main/cli/index.js is missing: run `npm run build` first',
  );
  url = await startServer();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/#t=[^&\s]+$/, `first stdout line should be the URL, got: ${url}`);
  const parsed = new URL(url);
  origin = parsed.origin;
  token = new URLSearchParams(parsed.hash.slice(1)).get('t') ?? '';

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') {
      // CSP violations are reported here too ("Refused to apply inline style …").
      if (msg.type() === 'error' || /Content Security Policy|Refused to/i.test(msg.text())) {
        pageErrors.push(`console.${msg.type()}: ${msg.text()}`);
      }
    }
  });
  page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => pageErrors.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
  await page.goto(url);
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server!.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
});

/** The number in a row's connections cell, as displayed ("1,234" → 1234). */
async function shownConnections(row: Locator): Promise<number> {
  return Number(((await row.locator('[data-col="connections"]').textContent()) ?? '').replace(/[^\d]/g, ''));
}

function waitForMarks(n: number) {
  return page.waitForFunction(
    (count) => document.querySelectorAll('[data-testid="timeline"] .conn-mark').length === count,
    n,
    { timeout: 30_000 },
  );
}

// The detector ranks the NjRAT beacon first (hunt.test.ts asserts it); this test only needs it
// near the top.
test('the ranked table shows the bundled NjRAT beacon among the top rows', async () => {
  await page.getByTestId('findings-table').waitFor({ state: 'visible', timeout: 30_000 });
  await page.getByTestId('finding-row').first().waitFor();
  const ranked = await page
    .getByTestId('finding-row')
    .evaluateAll((rows) => rows.map((r) => `${r.querySelector('[data-col="src"]')?.textContent?.trim()} → ${r.querySelector('[data-col="dst"]')?.textContent?.trim()}`));
  const rank = ranked.indexOf(`${BEACON.src} → ${BEACON.dst}`);
  assert.ok(rank >= 0 && rank < 3, `ranking:\n${ranked.join('\n')}`);
  assert.equal(await shownConnections(page.getByTestId('finding-row').nth(rank)), BEACON.connections);
});

test('clicking the beacon draws its timeline with one mark per connection', async () => {
  const row = page.getByTestId('finding-row').filter({ has: page.locator(`[data-col="dst"]`, { hasText: BEACON.dst }) }).first();
  await row.waitFor({ timeout: 30_000 });
  const shown = await shownConnections(row);
  assert.equal(shown, BEACON.connections);
  assert.ok(await row.getAttribute('data-finding-id'), 'row carries data-finding-id');

  await row.click();
  assert.equal(await row.getAttribute('aria-selected'), 'true');

  const svg = page.getByTestId('timeline');
  await svg.waitFor({ state: 'visible', timeout: 30_000 });
  await page.waitForFunction(
    (dst) => document.querySelector('[data-testid="timeline"] .chart-title')?.textContent?.includes(dst) ?? false,
    BEACON.dst,
    { timeout: 30_000 },
  );
  await waitForMarks(shown);
  assert.equal(await svg.locator('.conn-mark').count(), shown);
  const svgText = (await svg.textContent()) ?? '';
  assert.ok(svgText.includes(`Connections over time: ${BEACON.src} → ${BEACON.dst}:1177`), svgText);
  assert.ok(svgText.includes('time (UTC)'));
  assert.ok(svgText.includes('bytes out'));
  assert.ok((await svg.locator('.axis-x .tick text').count()) >= 3, 'time axis has labels');

  // Every mark is inside the chart (nothing drawn off-chart).
  const box = await svg.boundingBox();
  const outside = await svg.locator('.conn-mark').evaluateAll((marks, b) => {
    if (!b) return -1;
    return marks.filter((m) => {
      const r = m.getBoundingClientRect();
      return r.left < b.x || r.right > b.x + b.width || r.top < b.y || r.bottom > b.y + b.height;
    }).length;
  }, box);
  assert.equal(outside, 0);

  mkdirSync(dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
});

test('the token is removed from the address bar', async () => {
  assert.ok(!page.url().includes(token), `URL still shows the token: ${page.url()}`);
  assert.ok(!page.url().includes('#t='));
});

test('keyboard moves the selection (j/k, arrows)', async () => {
  const rows = page.getByTestId('finding-row');
  const count = await rows.count();
  if (count < 2) return; // nothing to move to
  const ids = [await rows.nth(0).getAttribute('data-finding-id'), await rows.nth(1).getAttribute('data-finding-id')];
  const waitSelected = (i: number) =>
    page.waitForFunction(
      (id) => document.querySelector(`tr[data-finding-id="${id}"]`)?.getAttribute('aria-selected') === 'true',
      ids[i],
      { timeout: 5000 },
    );
  await rows.nth(0).click();
  await waitSelected(0);
  await page.getByTestId('findings-table').focus();
  await page.keyboard.press('j');
  await waitSelected(1);
  await page.keyboard.press('k');
  await waitSelected(0);
  await page.keyboard.press('ArrowDown');
  await waitSelected(1);
  await page.keyboard.press('ArrowUp');
  await waitSelected(0);
  // Enter opens the selected finding's linked views; Esc comes back with the selection kept.
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => document.querySelector('[data-testid="pair-detail"]')?.getAttribute('data-finding-id') === id, ids[0], { timeout: 10_000 });
  await page.keyboard.press('Escape');
  await page.getByTestId('findings-table').waitFor();
  await waitSelected(0);
  // The first finding's timeline comes back in the preview.
  await waitForMarks(await shownConnections(rows.nth(0)));
});

test('the API refuses requests without the token or with a foreign Host', async () => {
  const ok = await rawRequest('/api/status', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Metronome-Token': token },
    body: '{}',
  });
  assert.equal(ok.status, 200, ok.body);

  const noToken = await rawRequest('/api/status', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  assert.equal(noToken.status, 401, noToken.body);
  assert.equal(typeof JSON.parse(noToken.body).error, 'string');

  const wrongToken = await rawRequest('/api/status', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Metronome-Token': `${token}x` },
    body: '{}',
  });
  assert.equal(wrongToken.status, 401, wrongToken.body);

  // DNS rebinding: a page on evil.example resolving to 127.0.0.1 must not reach the API.
  const port = new URL(origin).port;
  const foreign = await rawRequest('/api/status', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Metronome-Token': token, Host: `evil.example:${port}` },
    body: '{}',
  });
  assert.ok(foreign.status >= 400 && foreign.status < 500, `foreign Host got ${foreign.status}: ${foreign.body}`);
});

test('the page logged no errors and no CSP violations', async () => {
  // Give late resources (source map, favicon) a moment.
  await page.waitForTimeout(300);
  assert.deepEqual(pageErrors, []);
});
