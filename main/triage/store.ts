// Triage records kept in the case: a state per finding (new, investigating, expected,
// escalated, closed), an owner, notes and every change. Marking a finding `expected` documents
// it as business traffic: it needs an owner and a purpose, and adds a baseline entry so the
// finding leaves the default view (leaving `expected` removes that entry again).
import { microsToIso } from '../../shared/time.js';
import type {
  BaselineKind,
  Finding,
  FindingTriage,
  TriageChange,
  TriageNote,
  TriageRecord,
  TriageState,
} from '../../shared/types.js';
import { addBaseline, removeBaseline, type NewBaselineEntry } from '../engine/baseline-store.js';
import { num, type Database } from '../engine/db.js';

export const TRIAGE_STATES: readonly TriageState[] = ['new', 'investigating', 'expected', 'escalated', 'closed'];

/** Words accepted for a state (the issue calls `expected` "expected/business"). */
export function parseTriageState(s: string): TriageState | null {
  const v = s.trim().toLowerCase();
  if (v === 'business') return 'expected';
  return (TRIAGE_STATES as readonly string[]).includes(v) ? (v as TriageState) : null;
}

/** A usage problem (missing owner or purpose, nothing to change): reported, nothing stored. */
export class TriageUsageError extends Error {}

export interface TriageUpdate {
  state?: TriageState;
  owner?: string;
  note?: string;
  /** Who makes the change (CLI: the OS user), when known. */
  by?: string | null;
}

interface TriageRow {
  finding_id: string;
  state: string;
  owner: string | null;
  notes: string;
  baseline_id: string | null;
  finding: string | null;
  updated_us: bigint;
}

function toRecord(r: TriageRow): TriageRecord {
  return {
    findingId: r.finding_id,
    state: r.state as TriageState,
    owner: r.owner,
    notes: JSON.parse(r.notes) as TriageNote[],
    updatedAt: microsToIso(r.updated_us),
    baselineId: r.baseline_id,
    finding: r.finding ? (JSON.parse(r.finding) as TriageRecord['finding']) : null,
  };
}

/** The record of a finding never triaged. */
export function untriaged(findingId: string): TriageRecord {
  return { findingId, state: 'new', owner: null, notes: [], updatedAt: null, baselineId: null, finding: null };
}

const SELECT = 'SELECT finding_id, state, owner, notes, baseline_id, finding, epoch_us(updated_at) AS updated_us FROM triage';

export async function getTriage(db: Database, findingId: string): Promise<TriageRecord> {
  const r = await db.one<TriageRow>(`${SELECT} WHERE finding_id = $id`, { id: findingId });
  return r ? toRecord(r) : untriaged(findingId);
}

export async function listTriage(db: Database): Promise<TriageRecord[]> {
  return (await db.all<TriageRow>(`${SELECT} ORDER BY updated_at DESC, finding_id`)).map(toRecord);
}

