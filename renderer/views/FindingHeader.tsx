// The head of a finding's detail: category, source → destination, and the key facts.
import type { Finding } from '../../shared/types.js';
import { categoryLabel, formatBytes, formatInt, formatPercent, formatPeriod, formatScore, formatSpan, hostPort, scoreColor, sourceLabel } from '../format.js';
import { isExpected } from '../findings.js';

export function FindingHeader({ finding, children, stacked = false }: { finding: Finding; children?: React.ReactNode; stacked?: boolean }) {
  const f = finding;
  const full = `${f.src === '*' ? (f.hosts ?? []).join(', ') : f.src} → ${hostPort(f.dst, f.port)}${f.proto ? `/${f.proto}` : ''}`;
  return (
    <div className={`detail-head${stacked ? ' stacked' : ''}`}>
      <div className="head-line">
        <span className={`badge cat-${f.category}`}>{categoryLabel(f.category)}</span>
        {f.baseline && <span className={`tag ${isExpected(f) ? 'tag-expected' : 'tag-drift'}`}>{isExpected(f) ? 'expected' : 'drifted from baseline'}</span>}
        <h2 className="pair" title={full} data-testid="detail-pair">
          <span className="addr">{sourceLabel(f)}</span>
          <span className="arrow" aria-hidden="true">
            →
          </span>
          <span className="addr">{hostPort(f.dst, f.port)}</span>
          {f.proto && <span className="proto">/{f.proto}</span>}
        </h2>
        {stacked && children}
      </div>
      <dl className="facts">
        <div>
          <dt>score</dt>
          <dd>
            <span className="score-chip" style={{ borderColor: scoreColor(f.score), color: scoreColor(f.score) }}>
              {formatScore(f.score)}
            </span>
          </dd>
        </div>
        <div>
          <dt>period</dt>
          <dd>{formatPeriod(f.period)}</dd>
        </div>
        <div>
          <dt>{f.eventType === 'connection' ? 'conns' : f.eventType === 'http' ? 'requests' : 'lookups'}</dt>
          <dd>{formatInt(f.connections)}</dd>
        </div>
        <div>
          <dt>check-ins</dt>
          <dd>{formatInt(f.checkins)}</dd>
        </div>
        <div>
          <dt>bytes out</dt>
          <dd>{formatBytes(f.bytesOut)}</dd>
        </div>
        <div>
          <dt>span</dt>
          <dd>{formatSpan(f.firstSeen, f.lastSeen)}</dd>
        </div>
        <div title="Share of internal hosts that talk to this destination">
          <dt>prevalence</dt>
          <dd>{formatPercent(f.prevalence)}</dd>
        </div>
      </dl>
      {!stacked && children}
    </div>
  );
}
