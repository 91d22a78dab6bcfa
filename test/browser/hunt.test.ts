// The hunting flow in browser mode, end to end on the bundled real capture (NjRAT): the C2 pair
// ranked first, filters and sorting, its linked detail views with marks that match the data,
// brushing the timeline, log scale and time zone, chart export, tags and a note, marking the pair
// expected (it leaves the list), CSV export, the overview, "Why not?", raw record search, and the
// import view (progress, per-file summary, rejected lines, upload by file picker and by drop,
// saving a case). Screenshots of each view go to test-results/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Finding, PairSeries, RecordPage, ScanResult } from '../../shared/types.js';
import { download, launch, openPage, parseCsv, serve, shot, sumData, type Served } from './harness.js';
import { writeBeaconLog } from './fixtures.js';

const SAMPLE = 'samples/njrat/conn.log';
const C2 = { src: '192.168.1.115', dst: '41.108.179.197', port: 1177, connections: 237 };

let served: Served;
let browser: Browser;
let page: Page;
let errors: string[];
let tmp: string;
let c2: Finding;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'metronome-hunt-'));
  served = await serve([SAMPLE], { METRONOME_CONFIG_DIR: join(tmp, 'config') });
  browser = await launch();
  ({ page, errors } = await openPage(browser));
  await page.goto(served.url);
});