export async function triageHistory(db: Database, findingId: string): Promise<TriageChange[]> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT finding_id, epoch_us(changed_at) AS at_us, changed_by, from_state, to_state, owner, note, baseline_id
     FROM triage_history WHERE finding_id = $id ORDER BY seq`,
    { id: findingId },
  );
  return rows.map((r) => ({
    findingId: String(r.finding_id),
    at: microsToIso(r.at_us as bigint),
    by: (r.changed_by as string | null) ?? null,
    fromState: (r.from_state as TriageState | null) ?? null,
    toState: r.to_state as TriageState,
    owner: (r.owner as string | null) ?? null,
    note: (r.note as string | null) ?? null,
    baselineId: (r.baseline_id as string | null) ?? null,
  }));
}

/**
 * The baseline entry that documents an expected finding: a pair for one source and an IP
 * destination, src-domain for one source and a name, domain / ip for a fleet. The finding's own
 * period and bytes per check-in are recorded, so drift from them brings it back.
 */
export function baselineEntryFor(f: Finding, owner: string, note: string): NewBaselineEntry {
  const fleet = f.src === '*';
  const kind: BaselineKind = fleet ? (f.dstKind === 'ip' ? 'ip' : 'domain') : f.dstKind === 'ip' ? 'pair' : 'src-domain';
  const at = f.clock && f.clock.cycle === 86_400 ? /(\d{1,2}:\d{2})/.exec(f.clock.at)?.[1] ?? null : null;
  return {
    kind,
    src: fleet ? null : f.src,
    dst: f.dst,
    owner,
    note,
    expectedPeriod: f.period,
    expectedBytesOut: f.bytesOut !== null && f.checkins > 0 ? Math.round(f.bytesOut / f.checkins) : null,
    expectedAt: at,
  };
}

function nowMicros(): bigint {
  return BigInt(Date.now()) * 1000n;
}

/**
 * Applies a change to a finding's triage record and logs it. `finding` is the finding as the
 * current scan has it (needed to document an expected finding in the baseline).
 */
export async function setTriage(db: Database, finding: Finding, update: TriageUpdate): Promise<TriageRecord> {
  const owner = update.owner?.trim();
  const note = update.note?.trim();
  if (update.state === undefined && !owner && !note) throw new TriageUsageError('nothing to change: give a state, an owner or a note');
  if (update.owner !== undefined && !owner) throw new TriageUsageError('the owner must not be empty');
  if (update.note !== undefined && !note) throw new TriageUsageError('the note must not be empty');
  const before = await getTriage(db, finding.id);
  const state = update.state ?? before.state;
  if (state === 'expected' && before.state !== 'expected' && (!owner || !note)) {
    throw new TriageUsageError('marking a finding expected needs its business owner (--owner) and its documented purpose (--note)');
  }
  const at = nowMicros();
  const by = update.by ?? null;
  let baselineId = before.baselineId;
  if (state === 'expected' && !baselineId) {
    baselineId = (await addBaseline(db, baselineEntryFor(finding, owner as string, note as string))).id;
  } else if (state !== 'expected' && baselineId) {
    await removeBaseline(db, baselineId);
    baselineId = null;
  }
  const notes = note ? [...before.notes, { at: microsToIso(at), by, text: note }] : before.notes;
  const snapshot = { category: finding.category, src: finding.src, dst: finding.dst, port: finding.port ?? null, proto: finding.proto ?? null };
  const newOwner = owner ?? before.owner;
  await db.run(
    `INSERT OR REPLACE INTO triage (finding_id, state, owner, notes, baseline_id, finding, updated_at)
     VALUES ($id, $state, $owner, $notes, $baseline, $finding, make_timestamp($at::BIGINT))`,
    { id: finding.id, state, owner: newOwner, notes: JSON.stringify(notes), baseline: baselineId, finding: JSON.stringify(snapshot), at },
  );
  const seq = num((await db.one<{ n: bigint }>('SELECT coalesce(max(seq), 0) + 1 AS n FROM triage_history WHERE finding_id = $id', { id: finding.id }))?.n) ?? 1;
  await db.run(
    `INSERT INTO triage_history (finding_id, seq, changed_at, changed_by, from_state, to_state, owner, note, baseline_id)
     VALUES ($id, $seq, make_timestamp($at::BIGINT), $by, $from, $to, $owner, $note, $baseline)`,
    {
      id: finding.id, seq, at, by,
      from: before.updatedAt === null ? null : before.state,
      to: state, owner: newOwner, note: note ?? null, baseline: baselineId,
    },
  );
  return getTriage(db, finding.id);
}

/** Findings with their `triage` extension (findings never triaged carry state `new`). */
export async function attachTriage(db: Database, findings: Finding[]): Promise<Finding[]> {
  const records = await triageRecords(db);
  return findings.map((f) => ({ ...f, triage: triageOf(records, f.id) }));
}

/** Every triage record of the case by finding id. */
export async function triageRecords(db: Database): Promise<Map<string, TriageRecord>> {
  return new Map((await listTriage(db)).map((r) => [r.findingId, r]));
}

/** A finding's triage extension (state `new` when never triaged). */
export function triageOf(records: Map<string, TriageRecord>, id: string): FindingTriage {
  const r = records.get(id);
  return r ? { state: r.state, owner: r.owner, notes: r.notes, updatedAt: r.updatedAt } : { state: 'new', owner: null, notes: [], updatedAt: null };
}
