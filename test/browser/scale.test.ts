// Scale in browser mode. (1) The findings table with 100 000 findings (a stand-in engine behind
// the real HTTP server serves them): only the rows in view are in the DOM, and keyboard, sorting
// and filtering stay quick. (2) The pair detail of a pair with 50 000 connections, on the real
// engine: the timeline is aggregated per pixel column in SQL and every chart still accounts for
// all 50 000 events. Times are measured and printed (test-results/scale.json), with only loose
// bounds asserted: this is not a timed test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Engine } from '../../main/api/engine.js';
import { startServer, type RunningServer } from '../../main/server/http.js';
import type { Category, Finding, PairSeries } from '../../shared/types.js';
import { ROOT, launch, openPage, serve, shot, sumData, type Served } from './harness.js';
import { writeBeaconLog } from './fixtures.js';

const N_FINDINGS = 100_000;
const N_CONNECTIONS = 50_000;
const figures: Record<string, number | string> = {};

let browser: Browser;
let tmp: string;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'metronome-scale-'));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(join(ROOT, 'test-results/scale.json'), `${JSON.stringify(figures, null, 2)}\n`);
});

const CATS: Category[] = ['beacon', 'scheduled-transfer', 'fleet-schedule', 'strobe', 'long-connection', 'dns-tunnel'];

function syntheticFindings(n: number): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const score = Math.round((1 - i / n) * 1000) / 1000;
    const t0 = Date.UTC(2025, 4, 6) + (i % 1000) * 60_000;
    out.push({
      id: `f${i.toString(36).padStart(6, '0')}`,
      category: CATS[i % CATS.length],
      src: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      dst: i % 3 ? `198.51.${(i >> 8) & 255}.${i & 255}` : `host${i}.example.com`,
      dstKind: i % 3 ? 'ip' : 'fqdn',
      port: 443,
      proto: 'tcp',
      prevalence: (i % 100) / 100,
      direction: 'outbound',
      eventType: 'connection',
      connections: 3 + (i % 5000),
      checkins: 3 + (i % 5000),
      period: i % 7 ? 30 + (i % 3600) : null,
      score,
      firstSeen: new Date(t0).toISOString(),
      lastSeen: new Date(t0 + 86_400_000).toISOString(),
      bytesOut: (i * 7919) % 10_000_000,
      bytesIn: null,
      reasons: [{ feature: 'timing', contribution: score * 6, text: `synthetic finding ${i}` }],
      scorer: 'synthetic',
    });
  }
  return out;
}

/** A stand-in engine for the table test: the real HTTP server, synthetic answers. */
function fakeEngine(findings: Finding[]): Engine {
  const summary = { connections: 1_000_000, pairs: findings.length, start: findings[0].firstSeen, end: findings[0].lastSeen };
  const series = (id: string): PairSeries => {
    const f = findings.find((x) => x.id === id) ?? findings[0];
    const t = Date.parse(f.firstSeen);
    return {
      finding: f, extent: [t, t + 120_000], range: [t, t + 120_000], total: 3, inRange: 3, mode: 'events',
      points: [0, 1, 2].map((k) => ({ t: t + k * 60_000, out: 500, in: 1000, failed: false })), bins: [],
      intervals: { scale: 'linear', bins: [{ lo: 55, hi: 60, n: 2 }], gaps: 2, overflow: 0, min: 60, median: 60, max: 60 },
      heatmap: { zone: 'UTC', days: ['2025-05-06'], cells: [{ day: 0, hour: 0, n: 3 }], max: 3 },
      timing: { period: 60, jitter: 0, checkins: 3, mergeWindow: 1, periodic: true },
      related: { connections: 3, dns: 0, http: 0, tls: 0, alerts: 0 }, elapsedMs: 0,
    };
  };
  const answers: Record<string, (body: Record<string, unknown>) => unknown> = {
    status: () => ({ caseName: `synthetic: ${N_FINDINGS} findings`, tables: { connections: 1_000_000, dns: 0, http: 0, tls: 0, alerts: 0 }, files: [], version: 'test' }),
    scan: () => ({ findings, summary }),
    annotationsList: () => [],
    recentCases: () => [],
    pairSeries: (b) => series(String(b.id)),
  };
  return {
    handle: async (op: string, body: unknown) => {
      const a = answers[op];
      if (!a) throw new Error(`not in the stand-in engine: ${op}`);
      return a((body ?? {}) as Record<string, unknown>);
    },
  } as unknown as Engine;
}

