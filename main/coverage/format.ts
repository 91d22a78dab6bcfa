// The coverage report for humans (the CLI's table format). Log-derived text (sensor names,
// paths) goes through safeText so no control character reaches the terminal.
import type { CoverageReport } from '../../shared/types.js';
import { safeText } from '../cli/output.js';
import { plainDuration } from './detectable.js';

function t(iso: string | null): string {
  return iso ? iso.slice(0, 19).replace('T', ' ') : '–';
}

function pad(s: string, n: number, right = false): string {
  const v = s.length > n ? `${s.slice(0, n - 1)}…` : s;
  return right ? v.padStart(n) : v.padEnd(n);
}

export function coverageTable(r: CoverageReport): string {
  const out: string[] = [];
  const c = r.capture;
  out.push(
    c.start
      ? `Capture (${c.basis}): ${t(c.start)} → ${t(c.end)} UTC, ${plainDuration(c.seconds)}${c.relativeClock ? ' (relative timestamps)' : ''}`
      : 'Capture: nothing with a time was loaded',
  );
  out.push('');
  const head = `${pad('log type', 15)} ${pad('sensor', 28)} ${pad('start (UTC)', 19)}  ${pad('end (UTC)', 19)} ${pad('rows', 8, true)} ${pad('rows/h', 9, true)}  gaps ≥ 1 h`;
  out.push(head);
  out.push('-'.repeat(head.length + 12));
  for (const l of r.logTypes) {
    const longest = l.gaps.reduce((m, g) => Math.max(m, g.seconds), 0);
    out.push(
      `${pad(l.type + (l.loaded ? '' : '*'), 15)} ${pad(safeText(l.sensor), 28)} ${pad(t(l.start), 19)}  ${pad(t(l.end), 19)} ${pad(String(l.rows), 8, true)} ${pad(
        l.rowsPerHour === null ? '–' : String(l.rowsPerHour),
        9,
        true,
      )}  ${l.gapsTotal ? `${l.gapsTotal} (longest ${plainDuration(longest)})` : '–'}`,
    );
  }
  if (r.logTypes.some((l) => !l.loaded)) out.push('* not loaded into tables: span read back from the file');
  if (r.periods.length) {
    out.push('');
    out.push(r.periods.length > 1 ? 'Periods (log types whose times meet; separate periods do not overlap):' : 'Period (all log types meet in time):');
    r.periods.forEach((p, i) => out.push(`  ${i + 1}. ${t(p.start)} → ${t(p.end)} UTC  ${p.types.join(', ')}`));
  }
  const n = r.naming;
  out.push('');
  out.push(
    `Naming: ${n.named} of ${n.connections} connections named (SNI ${n.bySource.sni}, HTTP Host ${n.bySource.http}, DNS ${n.bySource.dns}); ${n.bareIp} bare IPs; outbound ${n.outbound.named} of ${n.outbound.connections} named`,
  );
  out.push('');
  out.push('What this capture can show:');
  for (const d of r.detectable) out.push(`  ${d.possible ? 'yes' : 'no '}  ${pad(d.label, 19)} ${d.why}`);
  if (r.health.length) {
    out.push('');
    out.push('Capture health:');
    for (const h of r.health) out.push(`  ${safeText(h.sensor)}: ${safeText(h.text)}`);
  }
  if (r.clock.byType.length || r.clock.sensors.length) {
    out.push('');
    out.push('Clock consistency:');
    for (const k of r.clock.byType) {
      out.push(`  ${pad(k.type, 6)} ${k.compared} records vs their connection: ${k.beforeStart} before its start, ${k.afterEnd} after its end`);
    }
    for (const s of r.clock.sensors) out.push(`  sensors ${safeText(s.a)} / ${safeText(s.b)}: ${s.matched} shared connections, median offset ${s.offsetSeconds} s`);
  }
  out.push('');
  out.push(
    `Hosts: ${r.hosts.internal} internal; ${r.hosts.inboundOnly.count} seen only as destinations of inbound traffic; ${
      r.hosts.noDns.checked ? `${r.hosts.noDns.count} reach outside with no DNS activity` : `DNS use ${r.hosts.noDns.why}`
    }`,
  );
  if (r.notes.length) {
    out.push('');
    out.push('Notes:');
    for (const note of r.notes) out.push(`  - ${safeText(note)}`);
  }
  return out.join('\n');
}
