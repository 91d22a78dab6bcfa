// The performance benchmark cannot rot: run it end to end on a small generated log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPerf } from '../../bench/perf.js';

test('perf benchmark runs on 20 000 rows and reports every figure', async () => {
  const [r] = await runPerf([20_000]);
  assert.equal(r.rows, 20_000);
  for (const k of ['rawSeconds', 'rawSameSeconds', 'ingestSeconds', 'fleetDetailMs', 'gzIngestSeconds', 'analysisSeconds', 'peakRssMB', 'caseMB', 'fileMB'] as const) {
    assert.ok(Number.isFinite(r[k]) && r[k] >= 0, `${k} = ${r[k]}`);
  }
  assert.ok(r.ingestRatio > 0 && r.findings > 0 && r.pairConnections > 0);
});
