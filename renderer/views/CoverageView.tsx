// Coverage: what the loaded logs can and cannot show (`coverage`). Capture length, per log type
// and sensor its span, rows, rows per hour and gaps (with a span chart), which log types do not
// overlap in time, how many connections have a name, which rhythms are long enough to detect,
// the engine's notes and the sensors' capture health. Every string from the logs is plain text.
import type { CoverageReport } from '../../shared/types.js';
import type { AppTransport } from '../transport.js';
import { formatInt, formatPercent, formatSecondsShort, formatTime } from '../format.js';
import { ChartFrame } from '../charts/ChartFrame.js';
import { CoverageSpans, coverageSpansHeight } from '../charts/CoverageSpans.js';
import { current, useAsync } from '../ui/useAsync.js';
import { SafeText } from '../ui/SafeText.js';

/** "50.1 minutes", "3.2 hours", "4.5 days". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 120) return `${seconds.toFixed(0)} seconds`;
  if (seconds < 2 * 3600) return `${(seconds / 60).toFixed(1)} minutes`;
  if (seconds < 2 * 86400) return `${(seconds / 3600).toFixed(1)} hours`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

export function CoverageView({ transport, version }: { transport: AppTransport; version: number }) {
  const [load, reload] = useAsync(() => transport.invoke('coverage', {}), [transport, version]);
  const cov = current(load);
  return (
    <div className="coverage-view" data-testid="coverage-view">
      <div className="panel-head controls">
        <h2>Coverage</h2>
        <span className="muted">what these logs can and cannot show</span>
        <span className="spacer" />
        <button type="button" className="tool" onClick={reload}>
          Refresh
        </button>
      </div>
      {load.state === 'error' && (
        <div className="error-banner" role="alert">
          Could not compute the coverage: {load.message}
        </div>
      )}
      {!cov && load.state === 'loading' && <div className="placeholder">Reading the case…</div>}
      {cov && <Report cov={cov} />}
    </div>
  );
}

function Report({ cov }: { cov: CoverageReport }) {
  const cap = cov.capture;
  const notOverlapping = cov.overlap.filter((o) => !o.overlaps);
  const naming = cov.naming;
  const namedShare = naming.connections ? naming.named / naming.connections : null;
  const types = new Set(cov.logTypes.map((t) => t.type));
  return (
    <>
      <section className="panel coverage-summary" data-testid="coverage-capture" aria-label="Capture">
        <div className="big-fact">
          <span className="label">capture length</span>
          <strong data-testid="capture-length">{formatDuration(cap.seconds)}</strong>
        </div>
        <div className="cap-text">
          <div>
            {cap.start && cap.end ? (
              <>
                {formatTime(cap.start)} → {formatTime(cap.end)} UTC <span className="muted">(from the {cap.basis} logs)</span>
              </>
            ) : (
              <span className="muted">no timestamps in the case</span>
            )}
          </div>
          {cap.relativeClock && (
            <div className="warn-text" data-testid="relative-clock">
              Relative timestamps (the capture starts on 1970-01-01): intervals and the length are right, time of day and day of week mean nothing.
            </div>
          )}
          <div className="muted small">
            {formatInt(cov.logTypes.length)} log type{cov.logTypes.length === 1 ? '' : 's'} · {formatInt(cov.hosts.internal)} internal hosts · {formatInt(cov.completeness.connections)} connections
          </div>
        </div>
      </section>

      <ChartFrame testId="coverage-chart" className="coverage-frame" exportName="coverage-spans" height={coverageSpansHeight(cov.logTypes.length)}>
        {({ width }) => <CoverageSpans types={cov.logTypes} width={width} relativeClock={cap.relativeClock} />}
      </ChartFrame>

      <div className="coverage-grid">
        <section className="panel coverage-card wide" aria-labelledby="cov-types">
          <h3 id="cov-types" className="subhead">Log types</h3>
          <table className="mini-table" data-testid="coverage-types">
            <thead>
              <tr>
                <th scope="col">type</th>
                <th scope="col">sensor</th>
                <th scope="col">span (UTC)</th>
                <th scope="col" className="num">length</th>
                <th scope="col" className="num">rows</th>
                <th scope="col" className="num">rows / h</th>
                <th scope="col">gaps ≥ 1 h</th>
              </tr>
            </thead>
            <tbody>
              {cov.logTypes.map((t, i) => (
                <tr key={`${t.type}-${t.sensor}-${i}`} data-testid="coverage-type" data-type={t.type}>
                  <td>
                    <SafeText value={t.type} max={30} />
                    {!t.loaded && <span className="tag tag-below" title="Metronome does not load this log type; its span was read back from the file">not loaded</span>}
                  </td>
                  <td title={t.sensorFrom === 'folder' ? 'sensor named after the file’s folder' : 'sensor name from the logs'}>
                    <SafeText value={t.sensor} max={40} />
                    {t.sensorFrom === 'folder' && <span className="muted small"> (folder)</span>}
                  </td>
                  <td className="time">{t.start && t.end ? `${formatTime(t.start).slice(0, 19)} → ${formatTime(t.end).slice(0, 19)}` : '—'}</td>
                  <td className="num">{formatDuration(t.seconds)}</td>
                  <td className="num">{formatInt(t.rows)}</td>
                  <td className="num">{t.rowsPerHour === null ? '—' : formatInt(Math.round(t.rowsPerHour))}</td>
                  <td>
                    {t.gaps.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      <span title={t.gaps.map((g) => `${formatTime(g.start)} → ${formatTime(g.end)} (${formatSecondsShort(g.seconds)})`).join('\n')}>
                        {formatInt(t.gaps.length)} · {formatDuration(t.gapsTotal)} silent
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>

        <section className="panel coverage-card" aria-labelledby="cov-overlap" data-testid="coverage-overlap">
          <h3 id="cov-overlap" className="subhead">Do the log types overlap in time?</h3>
          {types.size < 2 ? (
            <p>Only one log type ({[...types].join(', ') || 'none'}): nothing to line up with. DNS, HTTP and TLS logs of the same time would name destinations and confirm findings.</p>
          ) : notOverlapping.length === 0 ? (
            <p className="ok-text">Yes: every log type overlaps the others in time.</p>
          ) : (
            <>
              <p className="warn-text">No: {formatInt(notOverlapping.length)} pair{notOverlapping.length === 1 ? '' : 's'} of log types never overlap, so they cannot be joined.</p>
              <ul className="plain-list">
                {notOverlapping.map((o, i) => (
                  <li key={i} data-testid="no-overlap">
                    <SafeText value={o.a} max={40} /> and <SafeText value={o.b} max={40} /> are {formatDuration(o.apartSeconds)} apart
                  </li>
                ))}
              </ul>
            </>
          )}
          {cov.periods.length > 1 && (
            <ul className="plain-list small">
              {cov.periods.map((p, i) => (
                <li key={i}>
                  separate capture {i + 1}: {p.types.join(', ')} · {formatTime(p.start)} → {formatTime(p.end)}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="panel coverage-card" aria-labelledby="cov-naming" data-testid="coverage-naming">
          <h3 id="cov-naming" className="subhead">Naming</h3>
          <div className="share-bar" role="img" aria-label={`${formatPercent(namedShare)} of connections named`}>
            <span className="share-named" style={{ width: `${(namedShare ?? 0) * 100}%` }} />
          </div>
          <p>
            <strong>{formatInt(naming.named)}</strong> named · <strong>{formatInt(naming.bareIp)}</strong> bare IP of {formatInt(naming.connections)} connections ({formatPercent(namedShare)} named)
          </p>
          <p className="muted small">
            named by TLS SNI {formatInt(naming.bySource.sni)} · HTTP Host {formatInt(naming.bySource.http)} · DNS answer {formatInt(naming.bySource.dns)} · outbound: {formatInt(naming.outbound.named)} of {formatInt(naming.outbound.connections)} named
          </p>
        </section>

        <section className="panel coverage-card wide" aria-labelledby="cov-detect" data-testid="coverage-detectable">
          <h3 id="cov-detect" className="subhead">Detectable periods</h3>
          <ul className="detect-list">
            {cov.detectable.map((d) => (
              <li key={d.period} className={d.possible ? 'possible' : 'impossible'} data-testid="detectable" data-period={d.period} data-possible={d.possible}>
                <span className="verdict" aria-hidden="true">
                  {d.possible ? '✓' : '✗'}
                </span>
                <span className="what">
                  <strong>{d.label}</strong> {d.possible ? 'detectable' : 'not detectable'}
                </span>
                <span className="why muted">
                  <SafeText value={d.why} max={400} />
                </span>
              </li>
            ))}
          </ul>
        </section>

        <section className="panel coverage-card" aria-labelledby="cov-health" data-testid="coverage-health">
          <h3 id="cov-health" className="subhead">Capture health</h3>
          {cov.health.length === 0 ? (
            <p className="muted">No capture-health logs (Zeek capture_loss or stats, Suricata stats) were loaded: packet loss at the sensor is unknown.</p>
          ) : (
            <table className="mini-table">
              <thead>
                <tr>
                  <th scope="col">source</th>
                  <th scope="col">sensor</th>
                  <th scope="col" className="num">reports</th>
                  <th scope="col" className="num">loss</th>
                  <th scope="col" className="num">worst</th>
                  <th scope="col">verdict</th>
                </tr>
              </thead>
              <tbody>
                {cov.health.map((h, i) => (
                  <tr key={i}>
                    <td>
                      <SafeText value={h.source} max={30} />
                    </td>
                    <td>
                      <SafeText value={h.sensor} max={40} />
                    </td>
                    <td className="num">{formatInt(h.reports)}</td>
                    <td className="num">{h.lossPercent === null ? '—' : `${h.lossPercent.toFixed(2)} %`}</td>
                    <td className="num">{h.maxLossPercent === null ? '—' : `${h.maxLossPercent.toFixed(2)} %`}</td>
                    <td className="wrap">
                      <SafeText value={h.text} max={200} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="muted small">
            {formatInt(cov.completeness.noBytes)} connections without byte counts · {formatInt(cov.completeness.noHistory)} without history · {formatInt(cov.completeness.noDuration)} without duration
          </p>
        </section>

        <section className="panel coverage-card" aria-labelledby="cov-notes" data-testid="coverage-notes">
          <h3 id="cov-notes" className="subhead">Notes</h3>
          <ul className="plain-list">
            {cov.notes.map((n, i) => (
              <li key={i}>
                <SafeText value={n} max={600} />
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}
