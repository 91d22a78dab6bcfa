// Findings: filters (score, category, text, CIDR, expected), the ranked virtualized table, export
// of what is shown (CSV / JSON), and a preview of the selected finding (timeline + why).
import { useDeferredValue, useMemo, useRef, type RefObject } from 'react';
import type { Annotation, Category, Finding } from '../../shared/types.js';
import type { AppTransport } from '../transport.js';
import { CATEGORY_LABEL, formatInt } from '../format.js';
import { filterFindings, parseCidrFilter, sortFindings, triageState, TRIAGE_STATES, type Filters, type Sort } from '../findings.js';
import type { TriageState } from '../../shared/types.js';
import { ChartFrame } from '../charts/ChartFrame.js';
import { Timeline } from '../charts/Timeline.js';
import { current, useAsync } from '../ui/useAsync.js';
import { slug } from '../ui/download.js';
import { FindingsTable } from './FindingsTable.js';
import { FindingHeader } from './FindingHeader.js';
import { Reasons } from './Reasons.js';

export interface FindingsViewProps {
  transport: AppTransport;
  findings: Finding[];
  /** Findings in the whole scan (more than `findings` when the app loaded only the best). */
  total: number;
  loading: boolean;
  error: string | null;
  notes: Map<string, Annotation>;
  filters: Filters;
  onFilters(f: Filters): void;
  sort: Sort;
  onSort(s: Sort): void;
  selectedId: string | null;
  onSelect(id: string): void;
  onOpen(id: string): void;
  onExport(format: 'csv' | 'json', shown: Finding[]): void;
  filterRef?: RefObject<HTMLInputElement | null>;
}

