// The accuracy benchmark cannot rot: its matching and AP math are pinned, and it runs on two
// small named scenarios with the default detector (the full run is `npm run bench:accuracy`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averagePrecision, matches, runAccuracy } from '../../bench/accuracy.js';
import type { Finding } from '../../shared/types.js';
import type { TruthItem } from '../../main/generate/truth.js';

const item = (id: string, src: string, ip: string): TruthItem =>
  ({ id, kind: 'beacon', source: 'beacon', malicious: true, src, dst: { ip }, port: 443, proto: 'tcp', eventType: 'connection', period: 60, jitter: 0,
    observed: { connections: 1, checkins: 1, requests: 0, lookups: 0, bytesOut: 0, bytesIn: 0, firstSeen: null, lastSeen: null, dstIps: [] } }) as TruthItem;
const finding = (src: string, dst: string, score = 0.9): Finding =>
  ({ id: dst, category: 'beacon', src, dst, dstKind: 'ip', direction: 'outbound', eventType: 'connection', connections: 1, checkins: 1, period: 60,
    score, firstSeen: '', lastSeen: '', bytesOut: null, bytesIn: null, reasons: [], scorer: 'x' }) as Finding;

test('average precision: exact values for a small ranking', () => {
  const rel = [item('a', '10.0.0.1', '1.1.1.1'), item('b', '10.0.0.2', '2.2.2.2')];
  assert.ok(matches(finding('10.0.0.1', '1.1.1.1'), rel[0]));
  assert.ok(!matches(finding('10.0.0.1', '2.2.2.2'), rel[1]));
  // Hits at ranks 1 and 3: (1/1 + 2/3) / 2.
  const r = averagePrecision([finding('10.0.0.1', '1.1.1.1'), finding('10.0.0.9', '9.9.9.9'), finding('10.0.0.2', '2.2.2.2')], rel);
  assert.equal(r.ap, (1 + 2 / 3) / 2);
  assert.deepEqual(r.ranks, [1, 3]);
  // A missed item counts as zero precision.
  assert.equal(averagePrecision([finding('10.0.0.1', '1.1.1.1')], rel).ap, 0.5);
});

test('benchmark run: Metronome finds the planted threats first on two named scenarios', async () => {
  const rows = await runAccuracy(['cobalt-strike-default', 'nightly-exfil']);
  for (const r of rows.filter((x) => x.scorer === 'metronome')) {
    assert.equal(r.averagePrecision, 1, `${r.scenario}: ${JSON.stringify(r.ranks)}`);
  }
  // The RITA baseline cannot see the nightly job (fewer than 4 check-ins and a 24 h window).
  const rita = rows.find((x) => x.scorer === 'rita' && x.scenario === 'nightly-exfil');
  assert.equal(rita?.found, 0);
});
