// The hunting app: one React tree for the Electron window and browser mode. Views: Findings
// (ranked, filtered, virtualized), the linked pair detail, Overview, "Why not?" and Import.
// Talks to the engine only through the Transport it is given; the desktop shell adds native
// dialogs and menu commands through the same bridge.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BaselineAddRequest, StatusResponse } from '../shared/api.js';
import type { Annotation, Finding, ImportReport, ScanResult, TriageRecord } from '../shared/types.js';
import { APP_FINDINGS_LIMIT } from '../shared/types.js';
import type { AppTransport, ShellEvent } from './transport.js';
import { formatInt, formatSpan, formatTime } from './format.js';
import { DEFAULT_FILTERS, findingsCsv, findingsJson, type Filters, type Sort } from './findings.js';
import { useImporter } from './importer.js';
import { downloadBlob } from './ui/download.js';
import { current, message, useAsync } from './ui/useAsync.js';
import { SafeText } from './ui/SafeText.js';
import { FindingsView } from './views/FindingsView.js';
import { PairDetailView } from './views/PairDetailView.js';
import { OverviewView } from './views/OverviewView.js';
import { WhyNotView } from './views/WhyNotView.js';
import { ImportView } from './views/ImportView.js';
import { CoverageView } from './views/CoverageView.js';

export interface AppProps {
  transport: AppTransport;
}

export type Route =
  | { view: 'findings' }
  | { view: 'detail'; id: string }
  | { view: 'overview' }
  | { view: 'whynot'; q?: string }
  | { view: 'import' }
  | { view: 'coverage' };

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const [path, query = ''] = h.split('?');
  const parts = path.split('/');
  if (parts[0] === 'finding' && parts[1] && /^[A-Za-z0-9_-]{1,64}$/.test(parts[1])) return { view: 'detail', id: parts[1] };
  if (parts[0] === 'overview') return { view: 'overview' };
  if (parts[0] === 'why-not') return { view: 'whynot', q: new URLSearchParams(query).get('q') ?? undefined };
  if (parts[0] === 'import') return { view: 'import' };
  if (parts[0] === 'coverage') return { view: 'coverage' };
  return { view: 'findings' };
}

export function routeHash(r: Route): string {
  switch (r.view) {
    case 'detail':
      return `#/finding/${r.id}`;
    case 'overview':
      return '#/overview';
    case 'whynot':
      return r.q ? `#/why-not?q=${encodeURIComponent(r.q)}` : '#/why-not';
    case 'import':
      return '#/import';
    case 'coverage':
      return '#/coverage';
    default:
      return '#/findings';
  }
}

interface Toast {
  id: number;
  text: string;
  undo?: () => void;
  error?: boolean;
}

const TABS: { view: Route['view']; label: string; key: string }[] = [
  { view: 'import', label: 'Import', key: 'import' },
  { view: 'findings', label: 'Findings', key: 'findings' },
  { view: 'overview', label: 'Overview', key: 'overview' },
  { view: 'whynot', label: 'Why not?', key: 'whynot' },
  { view: 'coverage', label: 'Coverage', key: 'coverage' },
];

