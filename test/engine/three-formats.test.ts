// The same traffic as Zeek TSV, Zeek JSON and Suricata eve.json (written by the seeded
// generator from scenarios/three-formats-sample.json) loads to the same connection count and
// yields the same top findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateScenario } from '../../main/generate/generate.js';
import type { Truth } from '../../main/generate/truth.js';
import { load, ROOT } from '../helpers.js';

test('three formats of one traffic sample: same connections, same top findings', async () => {
  const out = mkdtempSync(join(tmpdir(), 'metronome-3f-'));
  try {
    const scenario = JSON.parse(readFileSync(join(ROOT, 'scenarios/three-formats-sample.json'), 'utf8'));
    const g = await generateScenario({ scenario, seed: 7, out });
    const truth = JSON.parse(readFileSync(g.truth, 'utf8')) as Truth;
    const results: Record<string, { connections: number; top: string[] }> = {};
    for (const format of ['zeek-tsv', 'zeek-json', 'suricata-eve'] as const) {
      const { engine, report } = await load(g.dirs[format] as string);
      assert.ok(report.files.every((f) => f.rejected === 0 && f.reason === null), `${format}: ${JSON.stringify(report.files.map((f) => f.reason))}`);
      const scan = await engine.scan();
      results[format] = {
        connections: report.tables.connections,
        top: scan.findings.slice(0, 3).map((f) => `${f.category} ${f.src} → ${f.dst}`),
      };
      engine.close();
    }
    assert.equal(results['zeek-tsv'].connections, g.counts.connections);
    assert.deepEqual(results['zeek-json'], results['zeek-tsv']);
    assert.deepEqual(results['suricata-eve'], results['zeek-tsv']);
    // And the planted beacon is the first finding.
    const beacon = truth.items.find((t) => t.malicious)!;
    assert.match(results['zeek-tsv'].top[0], new RegExp(`^beacon ${beacon.src!.replace(/\./g, '\\.')} → `));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
