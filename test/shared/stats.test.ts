// Exact-value tests for the numerical helpers behind Metronome's scorer.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  clamp,
  formatLogP,
  formatPeriod,
  logBinomialTail,
  logGamma,
  quickMedian,
  wilsonLower,
  Z95,
} from '../../shared/scoring/stats.js';
import { median } from '../../shared/scoring/quantiles.js';
import { mulberry32 } from './scoring-fixtures.js';

function close(actual: number, expected: number, tol = 1e-9, msg?: string) {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), msg ?? `${actual} ≉ ${expected}`);
}

test('quickMedian matches the sorting median and leaves the input alone', () => {
  assert.equal(quickMedian([3, 1, 2]), 2);
  assert.equal(quickMedian([4, 1, 3, 2]), 2.5); // even count: mean of 2 and 3
  assert.equal(quickMedian([7]), 7);
  assert.ok(Number.isNaN(quickMedian([])));
  assert.equal(quickMedian([9, 1, 5, 100, 100], 3), 5); // only the first 3 values are read
  const constant = new Array(1001).fill(60);
  assert.equal(quickMedian(constant), 60);
  const rnd = mulberry32(42);
  for (let n = 1; n < 60; n++) {
    const xs = Array.from({ length: n }, () => Math.floor(rnd() * 20)); // many ties
    const copy = xs.slice();
    assert.equal(quickMedian(xs), median(xs), `n = ${n}`);
    assert.deepEqual(xs, copy);
  }
});

test('wilsonLower: 3 of 3 is 3/(3 + z²), n = 0 is 0, and it grows with n', () => {
  // With f = 1 the bound simplifies: (1 + z²/2n − z²/2n) / (1 + z²/n) = n / (n + z²).
  close(wilsonLower(3, 3), 3 / (3 + Z95 * Z95));
  close(wilsonLower(3, 3), 0.5258, 1e-3);
  close(wilsonLower(399, 399), 399 / (399 + Z95 * Z95));
  assert.equal(wilsonLower(0, 0), 0);
  assert.equal(wilsonLower(0, 5), 0);
  // 50 of 100: centre 0.5 + z²/200, spread z·sqrt(0.25/100 + z²/40000), over 1 + z²/100.
  const z2 = Z95 * Z95;
  close(wilsonLower(50, 100), (0.5 + z2 / 200 - Z95 * Math.sqrt(0.0025 + z2 / 40000)) / (1 + z2 / 100));
});

test('logGamma: factorials and Γ(1/2) = √π', () => {
  close(logGamma(1), 0, 1e-12);
  close(logGamma(5), Math.log(24), 1e-12);
  close(logGamma(11), Math.log(3628800), 1e-12);
  close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-12);
  close(logGamma(1001), 5912.128178488163, 1e-12); // ln 1000! (Stirling: 1000 ln 1000 − 1000 + ½ ln 2000π + 1/12000)
});

test('logBinomialTail: exact small cases, both branches, and underflow-free extremes', () => {
  // Bin(3, 0.5): P(X ≥ 2) = (3 + 1)/8, P(X ≥ 3) = 1/8, P(X ≥ 0) = 1, P(X ≥ 4) = 0.
  close(logBinomialTail(2, 3, 0.5), Math.log(0.5));
  close(logBinomialTail(3, 3, 0.5), Math.log(1 / 8));
  assert.equal(logBinomialTail(0, 3, 0.5), 0);
  assert.equal(logBinomialTail(4, 3, 0.5), -Infinity);
  // Bin(10, 0.3), m = 3 is at the mode (floor(11 · 0.3) = 3): 1 − P(X ≤ 2).
  const q = 0.7;
  const le2 = q ** 10 + 10 * 0.3 * q ** 9 + 45 * 0.09 * q ** 8;
  close(logBinomialTail(3, 10, 0.3), Math.log(1 - le2));
  // m = 6 above the mode: Σ_{k=6..10} C(10,k) 0.3^k 0.7^(10−k).
  const C = [1, 10, 45, 120, 210, 252, 210, 120, 45, 10, 1];
  let tail = 0;
  for (let k = 6; k <= 10; k++) tail += C[k] * 0.3 ** k * q ** (10 - k);
  close(logBinomialTail(6, 10, 0.3), Math.log(tail));
  // 400 of 400 at p = 0.1 is 1e-400: far below a double, fine in logs.
  close(logBinomialTail(400, 400, 0.1), 400 * Math.log(0.1));
  assert.equal(logBinomialTail(1, 5, 0), -Infinity);
  assert.equal(logBinomialTail(1, 5, 1), 0);
});

test('formatting helpers', () => {
  assert.equal(clamp(5, 0, 1), 1);
  assert.equal(clamp(-5, 0, 1), 0);
  assert.equal(formatLogP(Math.log(0.034)), 'p = 0.034');
  assert.equal(formatLogP(-40 * Math.LN10), 'p ≈ 1e-40');
  assert.equal(formatPeriod(2.2), '2.20 s');
  assert.equal(formatPeriod(58.7), '58.7 s');
  assert.equal(formatPeriod(86_400), '1.0 d');
});
