import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBaseline, driftOf, entryMatches } from '../../shared/baseline.js';
import type { BaselineEntry, Finding } from '../../shared/types.js';

const finding = (over: Partial<Finding> = {}): Finding => ({
  id: 'f1', category: 'scheduled-transfer', src: '10.0.0.5', dst: 'backup.example.com', dstKind: 'fqdn',
  dstIps: [{ ip: '203.0.113.7', count: 5 }], direction: 'outbound', eventType: 'connection', connections: 5,
  checkins: 5, period: 86400, score: 0.9, firstSeen: '2025-05-01T02:00:00.000Z', lastSeen: '2025-05-05T02:00:00.000Z',
  bytesOut: 5_000_000, bytesIn: 1000, reasons: [], scorer: 'metronome', clock: { cycle: 86400, at: '02:00 UTC', zone: 'UTC', sd: 120 },
  ...over,
});
const entry = (over: Partial<BaselineEntry> = {}): BaselineEntry => ({
  id: 'b1', kind: 'src-domain', src: '10.0.0.5', dst: 'example.com', owner: 'IT ops', note: 'nightly backup',
  expectedPeriod: 86400, expectedBytesOut: 1_000_000, expectedAt: '02:00', createdAt: '2025-05-01T00:00:00.000Z', ...over,
});

test('matching by kind: ip, cidr, domain wildcard, pair, source + domain', () => {
  assert.ok(entryMatches(entry({ kind: 'ip', src: null, dst: '203.0.113.7' }), finding()));
  assert.ok(entryMatches(entry({ kind: 'cidr', src: null, dst: '203.0.113.0/24' }), finding()));
  assert.ok(!entryMatches(entry({ kind: 'cidr', src: null, dst: '198.51.100.0/24' }), finding()));
  assert.ok(entryMatches(entry({ kind: 'domain', src: null, dst: '*.example.com' }), finding()));
  assert.ok(!entryMatches(entry({ kind: 'domain', src: null, dst: 'example.org' }), finding()));
  assert.ok(entryMatches(entry({ kind: 'pair', dst: 'backup.example.com' }), finding()));
  assert.ok(!entryMatches(entry({ kind: 'pair', src: '10.0.0.6', dst: 'backup.example.com' }), finding()));
  assert.ok(entryMatches(entry(), finding()));
  assert.ok(!entryMatches(entry({ src: '10.0.0.9' }), finding()));
  // A fleet finding matches through its hosts.
  assert.ok(entryMatches(entry({ src: '10.0.0.9' }), finding({ src: '*', hosts: ['10.0.0.8', '10.0.0.9'] })));
});

test('drift: other period, 10x volume, another hour, a new destination', () => {
  assert.deepEqual(driftOf(entry(), finding()), []);
  assert.deepEqual(driftOf(entry(), finding({ period: 3600 })), ['period is 3600 s, documented 86400 s']);
  assert.deepEqual(driftOf(entry(), finding({ bytesOut: 60_000_000 })), ['12000000 bytes out per check-in, 12× the documented 1000000']);
  assert.deepEqual(driftOf(entry(), finding({ clock: { cycle: 86400, at: '03:10 UTC', zone: 'UTC', sd: 60 } })), ['runs at 03:10 UTC, documented 02:00']);
  assert.deepEqual(driftOf(entry({ kind: 'pair', dst: '203.0.113.7' }), finding({ dstIps: [{ ip: '198.51.100.9', count: 5 }] })), [
    'new destination 198.51.100.9 (documented 203.0.113.7)',
  ]);
});

test('applyBaseline hides matched findings, keeps them with --all, and shows drift flagged', () => {
  const fs = [finding(), finding({ id: 'f2', src: '10.0.0.6', dst: 'evil.example.net' })];
  assert.deepEqual(applyBaseline(fs, [entry()], false).map((f) => f.id), ['f2']);
  const all = applyBaseline(fs, [entry()], true);
  assert.deepEqual(all.map((f) => [f.id, f.baseline?.id ?? null]), [['f1', 'b1'], ['f2', null]]);
  const drifted = applyBaseline([finding({ bytesOut: 60_000_000 })], [entry()], false);
  assert.equal(drifted.length, 1);
  assert.equal(drifted[0].baseline?.drift.length, 1);
  assert.match(drifted[0].reasons[0].text, /drifted from the baseline entry of IT ops/);
});
