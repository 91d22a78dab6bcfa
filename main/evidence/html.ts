// The evidence report: one offline HTML file (inline CSS and SVG, no script, no external link;
// a Content-Security-Policy that forbids fetching anything). All log-derived text is escaped.
import { formatBytes, formatDuration } from '../../shared/format.js';
import type { ConnectionRow, EvidenceSource, Finding, TriageChange, TriageRecord } from '../../shared/types.js';
import type { AttackTechnique } from './attack.js';
import type { RawLine } from './raw-lines.js';
import { esc } from './svg.js';

export interface ReportData {
  finding: Finding;
  generatedAt: string;
  version: string;
  caseName: string;
  events: ConnectionRow[];
  eventsTotal: number;
  timelineSvg: string;
  histogramSvg: string;
  attack: AttackTechnique[];
  triage: TriageRecord;
  history: TriageChange[];
  annotation: { tags: string[]; note: string; updatedAt: string } | null;
  sources: EvidenceSource[];
  rawLines: RawLine[];
  rawTotal: number;
  /** Files of the package beside the report (their hashes are in manifest.json). */
  packageFiles: string[];
  warnings: string[];
}

/** Rows shown in the report's tables; the CSV and raw-lines.jsonl hold all. */
const SHOWN_EVENTS = 100;
/** Raw lines shown per source file. */
const SHOWN_LINES = 40;

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#111827;background:#f3f4f6;font-size:14px;line-height:1.45}
main{max-width:960px;margin:0 auto;padding:24px 28px 48px;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
.sub{color:#6b7280;margin:0 0 16px}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{background:#f9fafb;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
dl.kv{display:grid;grid-template-columns:180px 1fr;gap:2px 12px;margin:0}
dl.kv dt{color:#6b7280}dl.kv dd{margin:0;font-weight:500}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;background:#e5e7eb}
.state-new{background:#dbeafe;color:#1e40af}.state-investigating{background:#fef3c7;color:#92400e}
.state-expected{background:#d1fae5;color:#065f46}.state-escalated{background:#fee2e2;color:#991b1b}.state-closed{background:#e5e7eb;color:#374151}
.score{font-size:28px;font-weight:700}
.pos{color:#b91c1c}.neg{color:#047857}
pre.raw{background:#111827;color:#e5e7eb;padding:8px;font-size:11px;line-height:1.35;white-space:pre-wrap;overflow-wrap:anywhere;tab-size:2;margin:4px 0 12px}
h3{font-size:14px;margin:14px 0 2px}
.raw .loc{color:#93c5fd}
.warn{background:#fef3c7;border:1px solid #f59e0b;padding:6px 10px;margin:8px 0}
.ok{color:#047857;font-weight:600}.bad{color:#b91c1c;font-weight:600}
svg{max-width:100%;height:auto;display:block;margin:8px 0;border:1px solid #e5e7eb}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;word-break:break-all}
table.events td,table.events th{white-space:nowrap;font-size:12px;padding:3px 6px}
table.events code{word-break:normal;font-size:11px}
.muted{color:#6b7280}
`;

function t(iso: string | null | undefined): string {
  return iso ? esc(iso.replace('T', ' ').replace('Z', ' UTC')) : '–';
}

function dstText(f: Finding): string {
  const port = f.port ?? f.dstPorts?.[0]?.port;
  return `${f.dst}${port !== undefined && port !== null ? `:${port}` : ''}${f.proto ? `/${f.proto}` : ''}`;
}

function kv(rows: [string, string][]): string {
  return `<dl class="kv">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

export function reportHtml(d: ReportData): string {
  const f = d.finding;
  const title = `Evidence: ${f.category} ${f.src} → ${dstText(f)}`;
  const src = f.src === '*' ? `${(f.hosts ?? []).length} hosts: ${(f.hosts ?? []).slice(0, 20).join(', ')}${(f.hosts ?? []).length > 20 ? ', …' : ''}` : f.src;
  const s: string[] = [];
  s.push(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${esc(title)}</h1>
<p class="sub">Finding <code>${esc(f.id)}</code> · generated ${t(d.generatedAt)} by Metronome ${esc(d.version)} · case ${esc(d.caseName)}</p>`);
  for (const w of d.warnings) s.push(`<div class="warn">${esc(w)}</div>`);

  s.push('<h2>Finding</h2>');
  s.push(
    kv([
      ['Score', `<span class="score">${esc(f.score.toFixed(3))}</span> <span class="muted">(${esc(f.scorer)})</span>`],
      ['Category', esc(f.category) + (f.exfil ? ' · <b>possible scheduled exfiltration</b>' : '')],
      ['Source', esc(src)],
      ['Destination', `${esc(dstText(f))} <span class="muted">(${esc(f.dstKind)}${f.dstIps?.length ? `; ${esc(f.dstIps.map((x) => `${x.ip} ×${x.count}`).join(', '))}` : ''})</span>`],
      ['Direction', esc(f.direction)],
      ['Rhythm carried by', esc(f.eventType)],
      ['Events', `${esc(f.connections)} ${esc(f.eventType === 'connection' ? 'connections' : f.eventType === 'http' ? 'requests' : 'lookups')}, ${esc(f.checkins)} check-ins`],
      ['Period', f.period === null ? 'none' : `${esc(formatDuration(f.period))} (${esc(f.period.toFixed(2))} s)`],
      ['Clock schedule', f.clock ? esc(`${f.clock.at} every ${formatDuration(f.clock.cycle)} (± ${formatDuration(f.clock.sd)})`) : '–'],
      ['First seen', t(f.firstSeen)],
      ['Last seen', t(f.lastSeen)],
      ['Bytes out / in', `${esc(formatBytes(f.bytesOut))} / ${esc(formatBytes(f.bytesIn))}`],
      ['Prevalence', f.prevalence === null || f.prevalence === undefined ? '–' : esc(`${Math.round(f.prevalence * 100)} % of internal sources`)],
      ['Triage state', `<span class="badge state-${esc(d.triage.state)}">${esc(d.triage.state)}</span>${d.triage.owner ? ` owner ${esc(d.triage.owner)}` : ''}`],
    ]),
  );

  s.push('<h2>Why it scored</h2>');
  s.push('<table><thead><tr><th>feature</th><th class="num">contribution</th><th>explanation</th></tr></thead><tbody>');
  for (const r of f.reasons) {
    s.push(`<tr><td>${esc(r.feature)}</td><td class="num ${r.contribution > 0 ? 'pos' : r.contribution < 0 ? 'neg' : ''}">${esc(r.contribution >= 0 ? `+${r.contribution.toFixed(3)}` : r.contribution.toFixed(3))}</td><td>${esc(r.text)}</td></tr>`);
  }
  s.push('</tbody></table>');
  if (f.subscores && Object.keys(f.subscores).length) {
    s.push(`<p class="muted">Sub-scores: ${esc(Object.entries(f.subscores).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(' · '))}</p>`);
  }

  s.push('<h2>Charts</h2>');
  s.push(d.timelineSvg);
  s.push(d.histogramSvg);

  s.push('<h2>MITRE ATT&amp;CK mapping</h2>');
  if (d.attack.length) {
    s.push('<table><thead><tr><th>technique</th><th>tactic</th><th>why</th></tr></thead><tbody>');
    for (const a of d.attack) s.push(`<tr><td><b>${esc(a.id)}</b> ${esc(a.name)}</td><td>${esc(a.tactic)}</td><td>${esc(a.why)}</td></tr>`);
    s.push('</tbody></table>');
    s.push('<p class="muted">Candidate techniques from the network evidence alone; confirm them with host evidence.</p>');
  } else {
    s.push('<p class="muted">No technique follows from the traffic shape alone.</p>');
  }

  s.push('<h2>Triage</h2>');
  s.push(
    kv([
      ['State', `<span class="badge state-${esc(d.triage.state)}">${esc(d.triage.state)}</span>`],
      ['Owner', esc(d.triage.owner ?? '–')],
      ['Last change', t(d.triage.updatedAt)],
      ['Baseline entry', esc(d.triage.baselineId ?? '–')],
    ]),
  );
  if (d.history.length) {
    s.push('<table><thead><tr><th>when</th><th>by</th><th>change</th><th>owner</th><th>note</th></tr></thead><tbody>');
    for (const h of d.history) {
      s.push(
        `<tr><td>${t(h.at)}</td><td>${esc(h.by ?? '–')}</td><td>${esc(h.fromState ?? '(new)')} → ${esc(h.toState)}</td><td>${esc(h.owner ?? '–')}</td><td>${esc(h.note ?? '')}</td></tr>`,
      );
    }
    s.push('</tbody></table>');
  } else {
    s.push('<p class="muted">Never triaged.</p>');
  }

  s.push('<h2>Analyst notes</h2>');
  const notes = d.triage.notes;
  if (notes.length || d.annotation) {
    s.push('<ul>');
    for (const n of notes) s.push(`<li>${t(n.at)}${n.by ? ` · ${esc(n.by)}` : ''}: ${esc(n.text)}</li>`);
    if (d.annotation) {
      s.push(
        `<li>${t(d.annotation.updatedAt)} · annotation${d.annotation.tags.length ? ` [${esc(d.annotation.tags.join(', '))}]` : ''}${d.annotation.note ? `: ${esc(d.annotation.note)}` : ''}</li>`,
      );
    }
    s.push('</ul>');
  } else {
    s.push('<p class="muted">No notes.</p>');
  }

  s.push('<h2>Sources and integrity</h2>');
  s.push('<table><thead><tr><th>source file</th><th class="num">lines</th><th>SHA-256 (at import)</th><th>now</th></tr></thead><tbody>');
  for (const src of d.sources) {
    const status =
      src.status === 'unchanged' ? '<span class="ok">unchanged</span>' : src.status === 'changed' ? '<span class="bad">CHANGED since import</span>' : '<span class="bad">missing</span>';
    s.push(`<tr><td><code>${esc(src.path)}</code><br><span class="muted">${esc(src.format ?? '')} ${esc(src.logType ?? '')}</span></td><td class="num">${esc(src.lines)}</td><td><code>${esc(src.recordedSha256)}</code></td><td>${status}</td></tr>`);
  }
  s.push('</tbody></table>');
  s.push(
    `<p class="muted">This package: ${d.packageFiles.map((p) => `<code>${esc(p)}</code>`).join(', ')}. Their SHA-256 and this report's are in <code>manifest.json</code> and <code>SHA256SUMS</code> (<code>sha256sum -c SHA256SUMS</code>).</p>`,
  );

  s.push(`<h2>Raw log lines (${esc(d.rawTotal)})</h2>`);
  if (d.rawLines.length) {
    s.push('<p class="muted">Lines of the source files whose connection id (Zeek uid, Suricata flow_id) is one of the events, with their line numbers; every line is in <code>raw-lines.jsonl</code> and, per file, in <code>raw/</code>.</p>');
    const byFile = new Map<string, RawLine[]>();
    for (const l of d.rawLines) byFile.set(l.file, [...(byFile.get(l.file) ?? []), l]);
    for (const [file, lines] of byFile) {
      const shown = lines.slice(0, SHOWN_LINES);
      s.push(`<h3><code>${esc(file)}</code> · ${esc(lines.length)} lines${lines.length > shown.length ? `, first ${esc(shown.length)} shown` : ''}</h3>`);
      s.push(`<pre class="raw">${shown.map((l) => `<span class="loc">${esc(`${baseName(l.file)}:${l.line}`)}</span> ${esc(l.text)}`).join('\n')}</pre>`);
    }
  } else {
    s.push('<p class="muted">No raw line could be matched (sources moved, or a pcap source).</p>');
  }

  s.push(`<h2>${esc(f.eventType === 'connection' ? 'Connections' : 'Events')} (${esc(d.eventsTotal)})</h2>`);
  const ev = d.events.slice(0, SHOWN_EVENTS);
  s.push('<table class="events"><thead><tr><th>time (UTC)</th><th>id</th><th>source</th><th>destination</th><th>service</th><th class="num">duration</th><th class="num">out</th><th class="num">in</th><th>state</th></tr></thead><tbody>');
  for (const c of ev) {
    s.push(
      `<tr><td>${esc(c.ts.replace('T', ' ').replace('Z', ''))}</td><td><code>${esc(c.connId ?? '')}</code></td><td>${esc(c.src)}${c.srcPort !== null ? `:${esc(c.srcPort)}` : ''}</td><td>${esc(c.dst)}${c.dstPort !== null ? `:${esc(c.dstPort)}` : ''}</td><td>${esc(c.service ?? '')}</td><td class="num">${esc(formatDuration(c.duration))}</td><td class="num">${esc(formatBytes(c.ipBytesOut ?? c.bytesOut))}</td><td class="num">${esc(formatBytes(c.ipBytesIn ?? c.bytesIn))}</td><td>${esc(c.connState ?? '')}</td></tr>`,
    );
  }
  s.push('</tbody></table>');
  if (d.eventsTotal > ev.length) s.push(`<p class="muted">${esc(ev.length)} of ${esc(d.eventsTotal)} shown; all are in <code>connections.csv</code>.</p>`);
  s.push('</main>\n</body>\n</html>\n');
  return s.join('\n');
}

function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}
