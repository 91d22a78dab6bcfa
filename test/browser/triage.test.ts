// From finding to response in browser mode, on the bundled NjRAT capture: the Coverage view
// (capture length, what schedules the capture can show), triage of the C2 finding (state badge,
// owner, history, state filter; "expected" asks for owner and purpose and takes it off the list)
// and its evidence package written to a folder on the engine machine, checked on disk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { CoverageReport, ScanResult, TriageChange, TriageRecord } from '../../shared/types.js';
import { launch, openPage, serve, shot, type Served } from './harness.js';

const SAMPLE = 'samples/njrat/conn.log';
const C2 = { src: '192.168.1.115', dst: '41.108.179.197' };

let served: Served;
let browser: Browser;
let page: Page;
let errors: string[];
let tmp: string;
let c2Id: string;
const written: string[] = [];

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'metronome-triage-'));
  served = await serve([SAMPLE], { METRONOME_CONFIG_DIR: join(tmp, 'config') });
  browser = await launch();
  ({ page, errors } = await openPage(browser));
  await page.goto(served.url);
  const scan = await served.api<ScanResult>('scan', {});
  c2Id = scan.findings[0].id;
  assert.equal(`${scan.findings[0].src} → ${scan.findings[0].dst}`, `${C2.src} → ${C2.dst}`);
});

