// Evidence package of one finding (`exportEvidence`): the engine writes a folder on its own
// machine (report.html, the raw lines, CSV, SHA-256 manifest). In browser mode the engine runs on
// this computer (127.0.0.1), so the folder is asked as a path, with a fresh one under the usual
// temp folder as the default; the answer says where it went and lists every file with its hash.
import { useState, type FormEvent } from 'react';
import type { EvidencePackage, Finding } from '../../shared/types.js';
import type { AppTransport } from '../transport.js';
import { formatBytes, formatInt } from '../format.js';
import { message } from '../ui/useAsync.js';
import { SafeText } from '../ui/SafeText.js';

/** A fresh folder under the OS temp dir (the engine offers no default folder of its own). */
export function defaultEvidenceFolder(id: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const windows = typeof navigator !== 'undefined' && /Windows/i.test(navigator.userAgent);
  return windows ? `C:\\Temp\\metronome-evidence-${id}-${stamp}` : `/tmp/metronome-evidence-${id}-${stamp}`;
}

export function EvidencePanel({ transport, finding, onClose, onExported }: { transport: AppTransport; finding: Finding; onClose(): void; onExported?(pkg: EvidencePackage): void }) {
  const [out, setOut] = useState(() => defaultEvidenceFolder(finding.id));
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pkg, setPkg] = useState<EvidencePackage | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await transport.invoke('exportEvidence', { id: finding.id, out: out.trim(), ...(force ? { force } : {}) });
      setPkg(res);
      onExported?.(res);
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  const sep = pkg && pkg.dir.includes('\\') && !pkg.dir.includes('/') ? '\\' : '/';
  return (
    <div className="evidence-panel" data-testid="evidence-panel">
      <form className="evidence-form" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <label className="field grow">
          <span>Folder on the engine machine (created; must be new or hold an older package)</span>
          <input data-testid="evidence-out" value={out} onChange={(e) => setOut(e.target.value)} spellCheck={false} maxLength={4000} />
        </label>
        <label className="checkbox small" title="Replace an evidence package already in that folder">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
          <span>replace an older package</span>
        </label>
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
        <button type="submit" className="btn primary" data-testid="evidence-export" disabled={busy || !out.trim()}>
          {busy ? 'Writing…' : 'Write package'}
        </button>
      </form>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      {pkg && (
        <div className="evidence-result" data-testid="evidence-result">
          <p>
            Written to <code data-testid="evidence-dir">{pkg.dir}</code> · {formatInt(pkg.events)} events · {formatInt(pkg.rawLines)} raw log lines
          </p>
          <table className="mini-table" data-testid="evidence-files">
            <thead>
              <tr>
                <th scope="col">file</th>
                <th scope="col" className="num">size</th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {pkg.files.map((f) => (
                <tr key={f.path} data-testid="evidence-file">
                  <td className="mono">{f.path}</td>
                  <td className="num">{formatBytes(f.bytes)}</td>
                  <td className="mono hash" title={f.sha256}>
                    {f.sha256.slice(0, 16)}…
                  </td>
                </tr>
              ))}
              <tr data-testid="evidence-file">
                <td className="mono">manifest.json</td>
                <td className="num muted">—</td>
                <td className="muted">hashes of every file above and of the sources</td>
              </tr>
            </tbody>
          </table>
          <p className="muted small">
            Open <code>{`${pkg.dir}${sep}report.html`}</code> in a browser; check the files with <code>sha256sum -c SHA256SUMS</code>.
          </p>
          {pkg.sources.length > 0 && (
            <ul className="plain-list small">
              {pkg.sources.map((s) => (
                <li key={s.path} className={s.status === 'unchanged' ? '' : 'warn'}>
                  source <SafeText value={s.path} max={100} /> · {s.status === 'unchanged' ? 'unchanged since import (SHA-256 verified)' : s.status === 'changed' ? 'CHANGED since import' : 'missing now'} · {formatInt(s.lines)} lines
                </li>
              ))}
            </ul>
          )}
          {pkg.warnings.length > 0 && (
            <ul className="plain-list small warn">
              {pkg.warnings.map((w, i) => (
                <li key={i}>
                  <SafeText value={w} max={300} />
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
