// The baseline / safelist kept in the case (table `baseline`), exportable as JSON.
import { randomUUID } from 'node:crypto';
import { parseCidr, parseIpv4, parseIpv6 } from '../../shared/net.js';
import { microsToIso } from '../../shared/time.js';
import type { BaselineEntry, BaselineKind } from '../../shared/types.js';
import { num, type Database } from './db.js';

export type NewBaselineEntry = Omit<BaselineEntry, 'id' | 'createdAt'>;

const KINDS: BaselineKind[] = ['ip', 'cidr', 'domain', 'pair', 'src-domain'];

function isIp(s: string): boolean {
  return parseIpv4(s) !== null || parseIpv6(s) !== null;
}

/** Checks an entry before it is stored; throws with a plain reason. */
export function checkEntry(e: NewBaselineEntry): void {
  if (!KINDS.includes(e.kind)) throw new Error(`unknown baseline kind "${e.kind}"`);
  if (!e.owner.trim()) throw new Error('a baseline entry needs an owner');
  if (!e.note.trim()) throw new Error('a baseline entry needs a note (its documented purpose)');
  if ((e.kind === 'pair' || e.kind === 'src-domain') && (!e.src || !isIp(e.src))) throw new Error(`${e.kind} entries need a source IP`);
  if (e.kind === 'ip' && !isIp(e.dst)) throw new Error(`"${e.dst}" is not an IP address`);
  if (e.kind === 'cidr') parseCidr(e.dst);
  if ((e.kind === 'domain' || e.kind === 'src-domain') && !/^(\*\.)?[^\s*/]+$/.test(e.dst)) throw new Error(`"${e.dst}" is not a domain pattern`);
  if (e.expectedAt !== null && !/^\d{1,2}:\d{2}$/.test(e.expectedAt)) throw new Error('expected time is HH:MM');
}

export async function addBaseline(db: Database, e: NewBaselineEntry): Promise<BaselineEntry> {
  checkEntry(e);
  const id = randomUUID().slice(0, 8);
  await db.run(
    `INSERT INTO baseline (id, kind, src, dst, owner, note, expected_period, expected_bytes_out, expected_at)
     VALUES ($id, $kind, $src, $dst, $owner, $note, $period, $bytes, $at)`,
    { id, kind: e.kind, src: e.src, dst: e.dst.toLowerCase(), owner: e.owner, note: e.note, period: e.expectedPeriod, bytes: e.expectedBytesOut, at: e.expectedAt },
  );
  const [entry] = (await listBaseline(db)).filter((x) => x.id === id);
  return entry;
}

export async function removeBaseline(db: Database, id: string): Promise<boolean> {
  const before = (await listBaseline(db)).length;
  await db.run('DELETE FROM baseline WHERE id = $id', { id });
  return (await listBaseline(db)).length < before;
}

export async function listBaseline(db: Database): Promise<BaselineEntry[]> {
  const rows = await db.all<Record<string, unknown>>(
    'SELECT *, epoch_us(created_at) AS created_us FROM baseline ORDER BY created_at, id',
  );
  return rows.map((r) => ({
    id: String(r.id),
    kind: r.kind as BaselineKind,
    src: (r.src as string | null) ?? null,
    dst: String(r.dst),
    owner: String(r.owner),
    note: String(r.note),
    expectedPeriod: num(r.expected_period),
    expectedBytesOut: num(r.expected_bytes_out),
    expectedAt: (r.expected_at as string | null) ?? null,
    createdAt: microsToIso(r.created_us as bigint),
  }));
}
