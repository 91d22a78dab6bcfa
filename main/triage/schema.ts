// The triage tables of a case: one current record per finding (`triage`) and every change
// (`triage_history`). Created with the case schema (Database.open), kept in the case file and
// copied by caseSave like every other table.
import type { Database } from '../engine/db.js';

export async function createTriageSchema(db: Pick<Database, 'run'>): Promise<void> {
  await db.run(`CREATE TABLE IF NOT EXISTS triage (
    finding_id VARCHAR PRIMARY KEY,
    state VARCHAR NOT NULL,
    owner VARCHAR,
    notes VARCHAR NOT NULL DEFAULT '[]',
    baseline_id VARCHAR,
    finding VARCHAR,
    updated_at TIMESTAMP NOT NULL
  )`);
  await db.run(`CREATE TABLE IF NOT EXISTS triage_history (
    finding_id VARCHAR NOT NULL,
    seq BIGINT NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR,
    from_state VARCHAR,
    to_state VARCHAR NOT NULL,
    owner VARCHAR,
    note VARCHAR,
    baseline_id VARCHAR
  )`);
}
