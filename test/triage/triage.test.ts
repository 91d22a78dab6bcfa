// Triage (main/triage): a state per finding kept in the case file, with owner, notes and history;
// `expected` needs an owner and a purpose and documents the finding in the baseline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../main/api/engine.js';
import { baselineEntryFor, parseTriageState } from '../../main/triage/store.js';
import type { Finding, TriageChange, TriageRecord } from '../../shared/types.js';
import { BIN, REAL, ROOT } from '../helpers.js';

const NJRAT = join(REAL, 'stratosphere/001-zeek-scenario-malicious');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function scanJson(...args: string[]): { findings: Finding[] } {
  const r = run('scan', ...args, '--format', 'json');
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
}

test('triage state survives closing and reopening the case; scan --state filters; expected feeds the baseline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'metronome-triage-'));
  const db = join(dir, 'case.duckdb');
  try {
    const first = scanJson(NJRAT, '--db', db);
    const f = first.findings.find((x) => x.src === '192.168.1.115' && x.dst === '41.108.179.197');
    assert.ok(f, 'the NjRAT finding is scored');
    assert.deepEqual(f.triage, { state: 'new', owner: null, notes: [], updatedAt: null });

    // A change prints the new record as JSON; every process opens and closes the case file.
    const set = run('triage', f.id, '--db', db, '--state', 'investigating', '--owner', 'alice', '--note', 'C2 on 1177? pulling host logs', '--by', 'alice');
    assert.equal(set.code, 0, set.err);
    const rec = JSON.parse(set.out) as TriageRecord;
    assert.equal(rec.findingId, f.id);
    assert.equal(rec.state, 'investigating');
    assert.equal(rec.owner, 'alice');
    assert.equal(rec.notes.length, 1);
    assert.equal(rec.notes[0].text, 'C2 on 1177? pulling host logs');
    assert.equal(rec.notes[0].by, 'alice');
    assert.match(rec.updatedAt ?? '', /^\d{4}-\d{2}-\d{2}T/);

    const again = JSON.parse(run('triage', f.id, '--db', db).out) as TriageRecord;
    assert.deepEqual(again, rec, 'the record survives closing and reopening the case');
    const inv = scanJson('--db', db, '--state', 'investigating');
    assert.deepEqual(inv.findings.map((x) => x.id), [f.id]);
    assert.equal(inv.findings[0].triage?.state, 'investigating');
    assert.equal(inv.findings[0].triage?.owner, 'alice');
    assert.ok(!scanJson('--db', db, '--state', 'new').findings.some((x) => x.id === f.id));

    // expected needs the business owner and the documented purpose.
    const bad = run('triage', f.id, '--db', db, '--state', 'expected');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--owner.*--note/);
    assert.equal(run('triage', f.id, '--db', db, '--state', 'expected', '--owner', 'IT').code, 2);
    assert.equal(run('triage', f.id, '--db', db, '--state', 'bogus').code, 2);
    assert.equal(run('triage', 'no-such-finding', '--db', db, '--state', 'closed').code, 1);

    const exp = run('triage', f.id, '--db', db, '--state', 'business', '--owner', 'Remote support (J. Doe)', '--note', 'vendor keep-alive, ticket 4711');
    assert.equal(exp.code, 0, exp.err);
    const expRec = JSON.parse(exp.out) as TriageRecord;
    assert.equal(expRec.state, 'expected');
    assert.ok(expRec.baselineId);
    const baseline = JSON.parse(run('baseline', 'list', '--db', db, '--format', 'json').out).baseline;
    assert.equal(baseline.length, 1);
    assert.deepEqual(
      { kind: baseline[0].kind, src: baseline[0].src, dst: baseline[0].dst, owner: baseline[0].owner, id: baseline[0].id },
      { kind: 'pair', src: '192.168.1.115', dst: '41.108.179.197', owner: 'Remote support (J. Doe)', id: expRec.baselineId },
    );
    // It leaves the default view; --state expected (or --all) still shows it, with its baseline match.
    assert.ok(!scanJson('--db', db).findings.some((x) => x.id === f.id));
    const shown = scanJson('--db', db, '--state', 'expected').findings;
    assert.deepEqual(shown.map((x) => x.id), [f.id]);
    assert.equal(shown[0].baseline?.owner, 'Remote support (J. Doe)');

    // Leaving expected removes the baseline entry it added; the history keeps every change.
    const esc = JSON.parse(run('triage', f.id, '--db', db, '--state', 'escalated', '--note', 'host confirmed infected').out) as TriageRecord;
    assert.equal(esc.state, 'escalated');
    assert.equal(esc.baselineId, null);
    assert.equal(esc.owner, 'Remote support (J. Doe)');
    assert.equal(esc.notes.length, 3);
    assert.equal(JSON.parse(run('baseline', 'list', '--db', db, '--format', 'json').out).baseline.length, 0);
    assert.ok(scanJson('--db', db).findings.some((x) => x.id === f.id && x.triage?.state === 'escalated'));
    const hist = JSON.parse(run('triage', f.id, '--db', db, '--history').out) as { history: TriageChange[] };
    assert.deepEqual(hist.history.map((h) => [h.fromState, h.toState]), [[null, 'investigating'], ['investigating', 'expected'], ['expected', 'escalated']]);
    assert.equal(hist.history[1].baselineId, expRec.baselineId);
    const list = JSON.parse(run('triage', '--db', db).out) as { triage: TriageRecord[] };
    assert.deepEqual(list.triage.map((r) => r.findingId), [f.id]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('triage API ops: validation, not found, history; records survive Engine close/open', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metronome-triage-api-'));
  const path = join(dir, 'case.duckdb');
  try {
    let engine = await Engine.open({ path, threads: 2 });
    await engine.import([NJRAT]);
    const id = (await engine.scan()).findings[0].id;
    await assert.rejects(async () => engine.handle('triageSet', { id, state: 'expected', owner: 'x' }), /owner.*note|purpose/);
    await assert.rejects(async () => engine.handle('triageSet', { id }), /state/);
    await assert.rejects(async () => engine.handle('triageSet', { id, state: 'maybe' }), /must be one of/);
    await assert.rejects(async () => engine.handle('triageSet', { id: 'ffffffffffffffff', state: 'closed' }), /no finding/);
    const r = (await engine.handle('triageSet', { id, state: 'closed', note: 'lab traffic', by: 'bob' })) as TriageRecord;
    assert.equal(r.state, 'closed');
    assert.equal(((await engine.handle('triageGet', { id: 'ffffffffffffffff' })) as TriageRecord).state, 'new');
    engine.close();
    engine = await Engine.open({ path, threads: 2 });
    const again = (await engine.handle('triageGet', { id })) as TriageRecord;
    assert.equal(again.state, 'closed');
    assert.equal(again.notes[0].by, 'bob');
    const h = (await engine.handle('triageHistory', { id })) as TriageChange[];
    assert.equal(h.length, 1);
    assert.equal(((await engine.handle('triageList', {})) as TriageRecord[]).length, 1);
    assert.equal((await engine.scan()).findings.find((f) => f.id === id)?.triage?.state, 'closed');
    engine.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('baselineEntryFor: pair, src-domain, and ip / domain for fleets', () => {
  const base = {
    id: 'x', category: 'beacon', src: '10.0.0.5', dst: '203.0.113.9', dstKind: 'ip', direction: 'outbound', eventType: 'connection',
    connections: 10, checkins: 10, period: 60, score: 0.9, firstSeen: '', lastSeen: '', bytesOut: 5000, bytesIn: 100, reasons: [], scorer: 'metronome',
  } as Finding;
  assert.deepEqual(
    { ...baselineEntryFor(base, 'o', 'n') },
    { kind: 'pair', src: '10.0.0.5', dst: '203.0.113.9', owner: 'o', note: 'n', expectedPeriod: 60, expectedBytesOut: 500, expectedAt: null },
  );
  assert.equal(baselineEntryFor({ ...base, dst: 'updates.example.com', dstKind: 'fqdn' }, 'o', 'n').kind, 'src-domain');
  const fleet = baselineEntryFor({ ...base, src: '*', hosts: ['10.0.0.1', '10.0.0.2', '10.0.0.3'], dst: 'example.com', dstKind: 'domain' }, 'o', 'n');
  assert.deepEqual([fleet.kind, fleet.src, fleet.dst], ['domain', null, 'example.com']);
  assert.equal(baselineEntryFor({ ...base, src: '*' }, 'o', 'n').kind, 'ip');
  assert.equal(
    baselineEntryFor({ ...base, clock: { cycle: 86_400, at: '02:00 UTC', zone: 'UTC', sd: 60 } }, 'o', 'n').expectedAt,
    '02:00',
  );
  assert.equal(parseTriageState('Business'), 'expected');
  assert.equal(parseTriageState('done'), null);
});
