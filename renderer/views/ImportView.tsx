// Import: open files or folders (native dialog in the desktop app; in browser mode a path field
// for paths on the engine machine, and drag-and-drop upload), a progress bar with rows and bytes,
// the per-file summary and every rejected line at the end; open / save a case, recent cases.
import { useState, type DragEvent, type FormEvent } from 'react';
import type { StatusResponse } from '../../shared/api.js';
import type { FileReport, LineError, RecentCase } from '../../shared/types.js';
import type { AppTransport } from '../transport.js';
import type { ImportRun } from '../importer.js';
import { formatBytes, formatInt, formatSpan, formatTime } from '../format.js';
import { message } from '../ui/useAsync.js';
import { SafeText } from '../ui/SafeText.js';

export interface ImportViewProps {
  transport: AppTransport;
  run: ImportRun;
  busy: boolean;
  status: StatusResponse | undefined;
  caseName: string;
  recent: RecentCase[];
  onImportPaths(paths: string[]): void;
  onUpload(files: File[]): void;
  onOpenCase(path: string): Promise<void>;
  onSaveCase(path: string): Promise<void>;
}

function Progress({ run }: { run: ImportRun }) {
  if (run.phase === 'uploading' && run.upload) {
    const u = run.upload;
    const frac = u.total ? u.sent / u.total : 0;
    return (
      <div className="progress-box" data-testid="import-progress">
        <div className="progress-label">
          Uploading {u.index + 1} of {u.count}: <SafeText value={u.name} max={60} /> · {formatBytes(u.sent)} of {formatBytes(u.total)}
        </div>
        <progress max={1} value={frac} />
      </div>
    );
  }
  if (run.phase === 'importing') {
    const p = run.status?.progress;
    const fileFrac = p && p.bytesTotal ? p.bytesRead / p.bytesTotal : 0;
    const frac = p ? (p.fileIndex + fileFrac) / Math.max(1, p.fileCount) : 0;
    return (
      <div className="progress-box" data-testid="import-progress">
        <div className="progress-label">
          {p ? (
            <>
              File {p.fileIndex + 1} of {p.fileCount}: <SafeText value={p.path} max={70} /> · {formatBytes(p.bytesRead)} of {formatBytes(p.bytesTotal)} ·{' '}
              <strong>{formatInt(p.rows)}</strong> rows
              {p.bytesTotal > 0 && p.bytesRead >= p.bytesTotal ? ' · merging into the case…' : ''}
            </>
          ) : (
            'Reading the file list…'
          )}
        </div>
        <progress max={1} value={frac} />
      </div>
    );
  }
  if (run.phase === 'error') {
    return (
      <div className="error-banner" role="alert" data-testid="import-error">
        {run.error}
      </div>
    );
  }
  return null;
}

