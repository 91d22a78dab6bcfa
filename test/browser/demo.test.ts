// The same hunt on a generated demo scenario (`metronome generate cobalt-strike-default`: two
// Cobalt Strike-like beacons among 50 office hosts for 2 days), loaded through the Import view:
// a planted beacon ranked first, its detail charts matching the data, brushing, marking it
// expected, CSV export. Skipped, with the reason, when the generator is not in this build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Finding, PairSeries, ScanResult } from '../../shared/types.js';
import { BIN, ROOT, download, launch, openPage, parseCsv, serve, shot, sumData, type Served } from './harness.js';

const SCENARIO = 'cobalt-strike-default';

interface TruthItem {
  id: string;
  malicious?: boolean;
  src: string;
  dst: { fqdn?: string; ip?: string; ips?: string[] };
  port?: number;
  observed: { connections: number };
}

function generatorMissing(): string | null {
  const help = spawnSync(process.execPath, [BIN, 'generate', '--help'], { cwd: ROOT, encoding: 'utf8' });
  if (help.status !== 0 || !/scenario/.test(help.stdout)) return '`metronome generate` is not in this build yet';
  if (!existsSync(join(ROOT, 'scenarios', `${SCENARIO}.json`))) return `scenarios/${SCENARIO}.json is not in this build yet`;
  return null;
}

const skip = generatorMissing();
let tmp: string;
let served: Served;
let browser: Browser;
let page: Page;
let errors: string[];
let planted: TruthItem[] = [];
let top: Finding;

before(async () => {
  if (skip) return;
  tmp = mkdtempSync(join(tmpdir(), 'metronome-demo-'));
  const out = join(tmp, 'demo');
  const gen = spawnSync(process.execPath, [BIN, 'generate', SCENARIO, '--out', out, '--formats', 'zeek-tsv'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(gen.status, 0, gen.stderr);
  planted = (JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as { items: TruthItem[] }).items.filter((i) => i.malicious);
  assert.ok(planted.length > 0, 'the scenario plants beacons');
  served = await serve([], { METRONOME_CONFIG_DIR: join(tmp, 'config') });
  browser = await launch();
  ({ page, errors } = await openPage(browser));
  await page.goto(served.url);
});

after(async () => {
  await browser?.close();
  await served?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function isPlanted(f: Finding): TruthItem | undefined {
  return planted.find((p) => p.src === f.src && (f.dst === p.dst.fqdn || f.dst === p.dst.ip || (p.dst.ips ?? []).includes(f.dst)));
}

test('import the generated scenario through the Import view', { skip: skip ?? false }, async () => {
  await page.getByTestId('nav-import').click();
  await page.getByTestId('import-paths').fill(join(tmp, 'demo', 'zeek-tsv'));
  await page.getByTestId('import-go').click();
  const report = page.getByTestId('import-report');
  await report.waitFor({ timeout: 120_000 });
  const files = await report.getByTestId('import-file').allTextContents();
  assert.ok(files.some((f) => /conn\.log/.test(f)) && files.some((f) => /dns\.log/.test(f)), files.join('\n'));
  await shot(page, '20-demo-import');
});

test('a planted beacon is ranked first', { skip: skip ?? false }, async () => {
  await page.getByTestId('nav-findings').click();
  await page.getByTestId('finding-row').first().waitFor({ timeout: 120_000 });
  const scan = await served.api<ScanResult>('scan', {});
  top = scan.findings[0];
  const truth = isPlanted(top);
  assert.ok(truth, `top finding ${top.src} → ${top.dst} is not planted (planted: ${planted.map((p) => p.id).join(', ')})`);
  assert.equal(await page.getByTestId('finding-row').first().getAttribute('data-finding-id'), top.id);
  assert.equal(top.connections, truth.observed.connections);
  await page.waitForTimeout(400);
  await shot(page, '21-demo-findings');
});

test('its detail charts match the data, and brushing zooms them all', { skip: skip ?? false }, async () => {
  await page.getByTestId('open-detail').click();
  await page.getByTestId('pair-detail').waitFor();
  const truth = await served.api<PairSeries>('pairSeries', { id: top.id });
  assert.equal(truth.mode, 'events');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="timeline"] .conn-mark').length === n, top.connections, { timeout: 60_000 });
  assert.equal(await sumData(page, '[data-testid="heatmap"] .heat-cell'), top.connections);
  const overflow = Number(await page.getByTestId('intervals').getAttribute('data-overflow'));
  assert.equal((await sumData(page, '[data-testid="intervals"] .interval-bar')) + overflow, top.connections - 1);
  assert.equal(await page.getByTestId('sizes').locator('.size-out').count(), truth.points.filter((p) => p.out !== null).length);
  assert.equal(await page.getByTestId('heatmap').locator('.axis-x text').count() > 0, true);
  // Two days of a steady beacon: every hour of both days is lit.
  assert.equal(await page.getByTestId('heatmap').locator('.heat-cell').count(), 48);
  await page.waitForTimeout(300);
  await shot(page, '22-demo-detail');

  const box = await page.locator('[data-testid="timeline"] .brush .overlay').boundingBox();
  assert.ok(box);
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction((all) => Number(document.querySelector('[data-testid="timeline"]')?.getAttribute('data-events')) < all, top.connections, { timeout: 15_000 });
  const n = Number(await page.getByTestId('timeline').getAttribute('data-events'));
  await page.waitForFunction(
    (want) => [...document.querySelectorAll('[data-testid="heatmap"] .heat-cell')].reduce((s, e) => s + Number(e.getAttribute('data-n')), 0) === want,
    n,
  );
  assert.equal(await page.locator('[data-testid="timeline"] .conn-mark').count(), n);
  await page.waitForTimeout(300);
  await shot(page, '23-demo-detail-brushed');
});

test('marking it expected takes it off the list; the CSV export follows', { skip: skip ?? false }, async () => {
  await page.getByTestId('expect-open').click();
  await page.getByTestId('expect-owner').fill('Red team');
  await page.getByTestId('expect-note').fill('Planted beacon of the demo scenario');
  await page.getByTestId('expect-submit').click();
  await page.waitForFunction(
    (id) => document.querySelectorAll('[data-testid="finding-row"]').length > 0 && !document.querySelector(`tr[data-finding-id="${id}"]`),
    top.id,
    { timeout: 15_000 },
  );
  const visible = (await served.api<ScanResult>('scan', {})).findings;
  assert.ok(!visible.some((f) => f.id === top.id));
  await page.waitForFunction((n) => document.querySelector('[data-testid="findings-table"]')?.getAttribute('data-rows') === String(n), visible.length);
  const csv = await download(page, () => page.getByTestId('export-csv').click());
  const [header, ...rows] = parseCsv(csv.bytes.toString('utf8'));
  assert.equal(rows.length, visible.length);
  assert.ok(!rows.some((r) => r[header.indexOf('id')] === top.id));
  // The other planted beacon is now on top.
  assert.ok(isPlanted(visible[0]), `${visible[0].src} → ${visible[0].dst}`);
  await page.getByTestId('nav-overview').click();
  await page.getByTestId('overview-heatmap').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(400);
  await shot(page, '24-demo-overview');
});

test('the demo pages logged no errors', { skip: skip ?? false }, async () => {
  assert.deepEqual(errors, []);
});