after(async () => {
  await browser?.close();
  await served?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const rows = () => page.getByTestId('finding-row');
const pairOf = (row: ReturnType<typeof rows>) =>
  row.evaluateAll((rs) => rs.map((r) => `${r.querySelector('[data-col="src"]')?.textContent?.trim()} → ${r.querySelector('[data-col="dst"]')?.textContent?.trim()}`));

/** Sets a React-controlled input's value the way typing would (range inputs cannot be filled). */
async function setValue(testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).evaluate((el, v) => {
    const input = el as HTMLInputElement;
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

async function waitRowsCount(n: number): Promise<void> {
  await page.waitForFunction((want) => document.querySelector('[data-testid="findings-table"]')?.getAttribute('data-rows') === String(want), n, { timeout: 15_000 });
}

test('findings: the NjRAT C2 pair is ranked first', async () => {
  await rows().first().waitFor({ timeout: 60_000 });
  const ranked = await pairOf(rows());
  assert.equal(ranked[0], `${C2.src} → ${C2.dst}`, `ranking:\n${ranked.join('\n')}`);
  assert.equal(await rows().first().locator('[data-col="connections"]').getAttribute('data-value'), String(C2.connections));
  const scan = await served.api<ScanResult>('scan', {});
  c2 = scan.findings[0];
  assert.equal(await rows().first().getAttribute('data-finding-id'), c2.id);
  assert.equal(c2.connections, C2.connections);
  // Every finding of the case is in the table (no filter yet).
  assert.equal(await page.getByTestId('findings-table').getAttribute('data-rows'), String(scan.findings.length));
  await page.waitForTimeout(400);
  await shot(page, '01-findings');
});

test('filters (score, category, text, CIDR) and sorting', async () => {
  const all = (await served.api<ScanResult>('scan', {})).findings;
  await page.getByTestId('filter-cidr').fill('41.108.0.0/16');
  const inRange = all.filter((f) => f.dst.startsWith('41.108.')).length;
  await waitRowsCount(inRange);
  for (const p of await pairOf(rows())) assert.match(p, /→ 41\.108\./);
  await page.getByTestId('filter-cidr').fill('41.108.0.0/99');
  await page.getByText('invalid prefix length').first().waitFor();
  await page.getByTestId('filter-cidr').fill('');

  await page.getByTestId('filter-text').fill('8.8.8.8');
  await waitRowsCount(all.filter((f) => f.dst === '8.8.8.8' || f.src === '8.8.8.8').length);
  await page.getByTestId('filter-text').fill('');

  await setValue('filter-score', '0.4');
  await waitRowsCount(all.filter((f) => f.score >= 0.4).length);
  await setValue('filter-score', '0');

  await page.getByTestId('filter-category').selectOption('beacon');
  await waitRowsCount(all.filter((f) => f.category === 'beacon').length);
  const cats = await rows().locator('[data-col="category"]').allTextContents();
  assert.ok(cats.every((c) => c.trim() === 'beacon'), cats.join(','));
  await page.getByTestId('filter-category').selectOption('');
  await waitRowsCount(all.length);

  // Sort by connections (descending first), then back to the ranking.
  await page.locator('th[data-sort-key="connections"]').click();
  const conns = (await rows().locator('[data-col="connections"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value')))));
  assert.deepEqual(conns, [...conns].sort((a, b) => b - a));
  assert.equal(await page.locator('th[data-sort-key="connections"]').getAttribute('aria-sort'), 'descending');
  await page.locator('th[data-sort-key="rank"]').click();
  assert.equal(await page.locator('th[data-sort-key="rank"]').getAttribute('aria-sort'), 'descending');
  assert.equal(await rows().first().getAttribute('data-finding-id'), c2.id);
});

test('detail: every linked chart draws marks that match the data', async () => {
  await rows().first().click();
  await page.getByTestId('findings-table').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('pair-detail').waitFor();
  assert.match(page.url(), new RegExp(`#/finding/${c2.id}$`));
  const truth = await served.api<PairSeries>('pairSeries', { id: c2.id });
  assert.equal(truth.total, C2.connections);
  assert.equal(truth.mode, 'events');

  const timeline = page.getByTestId('timeline');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="timeline"] .conn-mark').length === n, C2.connections, { timeout: 30_000 });
  assert.equal(await timeline.getAttribute('data-events'), String(C2.connections));
  const tlText = (await timeline.textContent()) ?? '';
  assert.ok(tlText.includes(`Connections over time: ${C2.src} → ${C2.dst}:${C2.port}/tcp`), tlText);
  assert.ok(tlText.includes('time (UTC)') && tlText.includes('bytes out per event'));
  assert.ok((await timeline.locator('.axis-x .tick text').count()) >= 3, 'time axis has labels');

  const intervals = page.getByTestId('intervals');
  await intervals.waitFor();
  assert.equal(await intervals.getAttribute('data-gaps'), String(C2.connections - 1));
  const overflow = Number(await intervals.getAttribute('data-overflow'));
  assert.equal((await sumData(page, '[data-testid="intervals"] .interval-bar')) + overflow, C2.connections - 1);
  assert.equal(await intervals.locator('.period-line').count(), 1, 'the detected period is marked');
  assert.equal(await intervals.locator('.jitter-band').count(), 1, 'the jitter band is marked');
  assert.match((await intervals.textContent()) ?? '', /period 11\.5 s/);

  assert.equal(await sumData(page, '[data-testid="heatmap"] .heat-cell'), C2.connections);
  assert.match((await page.getByTestId('heatmap').textContent()) ?? '', /hour of day/);

  const sizes = page.getByTestId('sizes');
  const withOut = truth.points.filter((p) => p.out !== null).length;
  assert.equal(await sizes.locator('.size-out').count(), withOut);
  assert.equal(await sizes.getAttribute('data-out'), String(withOut));

  assert.equal(await page.getByTestId('breakdown').locator('.breakdown-row').count(), c2.reasons.length);
  assert.equal(await page.getByTestId('breakdown').getAttribute('data-reasons'), String(c2.reasons.length));

  await page.waitForFunction(() => document.querySelector('[data-testid="related"]')?.getAttribute('data-total') !== null, undefined, { timeout: 15_000 });
  assert.equal(await page.getByTestId('related').getAttribute('data-total'), String(C2.connections));
  assert.equal(await page.getByTestId('related-row').count(), 100, 'first page of the related events');
  await page.waitForTimeout(300);
  await shot(page, '02-detail');
  await page.locator('.detail-view').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.waitForTimeout(300);
  await shot(page, '03-detail-evidence');
  await page.locator('.detail-view').evaluate((el) => el.scrollTo(0, 0));
});

