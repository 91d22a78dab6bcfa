// "Mark as expected": puts the finding's traffic on the case's baseline (owner and documented
// purpose required). Baselined findings leave the list at query time, and come back flagged if
// the traffic drifts from what was documented (another period, 10× the volume, a new address).
import { useState, type FormEvent } from 'react';
import type { BaselineAddRequest } from '../../shared/api.js';
import type { BaselineKind, Finding } from '../../shared/types.js';
import { formatPeriod, hostPort } from '../format.js';

export interface ExpectDialogProps {
  finding: Finding;
  busy?: boolean;
  error?: string | null;
  onCancel(): void;
  onSubmit(req: BaselineAddRequest): void;
  /** Asked from the triage control: the engine picks the baseline entry, so only owner and purpose are asked. */
  viaTriage?: boolean;
}

function kindsFor(f: Finding): { kind: BaselineKind; label: string }[] {
  const fleet = f.src === '*';
  const named = f.dstKind !== 'ip';
  const out: { kind: BaselineKind; label: string }[] = [];
  if (!fleet) out.push(named ? { kind: 'src-domain', label: `${f.src} → ${f.dst} (this host, this name)` } : { kind: 'pair', label: `${f.src} → ${f.dst} (this host, this address)` });
  out.push(named ? { kind: 'domain', label: `anyone → ${f.dst} (every host)` } : { kind: 'ip', label: `anyone → ${f.dst} (every host)` });
  return out;
}

export function ExpectDialog({ finding, busy, error, onCancel, onSubmit, viaTriage = false }: ExpectDialogProps) {
  const kinds = kindsFor(finding);
  const [kind, setKind] = useState<BaselineKind>(kinds[0].kind);
  const [owner, setOwner] = useState('');
  const [note, setNote] = useState('');
  const [keepPeriod, setKeepPeriod] = useState(finding.period !== null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({
      kind,
      src: kind === 'pair' || kind === 'src-domain' ? finding.src : null,
      dst: finding.dst,
      owner: owner.trim(),
      note: note.trim(),
      expectedPeriod: keepPeriod && finding.period !== null ? Math.round(finding.period * 1000) / 1000 : null,
    });
  };
  return (
    <div className="modal-backdrop" role="presentation" onClick={onCancel}>
      <form
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="expect-title"
        data-testid="expect-dialog"
        onSubmit={submit}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onCancel()}
      >
        <h2 id="expect-title">Mark as expected</h2>
        <p className="muted">
          {finding.src === '*' ? `${finding.hosts?.length ?? 0} hosts` : finding.src} → {hostPort(finding.dst, finding.port)} leaves the list while its traffic stays as documented.
          {viaTriage ? ' Its triage state becomes expected and the engine puts it on the case baseline.' : ''}
        </p>
        {!viaTriage && (
        <fieldset>
          <legend>Expected for</legend>
          {kinds.map((k) => (
            <label key={k.kind} className="radio">
              <input type="radio" name="kind" value={k.kind} checked={kind === k.kind} onChange={() => setKind(k.kind)} />
              <span>{k.label}</span>
            </label>
          ))}
        </fieldset>
        )}
        <label className="field">
          <span>Owner (who vouches for it)</span>
          <input data-testid="expect-owner" value={owner} onChange={(e) => setOwner(e.target.value)} required maxLength={200} autoFocus placeholder="e.g. IT ops — Dana" />
        </label>
        <label className="field">
          <span>Documented purpose</span>
          <textarea data-testid="expect-note" value={note} onChange={(e) => setNote(e.target.value)} required maxLength={2000} rows={3} placeholder="e.g. backup agent checks in every minute (ticket OPS-123)" />
        </label>
        {finding.period !== null && !viaTriage && (
          <label className="checkbox">
            <input type="checkbox" checked={keepPeriod} onChange={(e) => setKeepPeriod(e.target.checked)} />
            <span>Expect period {formatPeriod(finding.period)} (bring it back if the rhythm changes by more than 25 %)</span>
          </label>
        )}
        {error && (
          <div className="error-banner" role="alert">
            {error}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn primary" data-testid="expect-submit" disabled={busy || !owner.trim() || !note.trim()}>
            {busy ? 'Saving…' : 'Mark expected'}
          </button>
        </div>
      </form>
    </div>
  );
}
