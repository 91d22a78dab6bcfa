// Linked views of one finding: timeline (brush to zoom every view), inter-arrival histogram with
// the period and its jitter band, hour-of-day × day heatmap (UTC or a chosen zone), data sizes,
// the score broken into its parts, and the related raw records (connections, DNS, HTTP, TLS,
// alerts). Every chart aggregates in the engine (pairSeries) and draws only what it gets.
import { useEffect, useMemo, useState } from 'react';
import type { BaselineAddRequest } from '../../shared/api.js';
import type { Annotation, Finding, RecordKind, RecordPage, TriageRecord } from '../../shared/types.js';
import type { AppTransport } from '../transport.js';
import { formatInt, formatMs, formatPeriod, hostPort } from '../format.js';
import { ChartFrame } from '../charts/ChartFrame.js';
import { Timeline } from '../charts/Timeline.js';
import { IntervalHistogram } from '../charts/IntervalHistogram.js';
import { ClockHeatmap } from '../charts/ClockHeatmap.js';
import { SizeChart } from '../charts/SizeChart.js';
import { Breakdown } from '../charts/Breakdown.js';
import { slug } from '../ui/download.js';
import { current, message, useAsync } from '../ui/useAsync.js';
import { FindingHeader } from './FindingHeader.js';
import { Reasons } from './Reasons.js';
import { RecordsTable } from './RecordsTable.js';
import { ExpectDialog } from './ExpectDialog.js';
import { NotesEditor } from './NotesEditor.js';
import { TriagePanel } from './TriagePanel.js';
import { EvidencePanel } from './EvidencePanel.js';
import { TriageBadge } from './TriageBadge.js';

export interface PairDetailViewProps {
  transport: AppTransport;
  id: string;
  /** The finding from the list, when it is there (the detail loads it otherwise). */
  finding: Finding | undefined;
  annotation: Annotation | undefined;
  onBack(): void;
  onMarkExpected(req: BaselineAddRequest): Promise<void>;
  onAnnotate(id: string, tags: string[], note: string): Promise<void>;
  /** A triage change was saved (state `expected`: the finding went onto the baseline). */
  onTriaged?(rec: TriageRecord): void;
}

const KINDS: { kind: RecordKind; label: string }[] = [
  { kind: 'connections', label: 'Events' },
  { kind: 'dns', label: 'DNS lookups' },
  { kind: 'http', label: 'HTTP requests' },
  { kind: 'tls', label: 'TLS / SNI' },
  { kind: 'alerts', label: 'Alerts' },
];
const PAGE = 100;

