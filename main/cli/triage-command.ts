// `metronome triage FINDING_ID --db FILE [--state S] [--owner NAME] [--note TEXT]`: a finding's
// triage state (new, investigating, expected, escalated, closed), owner, notes and history, kept
// in the case. Prints the record as JSON. `expected` (business traffic) needs --owner and --note
// and documents the finding in the baseline, so it leaves the default view.
import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseCidrList } from '../../shared/net.js';
import type { TriageState } from '../../shared/types.js';
import { Engine, type Scorer } from '../api/engine.js';
import { findingById } from '../triage/handlers.js';
import { getTriage, listTriage, parseTriageState, setTriage, triageHistory, TRIAGE_STATES, TriageUsageError } from '../triage/store.js';
import { toJson } from './output.js';
import { cidrs as cidrsArg, timeZone as timeZoneArg } from './args.js';

/** Commander parser for a triage state (also used by `scan --state`). */
export function triageStateArg(v: string): TriageState {
  const s = parseTriageState(v);
  if (!s) throw new InvalidArgumentError(`must be one of ${TRIAGE_STATES.join(', ')} (business = expected)`);
  return s;
}



function osUser(): string | null {
  try {
    return userInfo().username || null;
  } catch {
    return null;
  }
}

interface TriageFlags {
  db: string;
  state?: TriageState;
  owner?: string;
  note?: string;
  by?: string;
  history?: boolean;
  internal?: string[];
  scorer: Scorer;
  tz?: string;
}

export function registerTriage(program: Command, out: (s: string) => void): void {
  const cmd = program
    .command('triage')
    .description('show or change a finding\'s triage state, owner and notes (kept in the case); without FINDING_ID, list triaged findings')
    .argument('[finding-id]', 'finding id (from scan)')
    .requiredOption('--db <file>', 'case file')
    .option('--state <state>', `new, investigating, expected (business), escalated or closed`, triageStateArg)
    .option('--owner <name>', 'owner (with --state expected: the business owner)')
    .option('--note <text>', 'a note to add (with --state expected: the documented purpose)')
    .option('--by <name>', 'who makes the change (default: the OS user)')
    .option('--history', 'print the record\'s history of changes instead')
    .option('--internal <cidrs>', 'internal ranges used when the case was scanned', cidrsArg)
    .addOption(new Option('--scorer <name>', 'scorer whose finding ids are used').choices(['metronome', 'rita']).default('metronome'))
    .option('--tz <zone>', 'local time zone used when the case was scanned', timeZoneArg);
  cmd.action(async (id: string | undefined, o: TriageFlags) => {
    const change = o.state !== undefined || o.owner !== undefined || o.note !== undefined;
    if (id !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(id)) cmd.error(`error: "${id}" is not a finding id`, { exitCode: 2, code: 'metronome.usage' });
    if (!id && (change || o.history)) cmd.error('error: give the FINDING_ID to change or to show its history', { exitCode: 2, code: 'metronome.usage' });
    if (o.state === 'expected' && (!o.owner?.trim() || !o.note?.trim())) {
      cmd.error('error: --state expected needs the business owner (--owner) and the documented purpose (--note)', { exitCode: 2, code: 'metronome.usage' });
    }
    if (!existsSync(o.db)) throw new Error(`no case file ${o.db}`);
    const engine = await Engine.open({ path: o.db, internal: o.internal, scorer: o.scorer, timeZone: o.tz });
    try {
      if (!id) {
        out(toJson({ triage: await listTriage(engine.db) }));
        return;
      }
      if (o.history) {
        out(toJson({ findingId: id, history: await triageHistory(engine.db, id) }));
        return;
      }
      if (!change) {
        out(toJson(await getTriage(engine.db, id)));
        return;
      }
      const finding = await findingById(engine, id);
      try {
        out(toJson(await setTriage(engine.db, finding, { state: o.state, owner: o.owner, note: o.note, by: o.by ?? osUser() })));
      } catch (e) {
        if (e instanceof TriageUsageError) cmd.error(`error: ${e.message}`, { exitCode: 2, code: 'metronome.usage' });
        throw e;
      }
    } finally {
      engine.close();
    }
  });
}
