// Renders scan and import results for the terminal (table) and for other tools (json, csv).
// JSON is one object on stdout; BIGINTs were converted to numbers (or strings) by the engine.
import { formatBytes, formatDuration, formatScore } from '../../shared/format.js';
import type { Finding, ImportReport, ScanResult } from '../../shared/types.js';

export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v), 2);
}

function pad(s: string, n: number, right = false): string {
  const t = s.length > n ? `${s.slice(0, n - 1)}…` : s;
  return right ? t.padStart(n) : t.padEnd(n);
}

/** Terminal control characters in log content must not reach the terminal raw. */
export function safeText(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Destination with its port; a long name is shortened in the middle so the port stays. */
function dstText(f: Finding, width = 30): string {
  const port = f.port ?? f.dstPorts?.[0]?.port;
  if (port === undefined || port === null) return f.dst;
  const suffix = `:${port}`;
  let name = f.dst.includes(':') ? `[${f.dst}]` : f.dst;
  const room = width - suffix.length;
  if (name.length > room) name = `${name.slice(0, Math.ceil((room - 1) / 2))}…${name.slice(name.length - Math.floor((room - 1) / 2))}`;
  return `${name}${suffix}`;
}

export function scanTable(r: ScanResult, shown: Finding[]): string {
  const head = `${pad('#', 4, true)}  ${pad('score', 6)} ${pad('category', 15)} ${pad('source', 24)} ${pad('destination', 30)} ${pad('period', 9, true)} ${pad('conns', 7, true)} ${pad('checkins', 8, true)} ${pad('bytes out', 10, true)}  why`;
  const lines = [head, '-'.repeat(head.length + 20)];
  shown.forEach((f, i) => {
    lines.push(
      `${pad(String(i + 1), 4, true)}  ${pad(formatScore(f.score), 6)} ${pad(f.category, 15)} ${pad(safeText(f.src), 24)} ${pad(safeText(dstText(f)), 30)} ${pad(formatDuration(f.period), 9, true)} ${pad(String(f.connections), 7, true)} ${pad(String(f.checkins), 8, true)} ${pad(formatBytes(f.bytesOut), 10, true)}  ${safeText(f.reasons[0]?.text ?? '')}`,
    );
  });
  const s = r.summary;
  lines.push('');
  lines.push(
    `${s.connections} conn records, ${s.pairs} (source, destination IP) pairs; ${r.findings.length} findings${shown.length < r.findings.length ? ` (${shown.length} shown; --top N or --format json for more)` : ''}; ${s.start ?? '–'} → ${s.end ?? '–'}`,
  );
  return lines.join('\n');
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : String(v);
  // Spreadsheet formula injection: log-derived text starting with = + - @ is neutralised.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = [
  'id', 'category', 'src', 'dst', 'dstKind', 'port', 'proto', 'direction', 'eventType', 'connections',
  'checkins', 'period', 'score', 'firstSeen', 'lastSeen', 'bytesOut', 'bytesIn', 'reasons',
] as const;

export function scanCsv(findings: Finding[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const f of findings) {
    rows.push(
      CSV_COLUMNS.map((c) =>
        c === 'reasons' ? csvCell(f.reasons.map((r) => r.text).join(' | ')) : csvCell((f as unknown as Record<string, unknown>)[c]),
      ).join(','),
    );
  }
  return rows.join('\n');
}

export function importTable(r: ImportReport): string {
  const lines: string[] = [];
  for (const f of r.files) {
    const status = f.skipped ? 'skipped' : f.format ? `${f.rows} rows` : 'refused';
    lines.push(`${safeText(f.path)}`);
    lines.push(`  ${f.format ?? '-'} ${f.logType ?? ''}  ${status}${f.rejected ? `, ${f.rejected} rejected` : ''}${f.start ? `  ${f.start} → ${f.end}` : ''}`);
    if (f.how) lines.push(`  read as: ${safeText(f.how)}`);
    if (f.reason) lines.push(`  reason: ${safeText(f.reason)}`);
    for (const e of f.errors) lines.push(`  line ${e.line}: ${safeText(e.reason)}`);
    if (f.rejected > f.errors.length) lines.push(`  … and ${f.rejected - f.errors.length} more rejected lines`);
    for (const w of f.warnings) lines.push(`  note: ${safeText(w)}`);
  }
  const t = r.tables;
  lines.push('');
  lines.push(`tables: connections ${t.connections}, dns ${t.dns}, http ${t.http}, tls ${t.tls}, alerts ${t.alerts}`);
  return lines.join('\n');
}

/** One stderr line per file that had problems, so a scan still says what it could not read. */
export function importWarnings(r: ImportReport): string[] {
  const out: string[] = [];
  for (const f of r.files) {
    if (f.reason && !f.skipped) out.push(`${safeText(f.path)}: ${safeText(f.reason)}`);
    else if (f.skipped) out.push(`${safeText(f.path)}: skipped, ${safeText(f.reason ?? '')}`);
    if (f.rejected) {
      const first = f.errors.map((e) => `line ${e.line}: ${safeText(e.reason)}`).join('; ');
      out.push(`${safeText(f.path)}: ${f.rejected} malformed line${f.rejected > 1 ? 's' : ''} rejected (${first}${f.rejected > f.errors.length ? '; …' : ''})`);
    }
  }
  return out;
}
