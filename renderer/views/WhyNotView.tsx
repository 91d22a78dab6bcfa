// "Why not?": search any host, pair ("10.0.0.5 → evil.example"), range (CIDR) or name and see
// every matching finding's full score breakdown, whatever its score, marked expected or not, and
// the matching traffic that was never scored, with the reason. Below: raw records filtered by
// host, IP, CIDR, port, time range and text.
import { useState, type FormEvent } from 'react';
import type { Explanation, Finding, RecordKind, RecordPage } from '../../shared/types.js';
import type { SearchRecordsRequest } from '../../shared/api.js';
import type { AppTransport } from '../transport.js';
import { categoryLabel, formatInt, formatPeriod, formatScore, formatTime, hostPort, sourceLabel } from '../format.js';
import { isExpected } from '../findings.js';
import { Breakdown } from '../charts/Breakdown.js';
import { ChartFrame } from '../charts/ChartFrame.js';
import { message } from '../ui/useAsync.js';
import { slug } from '../ui/download.js';
import { SafeText } from '../ui/SafeText.js';
import { Reasons } from './Reasons.js';
import { RecordsTable } from './RecordsTable.js';

export interface WhyNotViewProps {
  transport: AppTransport;
  minScore: number;
  onOpen(id: string): void;
  initialQuery?: string;
}

function status(f: Finding, minScore: number): { label: string; cls: string } {
  if (isExpected(f)) return { label: `marked expected by ${f.baseline!.owner}`, cls: 'tag-expected' };
  if (f.baseline) return { label: 'drifted from its baseline entry: listed', cls: 'tag-drift' };
  if (f.score < minScore) return { label: `below your score filter (${minScore.toFixed(2)})`, cls: 'tag-below' };
  return { label: 'listed in Findings', cls: 'tag-listed' };
}

const RECORD_KINDS: RecordKind[] = ['connections', 'dns', 'http', 'tls', 'alerts'];
const PAGE = 100;

