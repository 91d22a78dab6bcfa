import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyAssets, applyIntel, indicatorMatches } from '../../shared/context.js';
import { classifyIndicator, parseIndicatorList } from '../../main/engine/context-store.js';
import type { Finding } from '../../shared/types.js';

const f = (over: Partial<Finding> = {}): Finding => ({
  id: 'x', category: 'beacon', src: '10.0.0.5', dst: 'c2.evil.example', dstKind: 'fqdn', dstIps: [{ ip: '203.0.113.9', count: 10 }],
  direction: 'outbound', eventType: 'connection', connections: 10, checkins: 10, period: 60, score: 0.5, firstSeen: '', lastSeen: '',
  bytesOut: null, bytesIn: null, reasons: [{ feature: 'timing', contribution: 3, text: 'timing: …' }], scorer: 'metronome', ...over,
});

test('indicator lists: kinds, defanged values, notes, bad lines with numbers', () => {
  assert.equal(classifyIndicator('203.0.113.9'), 'ip');
  assert.equal(classifyIndicator('203.0.113.0/24'), 'cidr');
  assert.equal(classifyIndicator('evil.example'), 'domain');
  assert.equal(classifyIndicator('e7d705a3286e19ea42f587b344ee6865'), 'ja3');
  const r = parseIndicatorList('# feed\nevil[.]example,Qakbot C2\nhxxp://203.0.113.9/gate.php\nnot an indicator\n', 'feed.txt');
  assert.deepEqual(r.indicators.map((i) => [i.kind, i.value, i.note]), [['domain', 'evil.example', 'Qakbot C2'], ['ip', '203.0.113.9', null]]);
  assert.deepEqual(r.rejected.map((x) => x.line), [4]);
});

test('intel adds +2.5 log-odds with its sentence; without a rhythm it stays under the gate', () => {
  const ind = { kind: 'domain' as const, value: 'evil.example', source: 'feed.txt', note: 'Qakbot C2' };
  assert.ok(indicatorMatches(f(), ind));
  const [a] = applyIntel([f()], [ind]);
  // logit(0.5) = 0; σ(2.5) = 0.924
  assert.equal(a.score, 0.924);
  const intel = a.reasons.find((r) => r.feature === 'intel');
  assert.match(intel?.text ?? '', /destination evil\.example is on feed\.txt \(Qakbot C2\)/);
  const [b] = applyIntel([f({ period: null, score: 0.1 })], [ind]);
  assert.equal(b.score, 0.2);
  assert.equal(applyIntel([f({ dst: 'example.org' })], [ind])[0].intel, undefined);
});

test('asset criticality sets triage priority, never the score', () => {
  const assets = [{ match: '10.0.0.0/24', criticality: 'critical' as const, note: 'domain controllers' }];
  const [a] = applyAssets([f({ score: 0.9 })], assets);
  assert.equal(a.priority, 'P1');
  assert.equal(a.score, 0.9);
  assert.equal(a.asset?.note, 'domain controllers');
  assert.equal(applyAssets([f({ score: 0.9 })], [])[0].priority, 'P2');
  assert.equal(applyAssets([f({ score: 0.3 })], [])[0].priority, 'P4');
});
