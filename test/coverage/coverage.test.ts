// Telemetry coverage (main/coverage): spans per log type and sensor, overlap in time, naming,
// what the capture's length allows, and the CLI / API conventions of the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { detectable, detectableSentence, plainDuration } from '../../main/coverage/detectable.js';
import type { CoverageReport } from '../../shared/types.js';
import { BIN, load, REAL, ROOT } from '../helpers.js';

const PROXY = join(REAL, 'rita/proxy');
const NJRAT = join(REAL, 'stratosphere/001-zeek-scenario-malicious');
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(\d{3})?Z$/;

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function span(r: CoverageReport, type: string) {
  const list = r.logTypes.filter((l) => l.type === type);
  assert.ok(list.length, `log type ${type} is reported`);
  return { start: list.map((l) => l.start as string).sort()[0], end: list.map((l) => l.end as string).sort().at(-1) as string, entries: list };
}

function overlapOf(r: CoverageReport, a: string, b: string) {
  const o = r.overlap.find((x) => (x.a === a && x.b === b) || (x.a === b && x.b === a));
  assert.ok(o, `overlap ${a}/${b} is reported`);
  return o;
}

test('rita/proxy: the dns and dhcp logs do not overlap the conn/http/ssl logs, with both spans', () => {
  const r = run('coverage', PROXY, '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as CoverageReport;
  for (const k of ['logTypes', 'overlap', 'naming', 'detectable', 'notes']) assert.ok(k in j, `report has ${k}`);
  for (const l of j.logTypes) {
    for (const k of ['type', 'sensor', 'start', 'end', 'rows', 'rowsPerHour', 'gaps']) assert.ok(k in l, `logTypes entry has ${k}`);
    assert.match(l.start as string, ISO);
    assert.match(l.end as string, ISO);
  }
  // Spans: conn/http/ssl are from January 2023, dns/dhcp from January 2021.
  for (const t of ['conn', 'http', 'ssl']) {
    const s = span(j, t);
    assert.ok(s.start.startsWith('2023-01-04T14:37'), `${t} starts ${s.start}`);
    assert.ok(s.end.startsWith('2023-01-05T18:48'), `${t} ends ${s.end}`);
  }
  const dns = span(j, 'dns');
  assert.equal(dns.start, '2021-01-14T17:26:43.325590Z');
  assert.equal(dns.end, '2021-01-14T21:07:22.324378Z');
  // dhcp is not loaded into a table: its span is read back from the file.
  const dhcp = span(j, 'dhcp');
  assert.equal(dhcp.entries[0].loaded, false);
  assert.equal(dhcp.entries[0].rows, 57);
  assert.ok(dhcp.start.startsWith('2021-01-14T17:25') && dhcp.end.startsWith('2021-01-14T21:05'), `dhcp ${dhcp.start} → ${dhcp.end}`);
  for (const a of ['dns', 'dhcp']) {
    for (const b of ['conn', 'http', 'ssl']) {
      const o = overlapOf(j, a, b);
      assert.equal(o.overlapSeconds, 0, `${a}/${b}`);
      assert.equal(o.overlaps, false, `${a}/${b}`);
      assert.ok(o.apartSeconds > 600 * 86_400, `${a}/${b} are ~2 years apart`);
    }
  }
  assert.ok(overlapOf(j, 'conn', 'http').overlapSeconds > 100_000);
  assert.ok(overlapOf(j, 'dns', 'dhcp').overlapSeconds > 10_000);
  // Separate periods, and a note that says so in words with both spans.
  assert.equal(j.periods.length, 2);
  assert.ok(j.periods[0].types.includes('conn') && j.periods[1].types.includes('dns') && j.periods[1].types.includes('dhcp'));
  const note = j.notes.find((n) => n.includes('do not overlap'));
  assert.ok(note, j.notes.join('\n'));
  for (const s of ['dns', 'dhcp', 'conn', 'http', 'ssl', '2021-01-14 17:24:25', '2023-01-04 14:37:36', 'different captures', 'cannot name']) {
    assert.ok(note.includes(s), `note mentions ${s}: ${note}`);
  }
  // Naming: the proxy's CONNECT targets name the connections (SNI first); DNS cannot help.
  assert.equal(j.naming.connections, 463);
  assert.equal(j.naming.named, 407);
  assert.equal(j.naming.bareIp, 56);
  assert.ok(j.notes.some((n) => n.includes('dns log is from another period')));
  // Capture health from Zeek capture_loss and stats.
  assert.deepEqual(j.health.map((h) => h.source).sort(), ['zeek capture_loss', 'zeek stats']);
  assert.equal(j.health.find((h) => h.source === 'zeek capture_loss')?.lossPercent, 0);
  // The human table says the same.
  const t = run('coverage', PROXY);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /do not overlap/);
  assert.match(t.out, /dhcp\*/);
});