export const ZONES = ['UTC', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Shanghai', 'Asia/Tokyo', 'Australia/Sydney'];

export function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function PairDetailView({ transport, id, finding: listed, annotation, onBack, onMarkExpected, onAnnotate, onTriaged }: PairDetailViewProps) {
  const [range, setRange] = useState<[number, number] | null>(null);
  const [zone, setZone] = useState('UTC');
  const [scale, setScale] = useState<'linear' | 'log'>('linear');
  const [kind, setKind] = useState<RecordKind>('connections');
  const [offset, setOffset] = useState(0);
  const [dialog, setDialog] = useState<'expect' | 'notes' | 'triage' | 'evidence' | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const width = Math.max(300, Math.round((typeof window === 'undefined' ? 1400 : window.innerWidth) - 120));

  useEffect(() => {
    setRange(null);
    setOffset(0);
  }, [id]);
  useEffect(() => setOffset(0), [kind, range]);

  const [seriesLoad] = useAsync(
    () => transport.invoke('pairSeries', { id, width, zone, intervalScale: scale, ...(range ? { from: Math.floor(range[0]), to: Math.ceil(range[1]) } : {}) }),
    [transport, id, zone, scale, range?.[0], range?.[1]],
  );
  const series = current(seriesLoad);
  const ready = series && series.finding.id === id ? series : undefined;
  const base = ready?.finding ?? listed;
  // The list's copy carries the latest triage change; the series' copy may be older.
  const finding = base && listed && listed.id === base.id && listed.triage ? { ...base, triage: listed.triage } : base;
  const triage = finding?.triage?.state ?? 'new';

  const rangeReq = range ? { from: Math.floor(range[0]), to: Math.ceil(range[1]) } : {};
  const counts = ready?.related;
  const [recordsLoad] = useAsync(
    () => transport.invoke('pairRecords', { id, kind, limit: PAGE, offset, ...rangeReq }),
    [transport, id, kind, offset, range?.[0], range?.[1]],
  );
  const records: RecordPage | undefined = current(recordsLoad);

  const exportBase = finding ? slug(`${finding.src} ${finding.dst} ${finding.port ?? ''}`) : 'finding';
  const busyCharts = seriesLoad.state === 'loading';
  const zones = useMemo(() => [...new Set([...ZONES, localZone()])], []);

  const markExpected = async (req: BaselineAddRequest) => {
    setBusy(true);
    setActionError(null);
    try {
      await onMarkExpected(req);
      setDialog(null);
    } catch (e) {
      setActionError(message(e));
    } finally {
      setBusy(false);
    }
  };
  const saveNotes = async (tags: string[], note: string) => {
    setBusy(true);
    setActionError(null);
    try {
      await onAnnotate(id, tags, note);
      setDialog(null);
    } catch (e) {
      setActionError(message(e));
    } finally {
      setBusy(false);
    }
  };

  if (!finding) {
    return (
      <div className="detail-view">
        <button type="button" className="btn back" onClick={onBack}>
          ← Findings
        </button>
        {seriesLoad.state === 'error' ? (
          <div className="error-banner" role="alert">
            Could not load this finding: {seriesLoad.message}
          </div>
        ) : (
          <div className="placeholder">Loading the finding…</div>
        )}
      </div>
    );
  }

  return (
    <div className="detail-view" data-testid="pair-detail" data-finding-id={id}>
      <div className="detail-top">
        <button type="button" className="btn back" onClick={onBack} title="Back to the findings (Esc)">
          ← Findings
        </button>
        <FindingHeader finding={finding} stacked>
          <span className="spacer" />
          <div className="detail-actions">
            <button
              type="button"
              className={`btn triage-open${dialog === 'triage' ? ' active' : ''}`}
              data-testid="triage-open"
              title="Triage state, owner, notes and history"
              onClick={() => setDialog(dialog === 'triage' ? null : 'triage')}
            >
              Triage <TriageBadge state={triage} testId="detail-triage-state" />
            </button>
            <button type="button" className={`btn${dialog === 'evidence' ? ' active' : ''}`} data-testid="evidence-open" title="Write an evidence package (report, raw lines, hashes)" onClick={() => setDialog(dialog === 'evidence' ? null : 'evidence')}>
              Evidence…
            </button>
            <button type="button" className="btn" data-testid="notes-open" onClick={() => setDialog(dialog === 'notes' ? null : 'notes')}>
              Tags &amp; note{annotation ? ` (${annotation.tags.length})` : ''}
            </button>
            <button type="button" className="btn primary" data-testid="expect-open" onClick={() => setDialog('expect')}>
              Mark expected…
            </button>
          </div>
        </FindingHeader>
      </div>
      {dialog === 'notes' && (
        <div className="notes-pop panel">
          <NotesEditor annotation={annotation} busy={busy} error={actionError} onSave={saveNotes} onClose={() => setDialog(null)} />
        </div>
      )}
      {dialog === 'triage' && (
        <div className="notes-pop panel">
          <TriagePanel transport={transport} finding={finding} onChanged={(rec) => onTriaged?.(rec)} onClose={() => setDialog(null)} />
        </div>
      )}
      {dialog === 'evidence' && (
        <div className="notes-pop panel">
          <EvidencePanel transport={transport} finding={finding} onClose={() => setDialog(null)} />
        </div>
      )}
      {dialog === 'expect' && (
        <ExpectDialog finding={finding} busy={busy} error={actionError} onCancel={() => setDialog(null)} onSubmit={markExpected} />
      )}
      <div className="range-bar" data-testid="range-bar">
        {ready?.range ? (
          <span>
            {range ? 'Zoomed to ' : 'All events: '}
            <strong>{formatMs(ready.range[0])}</strong> – <strong>{formatMs(ready.range[1])}</strong> UTC ·{' '}
            <span data-testid="in-range">{formatInt(ready.inRange)}</span> of {formatInt(ready.total)} events
            {ready.timing.period !== null && (
              <>
                {' '}
                · period {formatPeriod(ready.timing.period)}
                {ready.timing.jitter !== null ? ` ± ${Math.round(ready.timing.jitter * 100)} %` : ''}
              </>
            )}
          </span>
        ) : (
          <span className="muted">{seriesLoad.state === 'error' ? '' : 'Loading…'}</span>
        )}
        {range && (
          <button type="button" className="tool" data-testid="reset-zoom" onClick={() => setRange(null)}>
            Reset zoom
          </button>
        )}
        <span className="spacer" />
        <label className="checkbox small" title="Time between events on a log axis: every gap, from milliseconds to days">
          <input type="checkbox" data-testid="log-scale" checked={scale === 'log'} onChange={(e) => setScale(e.target.checked ? 'log' : 'linear')} />
          <span>intervals on a log scale</span>
        </label>
        <label className="small zone-pick" title="Time zone of the hour-of-day heatmap's clock">
          <span>clock</span>
          <select data-testid="zone" value={zone} onChange={(e) => setZone(e.target.value)}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
        {ready && <span className="muted small">engine {Math.round(ready.elapsedMs)} ms</span>}
      </div>
      {seriesLoad.state === 'error' && (
        <div className="error-banner" role="alert">
          Could not load the charts: {seriesLoad.message}
        </div>
      )}
      <div className="detail-grid">
        <ChartFrame testId="timeline" className="chart-wide timeline-frame" exportName={`${exportBase}-timeline`} busy={busyCharts}>
          {({ width: w, height: h }) => (ready ? <Timeline series={ready} width={w} height={h} zoomed={range !== null} onBrush={setRange} /> : null)}
        </ChartFrame>
        <ChartFrame testId="intervals" exportName={`${exportBase}-intervals`} busy={busyCharts}>
          {({ width: w, height: h }) => (ready ? <IntervalHistogram hist={ready.intervals} timing={ready.timing} width={w} height={h} /> : null)}
        </ChartFrame>
        <ChartFrame testId="heatmap" exportName={`${exportBase}-clock`} busy={busyCharts}>
          {({ width: w, height: h }) => (ready ? <ClockHeatmap heat={ready.heatmap} width={w} height={h} /> : null)}
        </ChartFrame>
        <ChartFrame testId="sizes" exportName={`${exportBase}-sizes`} busy={busyCharts}>
          {({ width: w, height: h }) => (ready ? <SizeChart series={ready} width={w} height={h} zoomed={range !== null} /> : null)}
        </ChartFrame>
        <section className="breakdown-box panel-lite" aria-label="Score breakdown">
          <ChartFrame testId="breakdown" className="breakdown-frame" exportName={`${exportBase}-score`} height={52 + 34 + Math.max(1, finding.reasons.length) * 24}>
            {({ width: w }) => <Breakdown finding={finding} width={w} />}
          </ChartFrame>
          <h3 className="subhead">Why, in words</h3>
          <Reasons reasons={finding.reasons} />
        </section>
        <section className="records-box panel-lite" aria-label="Related records">
          <div className="tabs" role="tablist">
            {KINDS.map((k) => (
              <button
                key={k.kind}
                type="button"
                role="tab"
                aria-selected={kind === k.kind}
                className={`tab${kind === k.kind ? ' active' : ''}`}
                data-testid={`records-tab-${k.kind}`}
                onClick={() => setKind(k.kind)}
              >
                {k.label}
                <span className="count">{counts ? formatInt(counts[k.kind]) : '…'}</span>
              </button>
            ))}
            <span className="spacer" />
            <span className="muted small">{finding.dstKind === 'ip' ? `to ${hostPort(finding.dst, finding.port)}` : `for ${finding.dst}`}</span>
          </div>
          <RecordsTable
            page={records}
            loading={recordsLoad.state === 'loading'}
            error={recordsLoad.state === 'error' ? recordsLoad.message : null}
            onPage={setOffset}
            limit={PAGE}
            testId="related"
            empty={`No ${KINDS.find((k) => k.kind === kind)?.label.toLowerCase()} for this finding${range ? ' in the zoomed range' : ''}.`}
          />
        </section>
      </div>
    </div>
  );
}