export function FindingsView(p: FindingsViewProps) {
  const deferredFilters = useDeferredValue(p.filters);
  const ranks = useMemo(() => new Map(p.findings.map((f, i) => [f.id, i + 1])), [p.findings]);
  const shown = useMemo(
    () => sortFindings(filterFindings(p.findings, deferredFilters, p.notes), p.sort),
    [p.findings, deferredFilters, p.notes, p.sort],
  );
  const categories = useMemo(() => [...new Set(p.findings.map((f) => f.category))].sort() as Category[], [p.findings]);
  const cidr = parseCidrFilter(p.filters.cidr);
  const cidrError = cidr && 'error' in cidr ? cidr.error : null;
  const selected = shown.find((f) => f.id === p.selectedId) ?? null;
  const expectedCount = useMemo(() => p.findings.filter((f) => f.baseline && f.baseline.drift.length === 0).length, [p.findings]);
  const stateCounts = useMemo(() => {
    const m = new Map<TriageState, number>();
    for (const f of p.findings) m.set(triageState(f), (m.get(triageState(f)) ?? 0) + 1);
    return m;
  }, [p.findings]);
  const set = (patch: Partial<Filters>) => p.onFilters({ ...p.filters, ...patch });

  return (
    <div className="findings-view">
      <section className="panel findings-panel" aria-labelledby="findings-heading">
        <div className="panel-head filter-bar">
          <h2 id="findings-heading">Findings</h2>
          <span className="muted count" data-testid="findings-count">
            {p.loading ? 'scanning…' : `${formatInt(shown.length)} of ${formatInt(p.findings.length)}`}
          </span>
          {!p.loading && p.total > p.findings.length && (
            <span
              className="muted count"
              data-testid="findings-truncated"
              title="The case holds every scored key; the CLI (metronome scan --db) and “Why not?” reach the rest"
            >
              {`best ${formatInt(p.findings.length)} of ${formatInt(p.total)} loaded; the rest score ≤ ${(p.findings[p.findings.length - 1]?.score ?? 0).toFixed(2)}`}
            </span>
          )}
          <label className="filter score-filter" title="Hide findings below this score">
            <span>score ≥</span>
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={p.filters.minScore}
              data-testid="filter-score"
              onChange={(e) => set({ minScore: Number(e.target.value) })}
            />
            <output>{p.filters.minScore.toFixed(2)}</output>
          </label>
          <label className="filter">
            <span className="sr-only">Category</span>
            <select value={p.filters.category} data-testid="filter-category" onChange={(e) => set({ category: e.target.value as Category | '' })}>
              <option value="">all categories</option>
              {categories.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABEL[c] ?? c}
                </option>
              ))}
            </select>
          </label>
          <label className="filter" title="Triage state">
            <span className="sr-only">Triage state</span>
            <select value={p.filters.state} data-testid="filter-state" onChange={(e) => set({ state: e.target.value as TriageState | '' })}>
              <option value="">any state</option>
              {TRIAGE_STATES.map((st) => (
                <option key={st} value={st}>
                  {st} ({formatInt(stateCounts.get(st) ?? 0)})
                </option>
              ))}
            </select>
          </label>
          <label className="filter grow">
            <span className="sr-only">Text</span>
            <input
              ref={p.filterRef}
              type="search"
              placeholder="host, name, tag…  ( / )"
              value={p.filters.text}
              data-testid="filter-text"
              onChange={(e) => set({ text: e.target.value })}
            />
          </label>
          <label className={`filter${cidrError ? ' invalid' : ''}`} title={cidrError ?? 'Keep findings with a source or destination in this range'}>
            <span className="sr-only">CIDR</span>
            <input
              type="text"
              placeholder="CIDR, e.g. 10.0.0.0/8"
              value={p.filters.cidr}
              data-testid="filter-cidr"
              aria-invalid={cidrError !== null}
              onChange={(e) => set({ cidr: e.target.value })}
            />
          </label>
          <label className="filter checkbox" title="Findings marked expected (on the baseline, no drift)">
            <input type="checkbox" checked={p.filters.showExpected} data-testid="filter-expected" onChange={(e) => set({ showExpected: e.target.checked })} />
            <span>expected ({formatInt(expectedCount)})</span>
          </label>
          <span className="export">
            <button type="button" className="tool" data-testid="export-csv" onClick={() => p.onExport('csv', shown)} title="Export the findings shown, in this order">
              CSV
            </button>
            <button type="button" className="tool" data-testid="export-json" onClick={() => p.onExport('json', shown)} title="Export the findings shown, in this order">
              JSON
            </button>
          </span>
        </div>
        {cidrError && (
          <div className="filter-error" role="alert">
            {cidrError}
          </div>
        )}
        {p.loading && p.findings.length === 0 && <div className="placeholder">Scanning the case…</div>}
        {p.error && (
          <div className="error-banner" role="alert">
            Scan failed: {p.error}
          </div>
        )}
        {!p.loading || p.findings.length > 0 ? (
          <FindingsTable
            findings={shown}
            ranks={ranks}
            notes={p.notes}
            selectedId={p.selectedId}
            sort={p.sort}
            onSort={p.onSort}
            onSelect={p.onSelect}
            onOpen={p.onOpen}
          />
        ) : null}
      </section>
      <section className="panel detail-panel preview" aria-label="Selected finding" data-testid="detail">
        {selected === null ? (
          <div className="placeholder">{p.findings.length ? 'Select a finding to see its events.' : ''}</div>
        ) : (
          <Preview transport={p.transport} finding={selected} onOpen={p.onOpen} />
        )}
      </section>
    </div>
  );
}

/** Selected finding: its timeline and why it scored; Enter / the button opens the linked views. */
function Preview({ transport, finding, onOpen }: { transport: AppTransport; finding: Finding; onOpen(id: string): void }) {
  const width = Math.max(300, Math.round(window.innerWidth - 480));
  const [load] = useAsync(() => transport.invoke('pairSeries', { id: finding.id, width, timelineOnly: true }), [transport, finding.id], 90);
  const series = current(load);
  const shown = series && series.finding.id === finding.id ? series : undefined;
  const stale = series && !shown ? series : undefined;
  const bodyRef = useRef<HTMLDivElement>(null);
  return (
    <>
      <FindingHeader finding={finding} stacked>
        <span className="spacer" />
        <button type="button" className="btn primary" data-testid="open-detail" onClick={() => onOpen(finding.id)} title="Open every linked view (Enter)">
          Open detail ⏎
        </button>
      </FindingHeader>
      <div className="detail-body" ref={bodyRef}>
        <ChartFrame testId="preview-timeline" className="timeline-box" exportName={slug(`${finding.src} ${finding.dst}-timeline`)} busy={!shown}>
          {({ width: w, height: h }) =>
            shown ? (
              <Timeline series={shown} width={w} height={h} />
            ) : stale ? (
              <Timeline series={stale} width={w} height={h} />
            ) : load.state === 'error' ? (
              <div className="error-banner" role="alert">
                Could not load the events: {load.message}
              </div>
            ) : (
              <div className="placeholder chart-placeholder">Loading events…</div>
            )
          }
        </ChartFrame>
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