test('stratosphere 001: the capture lasts about 50 minutes; what it can and cannot support', async () => {
  const { engine } = await load(NJRAT);
  try {
    const j = (await engine.handle('coverage', {})) as CoverageReport;
    assert.ok(j.capture.seconds > 2950 && j.capture.seconds < 3050, `capture ${j.capture.seconds} s`);
    assert.equal(j.capture.basis, 'conn');
    assert.equal(j.capture.relativeClock, true);
    const by = new Map(j.detectable.map((d) => [d.period, d]));
    assert.equal(by.get(60)?.possible, true);
    assert.equal(by.get(300)?.possible, true);
    assert.equal(by.get(3600)?.possible, false);
    assert.equal(by.get(86_400)?.possible, false);
    assert.equal(by.get(604_800)?.possible, false);
    assert.match(by.get(3600)?.why ?? '', /needs at least 3 hours.*only 50\.1 minutes/);
    assert.match(by.get(604_800)?.why ?? '', /2 weeks/);
    const note = j.notes.find((n) => n.startsWith('The capture lasts'));
    assert.ok(note);
    assert.match(note, /50\.1 minutes: it can show 60 s beacons, 5-minute beacons and 15-minute schedules/);
    assert.match(note, /cannot support hourly jobs, daily jobs or weekly jobs/);
    assert.ok(j.notes.some((n) => n.includes('1970-01-01') && n.includes('relative')));
    // labeled-conn.log repeats conn.log: it adds no rows and is said to.
    assert.ok(j.notes.some((n) => n.startsWith('labeled-conn.log added no rows')));
    assert.equal(j.logTypes.length, 1);
    assert.equal(j.logTypes[0].sensor, '001-zeek-scenario-malicious');
    assert.equal(j.logTypes[0].sensorFrom, 'folder');
    assert.equal(j.logTypes[0].rows, 992);
    assert.deepEqual(j.logTypes[0].gaps, []);
    assert.equal(j.naming.named, 0);
    assert.equal(j.naming.bareIp, 992);
    // Unknown request fields are refused like every API op.
    await assert.rejects(async () => engine.handle('coverage', { x: 1 }), /unknown field/);
  } finally {
    engine.close();
  }
});

test('coverage: usage errors exit 2, a missing case exits 1', () => {
  assert.equal(run('coverage').code, 2);
  assert.equal(run('coverage', '--db', join(ROOT, 'no-such-case.duckdb')).code, 1);
  assert.equal(run('coverage', NJRAT, '--format', 'xml').code, 2);
});

test('detectable: each period needs enough capture to repeat', () => {
  const at = (seconds: number) => new Map(detectable(seconds).map((d) => [d.period, d.possible]));
  assert.equal(at(299).get(60), false);
  assert.equal(at(300).get(60), true);
  assert.equal(at(3 * 3600 - 1).get(3600), false);
  assert.equal(at(3 * 3600).get(3600), true);
  assert.equal(at(3 * 86_400 - 1).get(86_400), false);
  assert.equal(at(3 * 86_400).get(86_400), true);
  assert.equal(at(13 * 86_400).get(604_800), false);
  assert.equal(at(14 * 86_400).get(604_800), true);
  assert.equal(plainDuration(3008), '50.1 minutes');
  assert.equal(plainDuration(14 * 86_400), '2 weeks');
  assert.match(detectableSentence(30), /too short/);
  assert.match(detectableSentence(20 * 86_400), /can show .* weekly jobs/);
});