after(async () => {
  await browser?.close();
  await served?.stop();
  for (const d of written) rmSync(d, { recursive: true, force: true });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('coverage: the capture length and which schedules it cannot show', async () => {
  await page.getByTestId('finding-row').first().waitFor({ timeout: 60_000 });
  await page.getByTestId('nav-coverage').click();
  await page.getByTestId('coverage-view').waitFor();
  assert.match(page.url(), /#\/coverage$/);
  const truth = await served.api<CoverageReport>('coverage', {});
  const length = (await page.getByTestId('capture-length').textContent()) ?? '';
  assert.match(length, /^5\d\.\d minutes$/, length);
  assert.ok(Math.abs(truth.capture.seconds / 60 - Number.parseFloat(length)) < 0.1, `${length} vs ${truth.capture.seconds} s`);
  assert.equal(await page.getByTestId('relative-clock').count(), 1, 'relative timestamps are called out');

  // Hourly and daily schedules: not detectable, with the reason; a 60 s beacon is.
  for (const period of [3600, 86400]) {
    const item = page.locator(`[data-testid="detectable"][data-period="${period}"]`);
    assert.equal(await item.getAttribute('data-possible'), 'false');
    const text = (await item.textContent()) ?? '';
    assert.match(text, /not detectable/);
    assert.match(text, /50\.1 minutes/);
  }
  assert.equal(await page.locator('[data-testid="detectable"][data-period="60"]').getAttribute('data-possible'), 'true');

  // One bar per log type, per-type table, naming, overlap, notes, health.
  assert.equal(await page.getByTestId('coverage-spans').getAttribute('data-rows'), String(truth.logTypes.length));
  assert.ok((await page.locator('[data-testid="coverage-spans"] .span-bar').count()) >= truth.logTypes.length);
  assert.ok((await page.locator('[data-testid="coverage-spans"] .axis-x .tick text').count()) >= 3, 'time axis has labels');
  const row = (await page.locator('[data-testid="coverage-type"][data-type="conn"]').textContent()) ?? '';
  assert.match(row, /992/);
  assert.match((await page.getByTestId('coverage-naming').textContent()) ?? '', /0 named · 992 bare IP/);
  assert.match((await page.getByTestId('coverage-overlap').textContent()) ?? '', /Only one log type/);
  assert.match((await page.getByTestId('coverage-health').textContent()) ?? '', /packet loss at the sensor is unknown/);
  assert.equal(await page.locator('[data-testid="coverage-notes"] li').count(), truth.notes.length);
  await page.waitForTimeout(300);
  await shot(page, '25-coverage');
});

test('triage: set the C2 finding to investigating with an owner; badge, history, filter', async () => {
  await page.getByTestId('nav-findings').click();
  const first = page.getByTestId('finding-row').first();
  await first.waitFor();
  assert.equal(await first.locator('[data-col="state"]').getAttribute('data-value'), 'new');
  await first.dblclick();
  await page.getByTestId('pair-detail').waitFor();
  assert.equal(await page.getByTestId('detail-triage-state').getAttribute('data-state'), 'new');

  await page.getByTestId('triage-open').click();
  await page.getByTestId('triage-panel').waitFor();
  await page.getByTestId('triage-state').selectOption('investigating');
  await page.getByTestId('triage-owner').fill('SOC — Ana');
  await page.getByTestId('triage-note').fill('port 1177 every 11.5 s: looks like njRAT; <b>pulling the host</b>');
  await page.getByTestId('triage-save').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="detail-triage-state"]')?.getAttribute('data-state') === 'investigating');
  await page.getByTestId('triage-change').first().waitFor();
  const hist = (await page.getByTestId('triage-history').textContent()) ?? '';
  assert.match(hist, /investigating/);
  assert.match(hist, /owner SOC — Ana/);
  assert.match(hist, /<b>pulling the host<\/b>/, 'the note is text, never markup');
  assert.equal(await page.locator('[data-testid="triage-history"] b').count(), 0);

  const rec = await served.api<TriageRecord>('triageGet', { id: c2Id });
  assert.equal(rec.state, 'investigating');
  assert.equal(rec.owner, 'SOC — Ana');
  const changes = await served.api<TriageChange[]>('triageHistory', { id: c2Id });
  assert.equal(changes.length, 1);
  assert.equal(await page.getByTestId('triage-change').count(), changes.length);
  await page.waitForTimeout(300);
  await shot(page, '26-triage');

  // The list shows the badge and filters by state.
  await page.getByTestId('triage-open').click();
  await page.keyboard.press('Escape');
  await page.getByTestId('findings-table').waitFor();
  const row = page.locator(`[data-testid="finding-row"][data-finding-id="${c2Id}"]`);
  assert.equal(await row.locator('[data-col="state"]').getAttribute('data-value'), 'investigating');
  assert.equal((await row.locator('[data-col="state"]').textContent())?.trim(), 'investigating');
  await page.getByTestId('filter-state').selectOption('investigating');
  await page.waitForFunction(() => document.querySelector('[data-testid="findings-table"]')?.getAttribute('data-rows') === '1');
  assert.equal(await page.getByTestId('finding-row').first().getAttribute('data-finding-id'), c2Id);
  await page.getByTestId('filter-state').selectOption('');
});

test('evidence: the package of the C2 finding is written and listed', async () => {
  await page.evaluate((id) => (window.location.hash = `#/finding/${id}`), c2Id);
  await page.getByTestId('pair-detail').waitFor();
  await page.getByTestId('evidence-open').click();
  const out = page.getByTestId('evidence-out');
  const suggested = await out.inputValue();
  assert.match(suggested, new RegExp(`^/tmp/metronome-evidence-${c2Id}-\\d{8}-\\d{6}$`), suggested);
  const folder = join(tmp, 'evidence');
  await out.fill(folder);
  await page.getByTestId('evidence-export').click();
  await page.getByTestId('evidence-result').waitFor({ timeout: 60_000 });
  const dir = ((await page.getByTestId('evidence-dir').textContent()) ?? '').trim();
  written.push(dir);
  assert.equal(dir, folder);
  assert.ok(existsSync(join(dir, 'report.html')), 'report.html on disk');
  assert.ok(existsSync(join(dir, 'manifest.json')), 'manifest.json on disk');
  const listed = await page.locator('[data-testid="evidence-file"] td:first-child').allTextContents();
  for (const f of ['report.html', 'manifest.json', 'SHA256SUMS']) assert.ok(listed.includes(f), listed.join(', '));
  for (const f of listed) assert.ok(existsSync(join(dir, f)), `${f} on disk`);
  await page.waitForTimeout(300);
  await shot(page, '27-evidence');

  // Writing again into the same folder is refused unless "replace" is ticked.
  await page.getByTestId('evidence-export').click();
  await page.getByText('already holds an evidence package').waitFor();
});

test('triage "expected" asks owner and purpose, then the finding leaves the default list', async () => {
  await page.getByTestId('triage-open').click();
  await page.getByTestId('triage-state').selectOption('expected');
  const dialog = page.getByTestId('expect-dialog');
  await dialog.waitFor();
  assert.equal(await page.getByTestId('expect-submit').isDisabled(), true, 'owner and purpose are required');
  await page.getByTestId('expect-owner').fill('Lab — Kim');
  await page.getByTestId('expect-note').fill('malware lab replay, ticket LAB-7');
  await page.getByTestId('expect-submit').click();
  await page.getByTestId('findings-table').waitFor();
  await page.waitForFunction((id) => !document.querySelector(`[data-testid="finding-row"][data-finding-id="${id}"]`), c2Id, { timeout: 30_000 });
  const rec = await served.api<TriageRecord>('triageGet', { id: c2Id });
  assert.equal(rec.state, 'expected');
  assert.ok(rec.baselineId, 'on the baseline');
  await page.getByTestId('filter-state').selectOption('expected');
  await page.locator(`[data-testid="finding-row"][data-finding-id="${c2Id}"]`).waitFor();
  await page.getByTestId('filter-state').selectOption('');
});

test('the page logged no errors and no CSP violations', () => {
  // The one refused request is the second export into the same folder (HTTP 400, shown to the user).
  const refused = errors.filter((e) => /status of 400/.test(e));
  assert.equal(refused.length, 1, errors.join('\n'));
  assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), []);
});