test('brushing the timeline zooms every linked view to the same events', async () => {
  const overlay = page.locator('[data-testid="timeline"] .brush .overlay');
  const box = await overlay.boundingBox();
  assert.ok(box, 'brush overlay is drawn');
  const y = box.y + box.height * 0.6;
  await page.mouse.move(box.x + box.width * 0.2, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.35, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(
    (all) => {
      const n = Number(document.querySelector('[data-testid="timeline"]')?.getAttribute('data-events'));
      return n > 0 && n < all;
    },
    C2.connections,
    { timeout: 15_000 },
  );
  const timeline = page.getByTestId('timeline');
  const n = Number(await timeline.getAttribute('data-events'));
  const from = Number(await timeline.getAttribute('data-from'));
  const to = Number(await timeline.getAttribute('data-to'));
  // A third of a steady beacon's 45 minutes.
  assert.ok(n > 40 && n < 130, `brushed ${n} events`);
  const engine = await served.api<RecordPage>('pairRecords', { id: c2.id, kind: 'connections', from, to, limit: 1 });
  const series = await served.api<PairSeries>('pairSeries', { id: c2.id, from, to });
  assert.equal(engine.total, n, `the timeline shows exactly the events of the brushed range [${from}, ${to}] (engine series: ${series.inRange})`);
  await page.waitForFunction((want) => document.querySelectorAll('[data-testid="timeline"] .conn-mark').length === want, n);
  await page.waitForFunction(
    (want) => [...document.querySelectorAll('[data-testid="heatmap"] .heat-cell')].reduce((s, e) => s + Number(e.getAttribute('data-n')), 0) === want,
    n,
  );
  const overflow = Number(await page.getByTestId('intervals').getAttribute('data-overflow'));
  assert.equal(await page.getByTestId('intervals').getAttribute('data-gaps'), String(n - 1));
  assert.equal((await sumData(page, '[data-testid="intervals"] .interval-bar')) + overflow, n - 1);
  assert.equal(await page.getByTestId('sizes').locator('.size-out').count(), n);
  assert.equal((await page.getByTestId('in-range').textContent())?.replace(/\D/g, ''), String(n));
  await page.waitForFunction((want) => document.querySelector('[data-testid="related"]')?.getAttribute('data-total') === String(want), n, { timeout: 15_000 });
  assert.match((await timeline.textContent()) ?? '', new RegExp(`${n} of ${C2.connections} connections \\(zoomed\\)`));
  await page.waitForTimeout(300);
  await shot(page, '04-detail-brushed');

  // Log scale: every interval, no overflow.
  await page.getByTestId('log-scale').check();
  await page.waitForFunction(() => document.querySelector('[data-testid="intervals"]')?.getAttribute('data-scale') === 'log');
  assert.equal(await sumData(page, '[data-testid="intervals"] .interval-bar'), n - 1);
  await page.getByTestId('log-scale').uncheck();

  // Another clock: the same events, read in New York.
  await page.getByTestId('zone').selectOption('America/New_York');
  await page.waitForFunction(() => document.querySelector('[data-testid="heatmap"]')?.getAttribute('data-zone') === 'America/New_York');
  assert.equal(await sumData(page, '[data-testid="heatmap"] .heat-cell'), n);
  assert.match((await page.getByTestId('heatmap').textContent()) ?? '', /1969-12-31/);
  await page.getByTestId('zone').selectOption('UTC');

  await page.getByTestId('reset-zoom').click();
  await page.waitForFunction((all) => document.querySelector('[data-testid="timeline"]')?.getAttribute('data-events') === String(all), C2.connections);
});

test('charts export to PNG and SVG with their axes and legend', async () => {
  const png = await download(page, () => page.getByTestId('timeline-png').click());
  assert.match(png.name, /timeline\.png$/);
  assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.ok(png.bytes.length > 5000, `PNG of ${png.bytes.length} bytes`);
  const svg = await download(page, () => page.getByTestId('heatmap-svg').click());
  const text = svg.bytes.toString('utf8');
  assert.match(svg.name, /clock\.svg$/);
  assert.ok(text.includes('<svg') && text.includes('Hour of day') && text.includes('hour of day'), 'title and axis title travel with the file');
  assert.ok(/class="heat-cell"[^>]*fill="/.test(text) || /fill="[^"]+"[^>]*class="heat-cell"/.test(text), 'cells keep their colour');
  assert.ok(!text.includes('class="brush'), 'no interactive overlay in the file');
});

test('tags and a note are kept with the finding', async () => {
  await page.getByTestId('notes-open').click();
  await page.getByTestId('notes-tags').fill('c2, njrat');
  await page.getByTestId('notes-note').fill('Calls home every 11.5 s; escalate.');
  await page.getByTestId('notes-save').click();
  await page.getByTestId('toast').filter({ hasText: 'Tags and note saved' }).waitFor();
  const notes = await served.api<{ findingId: string; tags: string[]; note: string }[]>('annotationsList', {});
  assert.deepEqual(notes.find((a) => a.findingId === c2.id)?.tags, ['c2', 'njrat']);
});

test('marking the pair expected takes it off the list', async () => {
  await page.getByTestId('expect-open').click();
  await page.getByTestId('expect-dialog').waitFor();
  await shot(page, '05-mark-expected');
  await page.getByTestId('expect-owner').fill('Lab trainer');
  await page.getByTestId('expect-note').fill('Replayed NjRAT capture used in class');
  await page.getByTestId('expect-submit').click();
  await page.getByTestId('findings-table').waitFor();
  await page.waitForFunction(
    (dst) => document.querySelectorAll('[data-testid="finding-row"]').length > 0 &&
      ![...document.querySelectorAll('[data-testid="finding-row"] [data-col="dst"]')].some((e) => e.textContent?.trim() === dst),
    C2.dst,
    { timeout: 15_000 },
  );
  const entries = await served.api<{ kind: string; src: string; dst: string; owner: string }[]>('baselineList', {});
  assert.deepEqual(entries.map((e) => [e.kind, e.src, e.dst, e.owner]), [['pair', C2.src, C2.dst, 'Lab trainer']]);
  const visible = (await served.api<ScanResult>('scan', {})).findings;
  assert.ok(!visible.some((f) => f.id === c2.id), 'the engine hides it too');
  assert.equal(await page.getByTestId('findings-table').getAttribute('data-rows'), String(visible.length));

  // Still there for whoever asks: the "expected" filter shows it, tagged.
  await page.getByTestId('filter-expected').check();
  const row = page.locator(`tr[data-finding-id="${c2.id}"]`);
  await row.waitFor();
  assert.match((await row.locator('[data-col="tags"]').textContent()) ?? '', /expected.*c2.*njrat/);
  await page.waitForTimeout(300);
  await shot(page, '06-findings-expected');
  await page.getByTestId('filter-expected').uncheck();
});

test('the findings shown export to CSV (and JSON)', async () => {
  const shown = (await served.api<ScanResult>('scan', {})).findings.length;
  await waitRowsCount(shown);
  const csv = await download(page, () => page.getByTestId('export-csv').click());
  assert.match(csv.name, /^metronome-findings-.*\.csv$/);
  const table = parseCsv(csv.bytes.toString('utf8'));
  const [header, ...data] = table;
  for (const col of ['rank', 'score', 'category', 'src', 'dst', 'port', 'period_s', 'connections', 'bytes_out', 'first_seen', 'last_seen', 'prevalence', 'reasons']) {
    assert.ok(header.includes(col), `CSV has ${col}`);
  }
  assert.equal(data.length, shown);
  const dst = header.indexOf('dst');
  assert.ok(!data.some((r) => r[dst] === C2.dst), 'the expected pair is not exported');
  const json = await download(page, () => page.getByTestId('export-json').click());
  assert.equal((JSON.parse(json.bytes.toString('utf8')) as { findings: unknown[] }).findings.length, shown);
});

test('overview: one row per top finding, its events in time bins', async () => {
  await page.getByTestId('nav-overview').click();
  const heat = page.getByTestId('overview-heatmap');
  await heat.waitFor({ timeout: 15_000 });
  const visible = (await served.api<ScanResult>('scan', {})).findings;
  assert.equal(await heat.getAttribute('data-rows'), String(Math.min(40, visible.length)));
  for (const f of visible.slice(0, 5)) {
    assert.equal(await sumData(page, `[data-testid="overview-heatmap"] .ov-row[data-finding-id="${f.id}"] .ov-cell`), f.connections, `row of ${f.src} → ${f.dst}`);
  }
  await page.waitForTimeout(300);
  await shot(page, '07-overview');
  await page.getByTestId('overview-order').selectOption('period');
});

test('"Why not?" explains a pair below the list and traffic that was never scored', async () => {
  await page.getByTestId('nav-whynot').click();
  await page.getByTestId('whynot-query').fill(`${C2.src} → ${C2.dst}`);
  await page.getByTestId('whynot-go').click();
  const card = page.locator(`[data-testid="whynot-finding"][data-finding-id="${c2.id}"]`);
  await card.waitFor({ timeout: 15_000 });
  assert.match((await card.textContent()) ?? '', /marked expected by Lab trainer/);
  assert.equal(await card.locator('.breakdown-row').count(), c2.reasons.length);

  await page.getByTestId('whynot-query').fill(C2.src);
  await page.getByTestId('whynot-go').click();
  await page.getByTestId('whynot-unscored').waitFor({ timeout: 15_000 });
  const why = await page.getByTestId('whynot-unscored').locator('td.why').allTextContents();
  assert.ok(why.some((w) => /a rhythm needs at least 3/.test(w)), why.join('\n'));
  await page.waitForTimeout(300);
  await shot(page, '08-why-not');

  await page.getByTestId('search-kind').selectOption('connections');
  await page.getByTestId('search-cidr').fill('41.108.0.0/16');
  await page.getByTestId('search-go').click();
  const truth = await served.api<RecordPage>('searchRecords', { kind: 'connections', cidr: '41.108.0.0/16', limit: 1 });
  await page.waitForFunction((n) => document.querySelector('[data-testid="search-records"]')?.getAttribute('data-total') === String(n), truth.total, { timeout: 15_000 });
  assert.ok(truth.total >= C2.connections);
  await page.locator('.whynot-view > .panel').nth(1).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(300);
  await shot(page, '09-raw-records');
});

test('import: progress with rows and bytes, per-file summary, every rejected line', async () => {
  // A log of its own (not the sample again: same content is skipped) with three broken lines.
  const log = join(tmp, 'big', 'conn.log');
  writeBeaconLog(log, { beacon: 3000, period: 30, jitter: 0.1, noise: 150_000, start: Date.parse('2025-05-06T00:00:00Z') / 1000, src: '10.9.9.9', dst: '198.18.0.7' });
  appendFileSync(log, 'this is not a zeek line\n1746500000.0\tCbroken\n\t\t\n');
  await page.getByTestId('nav-import').click();
  await page.getByTestId('import-paths').fill(log);
  await page.getByTestId('import-go').click();
  // The bar shows live rows and bytes while the engine reads. DuckDB's fast path can finish a
  // clean file before the page polls, so the report appearing first is also fine.
  await page.waitForFunction(
    () => /rows/.test(document.querySelector('[data-testid="import-progress"]')?.textContent ?? '') || !!document.querySelector('[data-testid="import-report"]'),
    undefined,
    { timeout: 60_000 },
  );
  const progress = page.getByTestId('import-progress');
  if (await progress.isVisible()) {
    const text = (await progress.textContent()) ?? '';
    if (/rows/.test(text)) assert.match(text, /File 1 of 1: .*conn\.log · [\d.]+ [kMG]?B of [\d.]+ MB · [\d,]+ rows|merging into the case/);
    await shot(page, '10-import-progress');
  }
  const report = page.getByTestId('import-report');
  await report.waitFor({ timeout: 120_000 });
  const file = report.getByTestId('import-file').first();
  assert.match((await file.textContent()) ?? '', /zeek-tsv/);
  await file.getByTestId('rejects-toggle').click();
  const rejects = report.getByTestId('rejects');
  await rejects.waitFor();
  assert.equal(await rejects.locator('li').count(), 3);
  assert.match((await rejects.textContent()) ?? '', /3 rejected lines/);
  await page.waitForTimeout(300);
  await shot(page, '11-import-report');

  // The new beacon is in the findings now.
  const scan = await served.api<ScanResult>('scan', {});
  assert.ok(scan.findings.some((f) => f.src === '10.9.9.9' && f.dst === '198.18.0.7'));
});

test('import: upload by file picker and by drag and drop', async () => {
  const small = join(tmp, 'up', 'conn.log');
  writeBeaconLog(small, { beacon: 40, period: 300, jitter: 0, noise: 10, start: Date.parse('2025-06-01T00:00:00Z') / 1000, src: '10.7.7.7', dst: '198.18.0.9' });
  await page.getByTestId('upload-input').setInputFiles(small);
  await page.getByTestId('import-report').getByText(/metronome-uploads-.*conn\.log/).waitFor({ timeout: 30_000 });
  // A drop of a file built in the page.
  await page.getByTestId('drop-zone').evaluate((zone) => {
    const dt = new DataTransfer();
    const lines = ['#separator \\x09', '#path\tconn', '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto', '#types\ttime\tstring\taddr\tport\taddr\tport\tenum'];
    for (let i = 0; i < 20; i++) lines.push(`${1748736000 + i * 60}.0\tCdrop${i}\t10.6.6.6\t5000${i % 10}\t198.18.0.10\t443\ttcp`);
    dt.items.add(new File([`${lines.join('\n')}\n`], 'dropped conn.log', { type: 'text/plain' }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.getByTestId('import-report').getByText(/dropped_conn\.log/).waitFor({ timeout: 30_000 });
  const scan = await served.api<ScanResult>('scan', { all: true });
  assert.ok(scan.findings.some((f) => f.src === '10.6.6.6'), 'the dropped file was imported');
});

test('a case saves to a file and shows up in the recent cases', async () => {
  const file = join(tmp, 'cases', 'njrat.duckdb');
  await page.getByTestId('case-path').fill(file);
  await page.getByTestId('case-save').click();
  await page.getByTestId('case-message').filter({ hasText: `Saved to ${file}` }).waitFor({ timeout: 30_000 });
  await page.getByTestId('recent-cases').getByText(file).waitFor();
  await page.waitForTimeout(300);
  await shot(page, '12-case');
  // Opening it again gives the same case back, baseline and notes included.
  await page.getByTestId('case-open').click();
  await page.getByTestId('case-message').filter({ hasText: `Opened ${file}` }).waitFor({ timeout: 30_000 });
  assert.equal((await served.api<unknown[]>('baselineList', {})).length, 1);
  assert.equal((await served.api<unknown[]>('annotationsList', {})).length, 1);
});

test('log content is shown as text, never markup; long and binary values safely', async () => {
  const http = join(tmp, 'hostile', 'http.log');
  const long = `Mozilla/5.0 ${'A'.repeat(5000)}`;
  const lines = [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\thttp',
    '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\tmethod\thost\turi\treferrer\tuser_agent\tstatus_code\trequest_body_len\tresponse_body_len',
    '#types\ttime\tstring\taddr\tport\taddr\tport\tcount\tstring\tstring\tstring\tstring\tstring\tcount\tcount\tcount',
    `1748736000.0\tChost1\t10.5.5.5\t50001\t198.18.0.66\t80\t1\tGET\tevil.example\t/<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">\t-\t${long}\t200\t0\t10`,
    '1748736060.0\tChost2\t10.5.5.5\t50002\t198.18.0.66\t80\t1\tGET\tevil.example\t/bin\t-\t\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x0e\\x0f\t200\t0\t10',
  ];
  mkdirSync(join(tmp, 'hostile'), { recursive: true });
  writeFileSync(http, `${lines.join('\n')}\n`);
  const rep = await served.api<{ files: { rows: number; reason: string | null }[] }>('importWithProgress', { paths: [http] });
  assert.equal(rep.files[0]?.rows, 2, JSON.stringify(rep));
  await page.getByTestId('nav-whynot').click();
  await page.getByTestId('search-kind').selectOption('http');
  await page.getByTestId('search-ip').fill('10.5.5.5');
  await page.getByTestId('search-cidr').fill('');
  await page.getByTestId('search-go').click();
  await page
    .waitForFunction(() => document.querySelector('[data-testid="search-records"]')?.getAttribute('data-total') === '2', undefined, { timeout: 15_000 })
    .catch(async (e: Error) => {
      await shot(page, 'failed-untrusted');
      throw new Error(`${e.message}\n${await page.locator('.whynot-view').last().textContent()}`);
    });
  const table = page.getByTestId('search-records');
  assert.ok(((await table.textContent()) ?? '').includes('/<script>window.__pwned=1</script>'), 'the URI is shown literally');
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? 0), 0, 'nothing in the log ran');
  assert.equal(await table.locator('img, script').count(), 0, 'no element came from log content');
  // 5 000 characters: cut, with the full value one click away.
  const cut = table.locator('.safe-text[data-full-length="5012"]');
  assert.ok(((await cut.textContent()) ?? '').length < 200);
  await cut.locator('.more').click();
  assert.ok(((await cut.textContent()) ?? '').length > 5000);
  // Control bytes: flagged and shown escaped.
  const bin = table.locator('.safe-text.binary').first();
  assert.match((await bin.textContent()) ?? '', /bin\\x01\\x02/);
  await cut.locator('.more').click();
  await page.locator('[data-testid="search-records"] .records-scroll').evaluate((el) => el.scrollTo(0, 0));
  await page.waitForTimeout(200);
  await shot(page, '13-untrusted-text');
});

test('the page logged no errors and no CSP violations', async () => {
  await page.waitForTimeout(300);
  assert.deepEqual(errors, []);
});
