// Why a finding scored as it did: each signed piece of evidence with its sentence, largest first.
import type { Reason } from '../../shared/types.js';
import { formatContribution } from '../format.js';

export interface ReasonsProps {
  reasons: Reason[];
}

export function Reasons({ reasons }: ReasonsProps) {
  if (reasons.length === 0) {
    return <p className="muted reasons-empty">No evidence recorded for this finding.</p>;
  }
  const maxAbs = Math.max(...reasons.map((r) => Math.abs(r.contribution)), 1e-9);
  return (
    <ol className="reasons" data-testid="reasons">
      {reasons.map((r, i) => {
        const sign = r.contribution > 0 ? 'pos' : r.contribution < 0 ? 'neg' : 'zero';
        const frac = Math.min(1, Math.abs(r.contribution) / maxAbs);
        return (
          <li key={`${r.feature}-${i}`} className={`reason ${sign}`}>
            <div className="reason-head">
              <span className="reason-feature" title={r.feature}>
                {r.feature}
              </span>
              <span className="reason-bar" aria-hidden="true">
                <span className="reason-bar-fill" style={{ width: `${frac * 100}%` }} />
              </span>
              <span
                className="reason-contribution"
                title={`${r.contribution > 0 ? 'raises' : r.contribution < 0 ? 'lowers' : 'does not change'} the score (${r.contribution})`}
              >
                {formatContribution(r.contribution)}
              </span>
            </div>
            <p className="reason-text">{r.text}</p>
          </li>
        );
      })}
    </ol>
  );
}