test(`the findings table stays quick with ${N_FINDINGS.toLocaleString('en-US')} findings`, async (t) => {
  const findings = syntheticFindings(N_FINDINGS);
  const server: RunningServer = await startServer(fakeEngine(findings));
  try {
    const { page, errors } = await openPage(browser);
    const t0 = Date.now();
    await page.goto(server.url);
    await page.getByTestId('finding-row').first().waitFor({ timeout: 60_000 });
    figures.tableFirstRowsMs = Date.now() - t0;
    assert.equal(await page.getByTestId('findings-table').getAttribute('data-rows'), String(N_FINDINGS));
    const inDom = await page.getByTestId('finding-row').count();
    figures.tableRowsInDom = inDom;
    assert.ok(inDom < 100, `${inDom} rows in the DOM`);

    await page.getByTestId('findings-table').focus();
    let s = Date.now();
    await page.keyboard.press('End');
    const last = findings[findings.length - 1].id;
    await page.locator(`tr[data-finding-id="${last}"][aria-selected="true"]`).waitFor({ timeout: 10_000 });
    figures.tableEndKeyMs = Date.now() - s;
    s = Date.now();
    for (let i = 0; i < 10; i++) await page.keyboard.press('k');
    await page.locator(`tr[data-finding-id="${findings[findings.length - 11].id}"][aria-selected="true"]`).waitFor({ timeout: 10_000 });
    figures.table10KeyPressesMs = Date.now() - s;

    s = Date.now();
    await page.locator('th[data-sort-key="bytesOut"]').click();
    await page.getByTestId('findings-table').focus();
    await page.keyboard.press('Home');
    const maxBytes = Math.max(...findings.map((f) => f.bytesOut ?? 0));
    await page.waitForFunction(
      (want) => document.querySelector('tr[aria-rowindex="2"] [data-col="bytesOut"]')?.getAttribute('title') === `${want.toLocaleString('en-US')} bytes`,
      maxBytes,
      { timeout: 10_000 },
    );
    figures.tableSortMs = Date.now() - s;

    s = Date.now();
    await page.getByTestId('filter-text').fill('host99');
    const want = findings.filter((f) => f.dst.includes('host99')).length;
    await page.waitForFunction((n) => document.querySelector('[data-testid="findings-table"]')?.getAttribute('data-rows') === String(n), want, { timeout: 10_000 });
    figures.tableTextFilterMs = Date.now() - s;
    s = Date.now();
    await page.getByTestId('filter-text').fill('');
    await page.getByTestId('filter-cidr').fill('10.1.0.0/16');
    const inCidr = findings.filter((f) => f.src.startsWith('10.1.')).length;
    await page.waitForFunction((n) => document.querySelector('[data-testid="findings-table"]')?.getAttribute('data-rows') === String(n), inCidr, { timeout: 10_000 });
    figures.tableCidrFilterMs = Date.now() - s;
    await page.getByTestId('filter-cidr').fill('');

    // Scroll to the middle: the rows there are drawn, and still only a window of them.
    await page.getByTestId('findings-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await page.waitForTimeout(200);
    assert.ok((await page.getByTestId('finding-row').count()) < 100);
    await shot(page, '14-findings-100k');
    t.diagnostic(JSON.stringify(figures));
    for (const k of ['tableEndKeyMs', 'tableSortMs', 'tableTextFilterMs', 'tableCidrFilterMs']) {
      assert.ok(Number(figures[k]) < 5000, `${k} = ${figures[k]} ms`);
    }
    assert.deepEqual(errors, []);
    await page.context().close();
  } finally {
    await server.close();
  }
});

test(`the pair detail of a pair with ${N_CONNECTIONS.toLocaleString('en-US')} connections draws every event`, async (t) => {
  const log = join(tmp, 'big', 'conn.log');
  const planted = writeBeaconLog(log, { beacon: N_CONNECTIONS, period: 60, jitter: 0.2, noise: 20_000, start: Date.parse('2025-05-06T00:00:00Z') / 1000 });
  let served: Served | undefined;
  try {
    served = await serve([log], { METRONOME_CONFIG_DIR: join(tmp, 'config') }, 300_000);
    const { page, errors } = await openPage(browser);
    await page.goto(served.url);
    await page.getByTestId('finding-row').first().waitFor({ timeout: 120_000 });
    const row = page.locator('tr[data-testid="finding-row"]').filter({ has: page.locator('[data-col="dst"]', { hasText: planted.dst }) }).first();
    await row.waitFor();
    const id = (await row.getAttribute('data-finding-id'))!;
    assert.equal(await row.locator('[data-col="connections"]').getAttribute('data-value'), String(N_CONNECTIONS));

    const opened = async (): Promise<number> => {
      const start = Date.now();
      await row.dblclick();
      await page.waitForFunction(
        (n) => {
          const sum = (sel: string) => [...document.querySelectorAll(sel)].reduce((s, e) => s + Number(e.getAttribute('data-n')), 0);
          const tl = document.querySelector('[data-testid="timeline"]');
          return (
            tl?.getAttribute('data-mode') === 'bins' &&
            sum('[data-testid="timeline"] .conn-bin') === n &&
            sum('[data-testid="heatmap"] .heat-cell') === n &&
            document.querySelectorAll('[data-testid="intervals"] .interval-bar').length > 0 &&
            document.querySelectorAll('[data-testid="sizes"] .size-out').length > 0 &&
            document.querySelector('[data-testid="related"]')?.getAttribute('data-total') === String(n)
          );
        },
        N_CONNECTIONS,
        { timeout: 60_000, polling: 'raf' },
      );
      return Date.now() - start;
    };
    figures.pairDetail50kFirstOpenMs = await opened();
    await shot(page, '15-detail-50k');
    const engineMs = Number(((await page.locator('.range-bar').textContent()) ?? '').match(/engine (\d+) ms/)?.[1] ?? NaN);
    figures.pairDetail50kEngineMs = engineMs;
    // Every interval is counted (a steady 60 s beacon: nothing off the linear chart).
    const overflow = Number(await page.getByTestId('intervals').getAttribute('data-overflow'));
    assert.equal((await sumData(page, '[data-testid="intervals"] .interval-bar')) + overflow, N_CONNECTIONS - 1);
    const bins = await page.locator('[data-testid="timeline"] .conn-bin').count();
    figures.pairDetail50kTimelineMarks = bins;
    assert.ok(bins <= 2000, `${bins} marks drawn for 50 000 events`);
    const series = await served.api<PairSeries>('pairSeries', { id });
    assert.equal(series.bins.reduce((s, b) => s + b.n, 0), N_CONNECTIONS);

    // Back and open again: the scan is cached, so this is the detail alone.
    await page.getByText('← Findings').click();
    await row.waitFor();
    figures.pairDetail50kSecondOpenMs = await opened();
    t.diagnostic(JSON.stringify(figures));
    assert.ok(Number(figures.pairDetail50kSecondOpenMs) < 10_000, `second open took ${figures.pairDetail50kSecondOpenMs} ms`);
    assert.deepEqual(errors, []);
    await page.context().close();
  } finally {
    await served?.stop();
  }
});
