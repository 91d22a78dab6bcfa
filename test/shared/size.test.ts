// Size features: robust CV, modal size, direction ratio, the large-outbound flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  analyzeSize,
  explainLargeOutbound,
  explainUniformSize,
  modalSize,
  robustCv,
  type Sized,
} from '../../shared/scoring/size.js';

function close(actual: number | null, expected: number, tol = 1e-12) {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} ≉ ${expected}`);
}

const ep = (bytesOut: number | null, bytesIn: number | null): Sized => ({ bytesOut, bytesIn });

test('robustCv = 1.4826 · MAD / median', () => {
  assert.equal(robustCv([100, 100, 100]), 0);
  // median 100, |x − 100| = 20, 0, 20 → MAD 20 → 1.4826 · 20 / 100.
  close(robustCv([80, 100, 120]), 0.29652);
  // One outlier moves neither the median nor the MAD: 100 ×4 and 1e6 → MAD 0.
  assert.equal(robustCv([100, 100, 1e6, 100, 100]), 0);
  // Half zeros: median 0 and MAD 0 → constant (0), not a division by zero.
  assert.equal(robustCv([0, 0, 5]), 0);
  assert.equal(robustCv([5]), null);
  assert.equal(robustCv([]), null);
});

test('modalSize: the busiest class [x, 1.05x + 32] and its median', () => {
  // Sorted 100 101 104 200 300; from 100 the class reaches 137: {100, 101, 104} → 3/5, median 101.
  assert.deepEqual(modalSize([300, 104, 100, 200, 101]), { share: 0.6, size: 101 });
  assert.deepEqual(modalSize([]), { share: 0, size: null });
  assert.deepEqual(modalSize([7]), { share: 1, size: 7 });
});

test('analyzeSize: unknown counts are skipped, not zeroes', () => {
  const s = analyzeSize([ep(100, null), ep(null, null), ep(300, 50)]);
  assert.equal(s.episodes, 3);
  assert.equal(s.knownOut, 2);
  assert.equal(s.knownIn, 1);
  assert.equal(s.totalOut, 400);
  assert.equal(s.totalIn, 50);
  assert.equal(s.medianOut, 200);
  assert.equal(s.ratio, 8);
  // median 200, deviations 100, 100 → MAD 100 → 1.4826 · 100 / 200.
  close(s.cvOut, 0.7413);
  assert.equal(s.cvIn, null);
  assert.equal(s.uniform, false);
  assert.equal(s.largeOutbound, false);
});

test('analyzeSize: all unknown', () => {
  const s = analyzeSize([ep(null, null), ep(null, null)]);
  assert.equal(s.totalOut, null);
  assert.equal(s.totalIn, null);
  assert.equal(s.ratio, null);
  assert.equal(s.cvOut, null);
  assert.equal(s.modalShareOut, 0);
  assert.equal(s.uniform, false);
  assert.equal(s.largeOutbound, false);
});

test('uniform check-ins', () => {
  const s = analyzeSize([ep(300, 1200), ep(302, 1210), ep(300, 1190), ep(305, 1200)]);
  assert.equal(s.uniform, true);
  assert.equal(s.modalShareOut, 1);
  assert.equal(explainUniformSize(s), '100 % of check-ins send 300 B (robust CV 0 %)');
});

test('large outbound: ≥ 100 MB in total, or out/in ≥ 10 with ≥ 1 MB per check-in', () => {
  const big = analyzeSize([ep(50e6, 1000), ep(50e6, 1000), ep(50e6, 1000)]);
  assert.equal(big.largeOutbound, true);
  assert.equal(explainLargeOutbound(big), '150.0 MB sent out, 50000× what came back, 50.0 MB per check-in: possible exfiltration');
  const lopsided = analyzeSize(new Array(5).fill(ep(2e6, 100e3)));
  assert.equal(lopsided.ratio, 20);
  assert.equal(lopsided.largeOutbound, true);
  const balanced = analyzeSize(new Array(5).fill(ep(2e6, 1e6)));
  assert.equal(balanced.largeOutbound, false);
  const small = analyzeSize(new Array(5).fill(ep(2000, 10)));
  assert.equal(small.ratio, 200);
  assert.equal(small.largeOutbound, false); // lopsided but tiny: a beacon, not a transfer
  // Nothing came back: the ratio divides by max(in, 1) and stays finite.
  assert.equal(analyzeSize([ep(5e6, 0), ep(5e6, 0)]).ratio, 10e6);
});
