// The main window: case status in the header, the ranked findings, and the detail of the selected
// finding (timeline + reasons). Talks to the engine only through the Transport it is given.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StatusResponse, Transport } from '../shared/api.js';
import type { Finding, PairDetail, ScanResult } from '../shared/types.js';
import {
  categoryLabel,
  formatBytes,
  formatInt,
  formatPeriod,
  formatScore,
  formatSpan,
  formatTime,
  hostPort,
  scoreColor,
} from './format.js';
import { FindingsTable } from './views/FindingsTable.js';
import { Reasons } from './views/Reasons.js';
import { Timeline } from './views/Timeline.js';

export interface AppProps {
  transport: Transport;
}

type Load<T> = { state: 'loading'; prev?: T } | { state: 'ok'; value: T } | { state: 'error'; message: string };

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Waits this long after a selection change before asking for the detail (holding j/k). */
const DETAIL_DELAY_MS = 90;

export function App({ transport }: AppProps) {
  const [status, setStatus] = useState<Load<StatusResponse>>({ state: 'loading' });
  const [scan, setScan] = useState<Load<ScanResult>>({ state: 'loading' });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [detail, setDetail] = useState<Load<PairDetail> | null>(null);
  const detailCache = useRef(new Map<string, PairDetail>());
  const detailRef = useRef<HTMLElement>(null);

  useEffect(() => {
    let live = true;
    transport.invoke('status', {}).then(
      (value) => live && setStatus({ state: 'ok', value }),
      (err) => live && setStatus({ state: 'error', message: message(err) }),
    );
    transport.invoke('scan', {}).then(
      (value) => {
        if (!live) return;
        setScan({ state: 'ok', value });
        setSelectedId((cur) => cur ?? value.findings[0]?.id ?? null);
      },
      (err) => live && setScan({ state: 'error', message: message(err) }),
    );
    return () => {
      live = false;
    };
  }, [transport]);

  useEffect(() => {
    if (selectedId === null) {
      setDetail(null);
      return;
    }
    const cached = detailCache.current.get(selectedId);
    if (cached) {
      setDetail({ state: 'ok', value: cached });
      return;
    }
    let live = true;
    // Keep the previous chart (dimmed) while the next one loads, so moving with j/k does not flicker.
    setDetail((cur) =>
      cur?.state === 'ok'
        ? cur.value.finding.id === selectedId
          ? cur
          : { state: 'loading', prev: cur.value }
        : cur?.state === 'loading'
          ? cur
          : { state: 'loading' },
    );
    const timer = setTimeout(() => {
      transport.invoke('pairDetail', { id: selectedId }).then(
        (value) => {
          detailCache.current.set(selectedId, value);
          if (live) setDetail({ state: 'ok', value });
        },
        (err) => live && setDetail({ state: 'error', message: message(err) }),
      );
    }, DETAIL_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [selectedId, transport]);

  const onOpen = useCallback((id: string) => {
    setSelectedId(id);
    detailRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, []);

  const findings = scan.state === 'ok' ? scan.value.findings : [];
  const selected = findings.find((f) => f.id === selectedId) ?? null;

  return (
    <div className="app">
      <Header status={status} scan={scan} />
      <main className="content">
        <section className="panel findings-panel" aria-labelledby="findings-heading">
          <div className="panel-head">
            <h2 id="findings-heading">Findings</h2>
            <span className="muted">
              {scan.state === 'ok'
                ? `${formatInt(findings.length)} ranked by score · j/k or ↑/↓ to move`
                : scan.state === 'loading'
                  ? 'scanning…'
                  : ''}
            </span>
          </div>
          {scan.state === 'loading' && <div className="placeholder">Scanning the case…</div>}
          {scan.state === 'error' && (
            <div className="error-banner" role="alert">
              Scan failed: {scan.message}
            </div>
          )}
          {scan.state === 'ok' && (
            <FindingsTable findings={findings} selectedId={selectedId} onSelect={setSelectedId} onOpen={onOpen} />
          )}
        </section>
        <section className="panel detail-panel" ref={detailRef} aria-label="Selected finding" data-testid="detail">
          {selected === null ? (
            <div className="placeholder">{scan.state === 'ok' ? 'Select a finding to see its connections.' : ''}</div>
          ) : (
            <Detail finding={selected} detail={detail} />
          )}
        </section>
      </main>
    </div>
  );
}

function Header({ status, scan }: { status: Load<StatusResponse>; scan: Load<ScanResult> }) {
  const s = status.state === 'ok' ? status.value : null;
  const summary = scan.state === 'ok' ? scan.value.summary : null;
  const files = s ? s.files.filter((f) => !f.skipped && f.reason === null) : [];
  const fileTitle = s ? s.files.map((f) => `${f.path}${f.reason ? ` (${f.reason})` : ''}`).join('\n') : '';
  return (
    <header className="topbar">
      <div className="brand">
        <svg className="brand-mark" width="22" height="22" viewBox="0 0 22 22" aria-hidden="true">
          <path d="M4 20 L11 2 L18 20 Z" className="brand-body" />
          <line x1="11" y1="17" x2="15" y2="6" className="brand-arm" />
        </svg>
        <span className="brand-name">Metronome</span>
      </div>
      <div className="case" data-testid="case-status">
        {status.state === 'loading' && <span className="muted">loading case…</span>}
        {status.state === 'error' && (
          <span className="error-text" role="alert">
            {status.message}
          </span>
        )}
        {s && (
          <>
            <span className="case-name" title={s.caseName}>
              {s.caseName}
            </span>
            <span className="stat" title="connections in the case">
              <strong>{formatInt(s.tables.connections)}</strong> connections
            </span>
            <span className="stat" title={fileTitle}>
              <strong>{formatInt(files.length)}</strong> file{files.length === 1 ? '' : 's'} loaded
            </span>
            {summary && summary.start && summary.end && (
              <span
                className="stat"
                title={`${formatTime(summary.start)} – ${formatTime(summary.end)} UTC`}
              >
                <strong>{formatSpan(summary.start, summary.end)}</strong> of traffic
              </span>
            )}
            {summary && (
              <span className="stat">
                <strong>{formatInt(summary.pairs)}</strong> pairs
              </span>
            )}
          </>
        )}
      </div>
      {s && <span className="version muted">v{s.version}</span>}
    </header>
  );
}

function Detail({ finding, detail }: { finding: Finding; detail: Load<PairDetail> | null }) {
  const ready = detail?.state === 'ok' && detail.value.finding.id === finding.id ? detail.value : null;
  return (
    <>
      <div className="detail-head">
        <span className={`badge cat-${finding.category}`}>{categoryLabel(finding.category)}</span>
        <h2 className="pair" title={`${finding.src} → ${hostPort(finding.dst, finding.port)}${finding.proto ? `/${finding.proto}` : ''}`}>
          <span className="addr">{finding.src}</span>
          <span className="arrow" aria-hidden="true">
            →
          </span>
          <span className="addr">{hostPort(finding.dst, finding.port)}</span>
          {finding.proto && <span className="proto">/{finding.proto}</span>}
        </h2>
        <dl className="facts">
          <div>
            <dt>score</dt>
            <dd>
              <span className="score-chip" style={{ borderColor: scoreColor(finding.score), color: scoreColor(finding.score) }}>
                {formatScore(finding.score)}
              </span>
            </dd>
          </div>
          <div>
            <dt>period</dt>
            <dd>{formatPeriod(finding.period)}</dd>
          </div>
          <div>
            <dt>check-ins</dt>
            <dd>{formatInt(finding.checkins)}</dd>
          </div>
          <div>
            <dt>bytes out</dt>
            <dd>{formatBytes(finding.bytesOut)}</dd>
          </div>
          <div>
            <dt>span</dt>
            <dd>{formatSpan(finding.firstSeen, finding.lastSeen)}</dd>
          </div>
        </dl>
      </div>
      <div className="detail-body">
        <figure className="timeline-box" aria-busy={ready === null && detail?.state !== 'error'}>
          {ready === null && detail?.state === 'loading' && detail.prev ? (
            <div className="stale">
              <Timeline finding={detail.prev.finding} connections={detail.prev.connections} total={detail.prev.total} truncated={detail.prev.truncated} />
            </div>
          ) : detail === null || detail.state === 'loading' || (detail.state === 'ok' && !ready) ? (
            <div className="placeholder chart-placeholder">Loading connections…</div>
          ) : detail.state === 'error' ? (
            <div className="error-banner" role="alert">
              Could not load connections: {detail.message}
            </div>
          ) : ready ? (
            <Timeline finding={ready.finding} connections={ready.connections} total={ready.total} truncated={ready.truncated} />
          ) : null}
        </figure>
        <aside className="reasons-box" aria-labelledby="reasons-heading">
          <h3 id="reasons-heading">
            Why it scored <span className="muted">· {finding.scorer}</span>
          </h3>
          <Reasons reasons={finding.reasons} />
        </aside>
      </div>
    </>
  );
}
