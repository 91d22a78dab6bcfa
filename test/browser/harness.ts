// Shared plumbing of the browser tests: start `metronome serve` (browser mode) as a child
// process, launch Debian's Chromium headless through playwright-core, call the API with the
// session token, save screenshots to test-results/screenshots/ and read downloads.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CHROMIUM = process.env.METRONOME_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = join(ROOT, 'test-results/screenshots');
export const BIN = join(ROOT, 'bin/metronome.js');

export interface Served {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  log(): string;
  stop(): Promise<void>;
  /** POSTs to the API with the token, as the page does. */
  api<T = unknown>(op: string, body?: unknown): Promise<T>;
}

export function serve(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<Served> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args, '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    let log = '';
    process.once('exit', () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const timer = setTimeout(() => reject(new Error(`server printed no URL within ${timeoutMs} ms\n${log}`)), timeoutMs);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (c: string) => (log += c));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      const url = line.trim();
      const u = new URL(url);
      const token = new URLSearchParams(u.hash.slice(1)).get('t') ?? '';
      resolvePromise({
        url,
        origin: u.origin,
        token,
        child,
        log: () => log,
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(t);
        },
        api: async <T,>(op: string, body: unknown = {}) => {
          const res = await fetch(`${u.origin}/api/${op}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Metronome-Token': token },
            body: JSON.stringify(body),
          });
          const json = (await res.json()) as T & { error?: string };
          if (!res.ok) throw new Error(`${op}: HTTP ${res.status} ${json.error ?? ''}`);
          return json as T;
        },
      });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal})\n${log}`));
    });
  });
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A 1440 × 900 page that records console errors, CSP violations and failed requests. */
export async function openPage(browser: Browser): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || (msg.type() === 'warning' && /Content Security Policy|Refused to/i.test(msg.text()))) {
      errors.push(`console.${msg.type()}: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => {
    // A download's blob URL is revoked after saving; that is not a failure of the app.
    if (!req.url().startsWith('blob:')) errors.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`);
  });
  return { context, page, errors };
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Clicks `trigger` and returns the downloaded file's name and bytes. */
export async function download(page: Page, trigger: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), trigger()]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

/** Sum of a numeric data attribute over the elements matching `selector`. */
export function sumData(page: Page, selector: string, attr = 'data-n'): Promise<number> {
  return page.locator(selector).evaluateAll((els, a) => els.reduce((s, e) => s + Number(e.getAttribute(a) ?? 0), 0), attr);
}

/** Minimal RFC 4180 CSV parsing (quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
