// Triage of one finding: its state (new, investigating, escalated, expected, closed), business
// owner and notes, changed through `triageSet`, with every change listed from `triageHistory`.
// Choosing "expected" asks for the owner and the documented purpose (ExpectDialog); the engine
// then puts the traffic on the baseline, so the finding leaves the default list.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Finding, TriageRecord, TriageState } from '../../shared/types.js';
import type { AppTransport } from '../transport.js';
import { formatTime } from '../format.js';
import { TRIAGE_STATES } from '../findings.js';
import { current, message, useAsync } from '../ui/useAsync.js';
import { SafeText } from '../ui/SafeText.js';
import { ExpectDialog } from './ExpectDialog.js';
import { TriageBadge } from './TriageBadge.js';

export interface TriagePanelProps {
  transport: AppTransport;
  finding: Finding;
  onChanged(rec: TriageRecord): void;
  onClose(): void;
}

export function TriagePanel({ transport, finding, onChanged, onClose }: TriagePanelProps) {
  const id = finding.id;
  const [recLoad, reloadRec] = useAsync(() => transport.invoke('triageGet', { id }), [transport, id]);
  const [histLoad, reloadHist] = useAsync(() => transport.invoke('triageHistory', { id }), [transport, id]);
  const rec = current(recLoad);
  const history = current(histLoad) ?? [];
  const [state, setState] = useState<TriageState>(finding.triage?.state ?? 'new');
  const [owner, setOwner] = useState(finding.triage?.owner ?? '');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [askExpected, setAskExpected] = useState(false);
  // The stored record fills the form when it arrives, unless the analyst has already started
  // editing: a slow answer must not overwrite a state they just picked.
  const touched = useRef(false);
  useEffect(() => {
    if (!rec || touched.current) return;
    setState(rec.state);
    setOwner(rec.owner ?? '');
  }, [rec]);

  const apply = async (req: { state?: TriageState; owner?: string; note?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const out = await transport.invoke('triageSet', { id, ...req });
      setNote('');
      // Saved: the stored record speaks for the form again.
      touched.current = false;
      reloadRec();
      reloadHist();
      onChanged(out);
      return true;
    } catch (e) {
      setError(message(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const was = rec?.state ?? finding.triage?.state ?? 'new';
  const wasOwner = rec?.owner ?? '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (state === 'expected' && was !== 'expected') {
      setAskExpected(true);
      return;
    }
    const req: { state?: TriageState; owner?: string; note?: string } = {};
    if (state !== was) req.state = state;
    if (owner.trim() && owner.trim() !== wasOwner) req.owner = owner.trim();
    if (note.trim()) req.note = note.trim();
    if (!req.state && !req.owner && !req.note) {
      setError('Nothing changed: choose another state, an owner or write a note.');
      return;
    }
    void apply(req);
  };

  return (
    <div className="triage-panel" data-testid="triage-panel">
      <form className="triage-form" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && !askExpected && onClose()}>
        <div className="triage-row">
          <label className="field">
            <span>State</span>
            <select
              data-testid="triage-state"
              value={state}
              onChange={(e) => {
                const v = e.target.value as TriageState;
                touched.current = true;
                setState(v);
                if (v === 'expected' && was !== 'expected') setAskExpected(true);
              }}
            >
              {TRIAGE_STATES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="field grow">
            <span>Owner</span>
            <input data-testid="triage-owner" value={owner} onChange={(e) => {
                touched.current = true;
                setOwner(e.target.value);
              }} maxLength={200} placeholder="who handles it, e.g. SOC — Ana" />
          </label>
        </div>
        <label className="field">
          <span>Note</span>
          <textarea data-testid="triage-note" value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={4000} placeholder="what you checked, what comes next" />
        </label>
        {error && (
          <div className="error-banner" role="alert">
            {error}
          </div>
        )}
        <div className="modal-actions">
          <span className="muted small triage-now">
            now <TriageBadge state={was} />
            {wasOwner ? <> · owner <SafeText value={wasOwner} max={60} /></> : null}
          </span>
          <span className="spacer" />
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="btn primary" data-testid="triage-save" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
      <div className="triage-history">
        <h3 className="subhead">History</h3>
        {histLoad.state === 'error' && (
          <div className="error-banner" role="alert">
            Could not load the history: {histLoad.message}
          </div>
        )}
        {history.length === 0 ? (
          <p className="muted small">{histLoad.state === 'loading' ? 'Loading…' : 'Never triaged: the state is new.'}</p>
        ) : (
          <ol className="history-list" data-testid="triage-history">
            {[...history].reverse().map((h, i) => (
              <li key={`${h.at}-${i}`} data-testid="triage-change">
                <span className="time">{formatTime(h.at)} UTC</span>
                {h.by ? <span className="muted"> · <SafeText value={h.by} max={60} /></span> : null}
                <span className="change">
                  {' '}
                  {h.fromState && h.fromState !== h.toState ? (
                    <>
                      <TriageBadge state={h.fromState} /> → <TriageBadge state={h.toState} />
                    </>
                  ) : (
                    <TriageBadge state={h.toState} />
                  )}
                </span>
                {h.owner ? <span className="muted"> · owner <SafeText value={h.owner} max={80} /></span> : null}
                {h.baselineId ? <span className="muted"> · on the baseline</span> : null}
                {h.note ? (
                  <div className="history-note">
                    <SafeText value={h.note} max={400} />
                  </div>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </div>
      {askExpected && (
        <ExpectDialog
          finding={finding}
          viaTriage
          busy={busy}
          error={error}
          onCancel={() => {
            setAskExpected(false);
            setState(was);
            setError(null);
          }}
          onSubmit={(req) => {
            void apply({ state: 'expected', owner: req.owner, note: req.note }).then((ok) => ok && setAskExpected(false));
          }}
        />
      )}
    </div>
  );
}