function FileRow({ transport, f }: { transport: AppTransport; f: FileReport }) {
  const [open, setOpen] = useState(false);
  const [lines, setLines] = useState<{ total: number; errors: LineError[] } | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const toggle = async () => {
    setOpen(!open);
    if (!open && !lines) {
      try {
        setLines(await transport.invoke('fileRejects', { path: f.path, limit: 500 }));
      } catch (e) {
        setErr(message(e));
      }
    }
  };
  const state = f.reason ? (f.skipped ? 'skipped' : 'refused') : 'loaded';
  return (
    <>
      <tr data-testid="import-file" className={`file-${state}`}>
        <td className="addr">
          <SafeText value={f.path} max={70} />
        </td>
        <td>{f.format ?? '—'}</td>
        <td>{f.logType ?? '—'}</td>
        <td className="num">{formatInt(f.rows)}</td>
        <td className="num">
          {f.rejected > 0 ? (
            <button type="button" className="linkish" onClick={toggle} aria-expanded={open} data-testid="rejects-toggle">
              {formatInt(f.rejected)} {open ? '▾' : '▸'}
            </button>
          ) : (
            '0'
          )}
        </td>
        <td className="num">{formatBytes(f.bytes)}</td>
        <td className="time">{f.start ? `${formatTime(f.start)} · ${formatSpan(f.start, f.end)}` : '—'}</td>
        <td>
          <span className={`tag ${state === 'loaded' ? 'tag-listed' : state === 'skipped' ? 'tag-below' : 'tag-drift'}`}>{state}</span>
          {f.reason && <span className="muted small"> {f.reason}</span>}
          {f.warnings.map((w, i) => (
            <div key={i} className="muted small">
              <SafeText value={w} max={100} />
            </div>
          ))}
        </td>
      </tr>
      {open && (
        <tr className="rejects-row">
          <td colSpan={8}>
            {err && <div className="error-banner">{err}</div>}
            {!lines && !err && <span className="muted">Loading rejected lines…</span>}
            {lines && (
              <div className="rejects" data-testid="rejects">
                <div className="muted small">
                  {formatInt(lines.total)} rejected line{lines.total === 1 ? '' : 's'}
                  {lines.total > lines.errors.length ? `, first ${formatInt(lines.errors.length)} shown` : ''}
                </div>
                <ol>
                  {lines.errors.map((e) => (
                    <li key={e.line}>
                      <span className="line-no">line {formatInt(e.line)}</span> <SafeText value={e.reason} max={140} />
                    </li>
                  ))}
                </ol>
              </div>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

export function ImportView(p: ImportViewProps) {
  const [paths, setPaths] = useState('');
  const [casePath, setCasePath] = useState('');
  const [drag, setDrag] = useState(false);
  const [caseBusy, setCaseBusy] = useState(false);
  const [caseMsg, setCaseMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const desktop = p.transport.mode === 'desktop';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const list = paths.split('\n').map((s) => s.trim()).filter(Boolean);
    if (list.length) p.onImportPaths(list);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDrag(false);
    const files = Array.from(e.dataTransfer.files).filter((f) => f.size > 0 || f.type !== '');
    if (files.length) p.onUpload(files);
  };
  const pick = async (folders: boolean) => {
    const r = await p.transport.shell?.('shell:pickLogs', { folders });
    if (r?.paths.length) p.onImportPaths(r.paths);
  };
  const caseAction = async (kind: 'open' | 'save', path: string) => {
    if (!path) return;
    setCaseBusy(true);
    setCaseMsg(null);
    try {
      if (kind === 'open') await p.onOpenCase(path);
      else await p.onSaveCase(path);
      setCaseMsg({ ok: true, text: kind === 'open' ? `Opened ${path}` : `Saved to ${path}` });
    } catch (e) {
      setCaseMsg({ ok: false, text: message(e) });
    } finally {
      setCaseBusy(false);
    }
  };
  const pickCase = async (save: boolean) => {
    const r = await p.transport.shell?.('shell:pickCase', { save });
    if (r?.path) await caseAction(save ? 'save' : 'open', r.path);
  };
  const report = p.run.phase === 'done' ? p.run.report : undefined;
  const loaded = p.status?.files ?? [];

  return (
    <div className="import-view">
      <section className="panel import-panel">
        <div className="panel-head">
          <h2>Open logs</h2>
          <span className="muted">Zeek (TSV or JSON, plain or gzip), Suricata eve.json, pcap — files or whole folders</span>
        </div>
        <div className="import-body">
          {desktop && (
            <div className="row">
              <button type="button" className="btn primary" disabled={p.busy} onClick={() => void pick(false)}>
                Open files…
              </button>
              <button type="button" className="btn" disabled={p.busy} onClick={() => void pick(true)}>
                Open folder…
              </button>
            </div>
          )}
          <form className="path-form" onSubmit={submit}>
            <label className="field grow">
              <span>{desktop ? 'Or type paths' : 'Paths on the engine machine'} (one per line; folders are read recursively)</span>
              <textarea
                data-testid="import-paths"
                rows={3}
                value={paths}
                onChange={(e) => setPaths(e.target.value)}
                placeholder={'/var/log/zeek/2025-05-06/\n/cases/acme/eve.json.gz'}
                spellCheck={false}
              />
            </label>
            <button type="submit" className="btn primary" data-testid="import-go" disabled={p.busy || !paths.trim()}>
              {p.busy ? 'Importing…' : 'Import'}
            </button>
          </form>
          {!desktop && p.transport.upload && (
            <div
              className={`drop-zone${drag ? ' over' : ''}`}
              data-testid="drop-zone"
              onDragOver={(e) => {
                e.preventDefault();
                setDrag(true);
              }}
              onDragLeave={() => setDrag(false)}
              onDrop={onDrop}
            >
              <span>Drop log files here to upload them to the engine (127.0.0.1 only, this session's token)</span>
              <label className="btn">
                Choose files…
                <input
                  type="file"
                  multiple
                  className="sr-only"
                  data-testid="upload-input"
                  onChange={(e) => {
                    const files = Array.from(e.target.files ?? []);
                    e.target.value = '';
                    if (files.length) p.onUpload(files);
                  }}
                />
              </label>
            </div>
          )}
          <Progress run={p.run} />
        </div>
      </section>

      {report && (
        <section className="panel" data-testid="import-report">
          <div className="panel-head">
            <h2>Import finished</h2>
            <span className="muted">
              {formatInt(report.files.length)} file{report.files.length === 1 ? '' : 's'} · {formatInt(report.files.reduce((a, f) => a + f.rows, 0))} rows added ·{' '}
              {formatInt(report.files.reduce((a, f) => a + f.rejected, 0))} lines rejected
              {p.run.elapsedMs !== undefined ? ` · ${(p.run.elapsedMs / 1000).toFixed(1)} s` : ''} · case now: {formatInt(report.tables.connections)} connections,{' '}
              {formatInt(report.tables.dns)} DNS, {formatInt(report.tables.http)} HTTP, {formatInt(report.tables.tls)} TLS, {formatInt(report.tables.alerts)} alerts
            </span>
          </div>
          <FileTable transport={p.transport} files={report.files} />
        </section>
      )}

      <section className="panel case-panel">
        <div className="panel-head">
          <h2>Case</h2>
          <span className="muted" data-testid="case-name">
            <SafeText value={p.caseName} max={80} />
          </span>
          {p.status && (
            <span className="muted">
              {formatInt(p.status.tables.connections)} connections · {formatInt(p.status.tables.dns)} DNS · {formatInt(p.status.tables.http)} HTTP ·{' '}
              {formatInt(p.status.tables.tls)} TLS · {formatInt(p.status.tables.alerts)} alerts
            </span>
          )}
        </div>
        <div className="import-body">
          {desktop && (
            <div className="row">
              <button type="button" className="btn" disabled={caseBusy} onClick={() => void pickCase(false)}>
                Open case…
              </button>
              <button type="button" className="btn" disabled={caseBusy} onClick={() => void pickCase(true)}>
                Save case as…
              </button>
            </div>
          )}
          <div className="row">
            <input
              className="grow"
              data-testid="case-path"
              placeholder="/cases/acme-2025-05.metronome.duckdb"
              value={casePath}
              onChange={(e) => setCasePath(e.target.value)}
              spellCheck={false}
            />
            <button type="button" className="btn" data-testid="case-save" disabled={caseBusy || !casePath.trim()} onClick={() => void caseAction('save', casePath.trim())}>
              Save case to this file
            </button>
            <button type="button" className="btn" data-testid="case-open" disabled={caseBusy || !casePath.trim()} onClick={() => void caseAction('open', casePath.trim())}>
              Open this case
            </button>
          </div>
          {caseMsg && (
            <div className={caseMsg.ok ? 'ok-banner' : 'error-banner'} role="status" data-testid="case-message">
              <SafeText value={caseMsg.text} max={200} />
            </div>
          )}
          {p.recent.length > 0 && (
            <div className="recent">
              <h3 className="subhead">Recent cases</h3>
              <ul data-testid="recent-cases">
                {p.recent.map((r) => (
                  <li key={r.path}>
                    <button type="button" className="linkish" disabled={caseBusy} onClick={() => void caseAction('open', r.path)} title={`Open ${r.path}`}>
                      <SafeText value={r.path} max={90} />
                    </button>
                    <span className="muted small"> {formatTime(r.openedAt)} UTC</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {loaded.length > 0 && (
            <>
              <h3 className="subhead">Files in this case</h3>
              <FileTable transport={p.transport} files={loaded} />
            </>
          )}
        </div>
      </section>
    </div>
  );
}

function FileTable({ transport, files }: { transport: AppTransport; files: FileReport[] }) {
  return (
    <div className="records-scroll">
      <table className="records-table files-table">
        <thead>
          <tr>
            <th>file</th>
            <th>format</th>
            <th>log</th>
            <th className="num">rows</th>
            <th className="num">rejected</th>
            <th className="num">size</th>
            <th>span (UTC)</th>
            <th>status</th>
          </tr>
        </thead>
        <tbody>
          {files.map((f, i) => (
            <FileRow key={`${f.path}-${i}`} transport={transport} f={f} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