export function App({ transport }: AppProps) {
  const [route, setRouteState] = useState<Route>(() => parseRoute(window.location.hash));
  const navigate = useCallback((r: Route) => {
    setRouteState(r);
    const h = routeHash(r);
    if (window.location.hash !== h) window.history.pushState(null, '', `${window.location.pathname}${window.location.search}${h}`);
  }, []);
  useEffect(() => {
    const on = () => setRouteState(parseRoute(window.location.hash));
    window.addEventListener('popstate', on);
    window.addEventListener('hashchange', on);
    return () => {
      window.removeEventListener('popstate', on);
      window.removeEventListener('hashchange', on);
    };
  }, []);

  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const [statusLoad] = useAsync<StatusResponse>(() => transport.invoke('status', {}), [transport, version]);
  const [scanLoad] = useAsync<ScanResult>(() => transport.invoke('scan', { all: true, top: APP_FINDINGS_LIMIT }), [transport, version]);
  const [notesLoad, reloadNotes] = useAsync<Annotation[]>(() => transport.invoke('annotationsList', {}), [transport, version]);
  const [recentLoad, reloadRecent] = useAsync(() => transport.invoke('recentCases', {}), [transport]);
  const status = current(statusLoad);
  const scan = current(scanLoad);
  // Triage changes saved since the last scan, laid over the scanned findings.
  const [triaged, setTriaged] = useState<Map<string, TriageRecord>>(new Map());
  useEffect(() => setTriaged(new Map()), [scan]);
  const findings = useMemo(() => {
    const list = scan?.findings ?? [];
    if (!triaged.size) return list;
    return list.map((f) => {
      const t = triaged.get(f.id);
      return t ? { ...f, triage: { state: t.state, owner: t.owner, notes: t.notes, updatedAt: t.updatedAt } } : f;
    });
  }, [scan, triaged]);
  const notes = useMemo(() => new Map((current(notesLoad) ?? []).map((a) => [a.findingId, a])), [notesLoad]);
  const [caseFile, setCaseFile] = useState<string | null>(null);

  const [filters, setFilters] = useState<Filters>(DEFAULT_FILTERS);
  const [sort, setSort] = useState<Sort>({ key: 'rank', desc: true });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const filterRef = useRef<HTMLInputElement>(null);

  // Select the best finding once there are findings (and when the selection left the list).
  useEffect(() => {
    if (!findings.length) return;
    setSelectedId((cur) => (cur && findings.some((f) => f.id === cur) ? cur : findings.find((f) => !f.baseline)?.id ?? findings[0].id));
  }, [findings]);

  const [toasts, setToasts] = useState<Toast[]>([]);
  const toast = useCallback((t: Omit<Toast, 'id'>) => {
    const id = Date.now() + Math.random();
    setToasts((list) => [...list.filter((x) => x.undo).slice(-1), { ...t, id }]);
    setTimeout(() => setToasts((list) => list.filter((x) => x.id !== id)), t.undo ? 10_000 : 4000);
  }, []);

  const importer = useImporter(transport, (report: ImportReport) => {
    refresh();
    const rows = report.files.reduce((a, f) => a + f.rows, 0);
    toast({ text: `Imported ${formatInt(report.files.length)} file${report.files.length === 1 ? '' : 's'}: ${formatInt(rows)} rows` });
  });

  const markExpected = useCallback(
    async (req: BaselineAddRequest) => {
      const entry = await transport.invoke('baselineAdd', req);
      refresh();
      toast({
        text: `Marked expected (${entry.owner}): ${entry.src ? `${entry.src} → ` : ''}${entry.dst}`,
        undo: () => {
          transport.invoke('baselineRemove', { id: entry.id }).then(refresh, (e) => toast({ text: message(e), error: true }));
        },
      });
      navigate({ view: 'findings' });
    },
    [transport, refresh, toast, navigate],
  );

  const onTriaged = useCallback(
    (rec: TriageRecord) => {
      setTriaged((m) => new Map(m).set(rec.findingId, rec));
      if (rec.state === 'expected') {
        // The engine put the traffic on the baseline: rescan so it leaves the default list.
        refresh();
        toast({ text: `Marked expected (${rec.owner ?? ''}): on the baseline, off the default list` });
        navigate({ view: 'findings' });
      } else {
        toast({ text: `Triage saved: ${rec.state}${rec.owner ? ` · ${rec.owner}` : ''}` });
      }
    },
    [refresh, toast, navigate],
  );

  const annotate = useCallback(
    async (id: string, tags: string[], note: string) => {
      await transport.invoke('annotate', { findingId: id, tags, note });
      reloadNotes();
      toast({ text: tags.length || note ? 'Tags and note saved' : 'Tags and note removed' });
    },
    [transport, reloadNotes, toast],
  );

  const exportFindings = useCallback(
    (format: 'csv' | 'json', shown: Finding[]) => {
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      if (format === 'csv') downloadBlob(`metronome-findings-${stamp}.csv`, new Blob([findingsCsv(shown, notes)], { type: 'text/csv;charset=utf-8' }));
      else downloadBlob(`metronome-findings-${stamp}.json`, new Blob([findingsJson(shown, notes)], { type: 'application/json' }));
      toast({ text: `Exported ${formatInt(shown.length)} findings as ${format.toUpperCase()}` });
    },
    [notes, toast],
  );

  const openCase = useCallback(
    async (path: string) => {
      const st = await transport.invoke('caseOpen', { path });
      setCaseFile(st.caseName);
      reloadRecent();
      refresh();
    },
    [transport, reloadRecent, refresh],
  );
  const saveCase = useCallback(
    async (path: string) => {
      const r = await transport.invoke('caseSave', { path });
      setCaseFile(r.path);
      reloadRecent();
    },
    [transport, reloadRecent],
  );

  // Desktop menu commands.
  const shellRef = useRef<(e: ShellEvent) => void>(() => undefined);
  shellRef.current = (e: ShellEvent) => {
    const d = (e.data ?? {}) as { paths?: string[]; path?: string; view?: Route['view']; format?: 'csv' | 'json' };
    if (e.type === 'open-paths' && Array.isArray(d.paths)) {
      navigate({ view: 'import' });
      void importer.importPaths(d.paths.filter((p): p is string => typeof p === 'string'));
    } else if (e.type === 'open-case' && typeof d.path === 'string') {
      openCase(d.path).then(() => toast({ text: `Opened ${d.path}` }), (err) => toast({ text: message(err), error: true }));
    } else if (e.type === 'save-case' && typeof d.path === 'string') {
      saveCase(d.path).then(() => toast({ text: `Saved to ${d.path}` }), (err) => toast({ text: message(err), error: true }));
    } else if (e.type === 'navigate' && d.view) {
      navigate(d.view === 'detail' ? { view: 'findings' } : ({ view: d.view } as Route));
    } else if (e.type === 'export' && (d.format === 'csv' || d.format === 'json')) {
      exportFindings(d.format, findings.filter((f) => !(f.baseline && f.baseline.drift.length === 0)));
    } else if (e.type === 'imported' || e.type === 'case-changed') {
      refresh();
    }
  };
  useEffect(() => transport.onShellEvent?.((e) => shellRef.current(e)), [transport]);

  // Global keys: "/" focuses the findings filter; Esc leaves the detail.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
      if (e.key === '/' && !typing && route.view === 'findings') {
        e.preventDefault();
        filterRef.current?.focus();
      } else if (e.key === 'Escape' && !typing && route.view === 'detail' && !document.querySelector('.modal')) {
        navigate({ view: 'findings' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [route.view, navigate]);

  const openDetail = useCallback((id: string) => {
    setSelectedId(id);
    navigate({ view: 'detail', id });
  }, [navigate]);

  // Back from the detail: focus the table again so j/k keep working.
  const back = useCallback(() => {
    navigate({ view: 'findings' });
    setTimeout(() => document.querySelector<HTMLElement>('[data-testid="findings-table"]')?.focus(), 50);
  }, [navigate]);

  const caseName = caseFile ?? status?.caseName ?? '';
  return (
    <div className="app">
      <Header
        status={status}
        statusError={statusLoad.state === 'error' ? statusLoad.message : null}
        scan={scan}
        caseName={caseName}
        route={route}
        onNavigate={navigate}
        importing={importer.busy}
      />
      <main className="content" data-view={route.view}>
        {route.view === 'findings' && (
          <FindingsView
            transport={transport}
            findings={findings}
            total={scan?.total ?? findings.length}
            loading={scanLoad.state === 'loading'}
            error={scanLoad.state === 'error' ? scanLoad.message : null}
            notes={notes}
            filters={filters}
            onFilters={setFilters}
            sort={sort}
            onSort={setSort}
            selectedId={selectedId}
            onSelect={setSelectedId}
            onOpen={openDetail}
            onExport={exportFindings}
            filterRef={filterRef}
          />
        )}
        {route.view === 'detail' && (
          <PairDetailView
            key={route.id}
            transport={transport}
            id={route.id}
            finding={findings.find((f) => f.id === route.id)}
            annotation={notes.get(route.id)}
            onBack={back}
            onMarkExpected={markExpected}
            onAnnotate={annotate}
            onTriaged={onTriaged}
          />
        )}
        {route.view === 'overview' && <OverviewView transport={transport} version={version} onOpen={openDetail} />}
        {route.view === 'coverage' && <CoverageView transport={transport} version={version} />}
        {route.view === 'whynot' && <WhyNotView transport={transport} minScore={filters.minScore} onOpen={openDetail} initialQuery={route.q} />}
        {route.view === 'import' && (
          <ImportView
            transport={transport}
            run={importer.run}
            busy={importer.busy}
            status={status}
            caseName={caseName}
            recent={current(recentLoad) ?? []}
            onImportPaths={(p) => void importer.importPaths(p)}
            onUpload={(f) => void importer.uploadAndImport(f)}
            onOpenCase={openCase}
            onSaveCase={saveCase}
          />
        )}
      </main>
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast${t.error ? ' error' : ''}`} role={t.error ? 'alert' : 'status'} data-testid="toast">
            <SafeText value={t.text} max={160} />
            {t.undo && (
              <button
                type="button"
                className="linkish"
                onClick={() => {
                  t.undo?.();
                  setToasts((list) => list.filter((x) => x.id !== t.id));
                }}
              >
                Undo
              </button>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}

function Header({
  status,
  statusError,
  scan,
  caseName,
  route,
  onNavigate,
  importing,
}: {
  status: StatusResponse | undefined;
  statusError: string | null;
  scan: ScanResult | undefined;
  caseName: string;
  route: Route;
  onNavigate(r: Route): void;
  importing: boolean;
}) {
  const files = status ? status.files.filter((f) => !f.skipped && f.reason === null) : [];
  const fileTitle = status ? status.files.map((f) => f.path).join('\n') : '';
  const summary = scan?.summary;
  const active = route.view === 'detail' ? 'findings' : route.view;
  return (
    <header className="topbar">
      <div className="brand">
        <svg className="brand-mark" width="22" height="22" viewBox="0 0 22 22" aria-hidden="true">
          <path d="M4 20 L11 2 L18 20 Z" className="brand-body" />
          <line x1="11" y1="17" x2="15" y2="6" className="brand-arm" />
        </svg>
        <span className="brand-name">Metronome</span>
      </div>
      <nav className="tabs-nav" aria-label="Views">
        {TABS.map((t) => (
          <button
            key={t.key}
            type="button"
            className={`nav-tab${active === t.view ? ' active' : ''}`}
            aria-current={active === t.view ? 'page' : undefined}
            data-testid={`nav-${t.key}`}
            onClick={() => onNavigate({ view: t.view } as Route)}
          >
            {t.label}
            {t.view === 'import' && importing ? <span className="pulse" aria-label="importing" /> : null}
          </button>
        ))}
      </nav>
      <div className="case" data-testid="case-status">
        {!status && !statusError && <span className="muted">loading case…</span>}
        {statusError && (
          <span className="error-text" role="alert">
            {statusError}
          </span>
        )}
        {status && (
          <>
            <span className="case-name" title={caseName}>
              {caseName}
            </span>
            <span className="stat" title="connections in the case">
              <strong>{formatInt(status.tables.connections)}</strong> connections
            </span>
            <span className="stat" title={fileTitle}>
              <strong>{formatInt(files.length)}</strong> file{files.length === 1 ? '' : 's'}
            </span>
            {summary && summary.start && summary.end && (
              <span className="stat" title={`${formatTime(summary.start)} – ${formatTime(summary.end)} UTC`}>
                <strong>{formatSpan(summary.start, summary.end)}</strong> of traffic
              </span>
            )}
          </>
        )}
      </div>
      {status && <span className="version muted">v{status.version}</span>}
    </header>
  );
}