/** "2025-05-06T10:00" (datetime-local, read as UTC) → epoch ms. */
function utcInput(v: string): number | undefined {
  if (!v) return undefined;
  const ms = Date.parse(`${v}${v.length === 16 ? ':00' : ''}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

export function WhyNotView({ transport, minScore, onOpen, initialQuery = '' }: WhyNotViewProps) {
  const [query, setQuery] = useState(initialQuery);
  const [result, setResult] = useState<Explanation | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const [kind, setKind] = useState<RecordKind>('connections');
  const [filter, setFilter] = useState({ ip: '', cidr: '', port: '', from: '', to: '', text: '' });
  const [records, setRecords] = useState<RecordPage | undefined>();
  const [recBusy, setRecBusy] = useState(false);
  const [recError, setRecError] = useState<string | null>(null);

  const explain = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!query.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await transport.invoke('explain', { query: query.trim() }));
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const search = async (offset = 0, k = kind) => {
    const req: SearchRecordsRequest = { kind: k, limit: PAGE, offset };
    if (filter.ip.trim()) req.ip = filter.ip.trim();
    if (filter.cidr.trim()) req.cidr = filter.cidr.trim();
    if (filter.port.trim()) req.port = Number(filter.port);
    const from = utcInput(filter.from);
    const to = utcInput(filter.to);
    if (from !== undefined) req.from = from;
    if (to !== undefined) req.to = to;
    if (filter.text.trim()) req.text = filter.text.trim();
    setRecBusy(true);
    setRecError(null);
    try {
      setRecords(await transport.invoke('searchRecords', req));
    } catch (err) {
      setRecError(message(err));
    } finally {
      setRecBusy(false);
    }
  };

  return (
    <div className="whynot-view">
      <section className="panel">
        <form className="panel-head search-bar" onSubmit={explain}>
          <h2>Why not?</h2>
          <input
            type="search"
            className="grow"
            data-testid="whynot-query"
            placeholder="a host (10.0.0.5), a pair (10.0.0.5 → evil.example), a range (10.0.0.0/24) or a name"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            maxLength={300}
          />
          <button type="submit" className="btn primary" data-testid="whynot-go" disabled={busy || !query.trim()}>
            {busy ? 'Looking…' : 'Explain'}
          </button>
        </form>
        {error && (
          <div className="error-banner" role="alert">
            {error}
          </div>
        )}
        {!result && !error && (
          <p className="placeholder">
            Every scored key is kept, whatever its score: search here to see why something is ranked low, hidden as expected, or not scored at all.
          </p>
        )}
        {result && (
          <div className="whynot-results" data-testid="whynot-results">
            <p className="summary">
              Read as <strong>{result.kind === 'cidr' ? 'a range' : result.kind === 'pair' ? 'a pair' : result.kind === 'ip' ? 'an address' : 'a name'}</strong>:{' '}
              <span data-testid="whynot-count">{formatInt(result.findings.length)}</span> finding{result.findings.length === 1 ? '' : 's'} ·{' '}
              {formatInt(result.events)} events in the scanned stream · {formatInt(result.unscored.length)} key{result.unscored.length === 1 ? '' : 's'} without a finding
            </p>
            {result.findings.map((f) => {
              const st = status(f, minScore);
              return (
                <article key={f.id} className="whynot-card" data-testid="whynot-finding" data-finding-id={f.id}>
                  <header>
                    <span className={`badge cat-${f.category}`}>{categoryLabel(f.category)}</span>
                    <strong className="addr">
                      {sourceLabel(f)} → {hostPort(f.dst, f.port)}
                    </strong>
                    <span>score {formatScore(f.score)}</span>
                    <span className="muted">period {formatPeriod(f.period)}</span>
                    <span className="muted">
                      {formatInt(f.connections)} events · {formatTime(f.firstSeen)} – {formatTime(f.lastSeen)} UTC
                    </span>
                    <span className={`tag ${st.cls}`}>{st.label}</span>
                    <span className="spacer" />
                    <button type="button" className="btn" onClick={() => onOpen(f.id)}>
                      Open detail
                    </button>
                  </header>
                  <div className="whynot-body">
                    <ChartFrame testId={`breakdown-${f.id}`} className="breakdown-frame" exportName={slug(`${f.src} ${f.dst}-score`)} height={52 + 34 + Math.max(1, f.reasons.length) * 24}>
                      {({ width }) => <Breakdown finding={f} width={width} />}
                    </ChartFrame>
                    <Reasons reasons={f.reasons} />
                  </div>
                </article>
              );
            })}
            {result.unscored.length > 0 && (
              <div className="records">
                <h3 className="subhead">Matching traffic with no finding</h3>
                <div className="records-scroll">
                  <table className="records-table" data-testid="whynot-unscored">
                    <thead>
                      <tr>
                        <th>source</th>
                        <th>destination</th>
                        <th>type</th>
                        <th className="num">events</th>
                        <th>first (UTC)</th>
                        <th>last (UTC)</th>
                        <th>why no finding</th>
                      </tr>
                    </thead>
                    <tbody>
                      {result.unscored.map((u, i) => (
                        <tr key={i}>
                          <td className="addr">
                            <SafeText value={u.src} />
                          </td>
                          <td className="addr">
                            <SafeText value={u.dst} />
                          </td>
                          <td>{u.eventType}</td>
                          <td className="num">{formatInt(u.events)}</td>
                          <td className="time">{formatTime(u.firstSeen)}</td>
                          <td className="time">{formatTime(u.lastSeen)}</td>
                          <td className="why">{u.why}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            )}
          </div>
        )}
      </section>
      <section className="panel">
        <form
          className="panel-head search-bar wrap"
          onSubmit={(e) => {
            e.preventDefault();
            void search(0);
          }}
        >
          <h2>Raw records</h2>
          <select value={kind} data-testid="search-kind" onChange={(e) => setKind(e.target.value as RecordKind)}>
            {RECORD_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
          <input placeholder="host / IP" value={filter.ip} data-testid="search-ip" onChange={(e) => setFilter({ ...filter, ip: e.target.value })} />
          <input placeholder="CIDR" value={filter.cidr} data-testid="search-cidr" onChange={(e) => setFilter({ ...filter, cidr: e.target.value })} />
          <input placeholder="port" className="narrow" inputMode="numeric" value={filter.port} data-testid="search-port" onChange={(e) => setFilter({ ...filter, port: e.target.value.replace(/\D/g, '').slice(0, 5) })} />
          <label className="small">
            from (UTC) <input type="datetime-local" step={1} value={filter.from} onChange={(e) => setFilter({ ...filter, from: e.target.value })} />
          </label>
          <label className="small">
            to <input type="datetime-local" step={1} value={filter.to} onChange={(e) => setFilter({ ...filter, to: e.target.value })} />
          </label>
          <input placeholder="text (name, URI, agent…)" value={filter.text} data-testid="search-text" onChange={(e) => setFilter({ ...filter, text: e.target.value })} />
          <button type="submit" className="btn primary" data-testid="search-go" disabled={recBusy}>
            Search
          </button>
        </form>
        <RecordsTable page={records} loading={recBusy} error={recError} onPage={(o) => void search(o)} limit={PAGE} testId="search-records" empty="No records match." />
      </section>
    </div>
  );
}
