// Indicator lists and asset criticality kept in the case (tables `intel`, `assets`).
import { parseCidr, parseIpv4, parseIpv6 } from '../../shared/net.js';
import type { AssetEntry, Criticality, Indicator, IndicatorKind } from '../../shared/context.js';
import type { Database } from './db.js';

export async function ensureContextTables(db: Database): Promise<void> {
  await db.run('CREATE TABLE IF NOT EXISTS intel (kind VARCHAR NOT NULL, value VARCHAR NOT NULL, source VARCHAR NOT NULL, note VARCHAR, UNIQUE (kind, value, source))');
  await db.run('CREATE TABLE IF NOT EXISTS assets (match VARCHAR PRIMARY KEY, criticality VARCHAR NOT NULL, note VARCHAR)');
}

/** What kind of indicator a line of a list is: IP, CIDR, JA3 (32 hex) or domain; null if none. */
export function classifyIndicator(value: string): IndicatorKind | null {
  const v = value.trim();
  if (parseIpv4(v) !== null || parseIpv6(v) !== null) return 'ip';
  if (v.includes('/')) {
    try {
      parseCidr(v);
      return 'cidr';
    } catch {
      return null;
    }
  }
  if (/^[0-9a-f]{32}$/i.test(v)) return 'ja3';
  if (/^(\*\.)?([a-z0-9_-]+\.)+[a-z0-9-]+\.?$/i.test(v)) return 'domain';
  return null;
}

/**
 * Parses a plain indicator list: one value per line, optional `,note` after it; `#` comments.
 * Defanged forms (`1.2.3[.]4`, `evil[.]com`, `hxxp://`) are refanged. Returns the indicators and
 * the lines it could not read, with their numbers.
 */
export function parseIndicatorList(text: string, source: string): { indicators: Indicator[]; rejected: { line: number; reason: string }[] } {
  const indicators: Indicator[] = [];
  const rejected: { line: number; reason: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [first, ...rest] = line.split(/[,\t]/);
    const value = first.trim().replace(/\[\.\]/g, '.').replace(/^hxxps?:\/\//i, '').replace(/^https?:\/\//i, '').replace(/\/.*$/, (m) => (/^\/\d{1,3}$/.test(m) ? m : ''));
    const kind = classifyIndicator(value);
    if (!kind) rejected.push({ line: i + 1, reason: `"${first.slice(0, 60)}" is not an IP, CIDR, domain or JA3 hash` });
    else indicators.push({ kind, value: kind === 'domain' || kind === 'ja3' ? value.toLowerCase() : value, source, note: rest.join(',').trim() || null });
  });
  return { indicators, rejected };
}

export async function addIndicators(db: Database, list: Indicator[]): Promise<number> {
  await ensureContextTables(db);
  let added = 0;
  for (const i of list) {
    const before = await db.one<{ n: bigint }>('SELECT count(*) AS n FROM intel WHERE kind = $k AND value = $v AND source = $s', { k: i.kind, v: i.value, s: i.source });
    if (before && before.n > 0n) continue;
    await db.run('INSERT INTO intel VALUES ($k, $v, $s, $n)', { k: i.kind, v: i.value, s: i.source, n: i.note });
    added++;
  }
  return added;
}

export async function listIntel(db: Database): Promise<Indicator[]> {
  await ensureContextTables(db);
  return db.all<Indicator>('SELECT kind, value, source, note FROM intel ORDER BY source, kind, value');
}

export async function setAsset(db: Database, a: AssetEntry): Promise<void> {
  parseCidr(a.match);
  if (!['critical', 'high', 'normal', 'low'].includes(a.criticality)) throw new Error(`criticality is critical, high, normal or low`);
  await ensureContextTables(db);
  await db.run('INSERT OR REPLACE INTO assets VALUES ($m, $c, $n)', { m: a.match, c: a.criticality, n: a.note });
}

export async function listAssets(db: Database): Promise<AssetEntry[]> {
  await ensureContextTables(db);
  const rows = await db.all<{ match: string; criticality: string; note: string | null }>('SELECT * FROM assets ORDER BY match');
  return rows.map((r) => ({ match: r.match, criticality: r.criticality as Criticality, note: r.note }));
}
