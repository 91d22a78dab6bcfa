// The ranked findings table, virtualized (@tanstack/react-virtual): only the rows in view are in
// the DOM, so 100 000 findings scroll and filter smoothly. Sortable by any column (click a header;
// again to reverse). Selection follows click and keyboard (j/k, ↑/↓, Home/End, PgUp/PgDn; Enter
// opens the detail). All log-derived strings are React text nodes, cut with CSS, full in a title.
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Annotation, Finding } from '../../shared/types.js';
import { categoryLabel, formatBytes, formatInt, formatPercent, formatPeriod, formatScore, formatTime, portProto, scoreColor, sourceLabel } from '../format.js';
import { isExpected, triageState, type Sort, type SortKey } from '../findings.js';
import { TriageBadge } from './TriageBadge.js';

export interface FindingsTableProps {
  findings: Finding[];
  /** Rank of each finding in the engine's order (1-based), shown in the # column. */
  ranks: Map<string, number>;
  notes: Map<string, Annotation>;
  selectedId: string | null;
  sort: Sort;
  onSort(sort: Sort): void;
  onSelect(id: string): void;
  /** Enter or double-click: open the detail. */
  onOpen?(id: string): void;
}

const ROW_H = 32;
const HEAD_H = 31;

function rowDomId(id: string): string {
  return `finding-row-${id}`;
}

interface Column {
  key: SortKey;
  label: string;
  title?: string;
  className: string;
  num?: boolean;
}

const COLUMNS: Column[] = [
  { key: 'rank', label: '#', className: 'c-rank', num: true, title: 'Rank by score' },
  { key: 'score', label: 'Score', className: 'c-score' },
  { key: 'category', label: 'Category', className: 'c-category' },
  { key: 'state', label: 'State', className: 'c-state', title: 'Triage state (new, investigating, escalated, expected, closed)' },
  { key: 'src', label: 'Source', className: 'c-src' },
  { key: 'dst', label: 'Destination', className: 'c-dst' },
  { key: 'port', label: 'Port', className: 'c-port' },
  { key: 'period', label: 'Period', className: 'c-period', num: true, title: 'Detected rhythm' },
  { key: 'connections', label: 'Conns', className: 'c-num', num: true, title: 'Connections (raw records)' },
  { key: 'bytesOut', label: 'Bytes out', className: 'c-bytes', num: true },
  { key: 'firstSeen', label: 'First (UTC)', className: 'c-time', title: 'First seen, UTC' },
  { key: 'lastSeen', label: 'Last (UTC)', className: 'c-time', title: 'Last seen, UTC' },
  { key: 'prevalence', label: 'Prevalence', className: 'c-prev', num: true, title: 'Share of internal hosts that talk to this destination' },
];

function triageTitle(f: Finding): string {
  const t = f.triage;
  if (!t || t.updatedAt === null) return 'new: never triaged';
  const last = t.notes.length ? t.notes[t.notes.length - 1].text : '';
  return [`${t.state}${t.owner ? ` · owner ${t.owner}` : ''}`, `changed ${formatTime(t.updatedAt)} UTC`, last].filter(Boolean).join('\n');
}

export function FindingsTable({ findings, ranks, notes, selectedId, sort, onSort, onSelect, onOpen }: FindingsTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const selectedIndex = selectedId === null ? -1 : findings.findIndex((f) => f.id === selectedId);
  const virtualizer = useVirtualizer({
    count: findings.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 12,
    paddingStart: HEAD_H,
    scrollPaddingStart: HEAD_H,
  });

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const move = (to: number) => {
    if (findings.length === 0) return;
    onSelect(findings[Math.max(0, Math.min(findings.length - 1, to))].id);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTableElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const at = selectedIndex < 0 ? 0 : selectedIndex;
    switch (e.key) {
      case 'j':
      case 'ArrowDown':
        move(selectedIndex < 0 ? 0 : at + 1);
        break;
      case 'k':
      case 'ArrowUp':
        move(selectedIndex < 0 ? 0 : at - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(findings.length - 1);
        break;
      case 'PageDown':
        move(at + 15);
        break;
      case 'PageUp':
        move(at - 15);
        break;
      case 'Enter':
        if (selectedIndex >= 0) onOpen?.(findings[selectedIndex].id);
        else move(0);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  if (findings.length === 0) {
    return (
      <div className="findings-empty" data-testid="findings-table">
        No findings match: nothing in this case keeps time, or the filters hide it.
      </div>
    );
  }

  const items = virtualizer.getVirtualItems();
  const padTop = items.length ? items[0].start - HEAD_H : 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const headerClick = (key: SortKey) =>
    onSort(sort.key === key ? { key, desc: !sort.desc } : { key, desc: key === 'score' || key === 'rank' || key === 'connections' || key === 'bytesOut' || key === 'prevalence' || key === 'lastSeen' || key === 'state' });

  return (
    <div className="findings-scroll" ref={scrollRef} data-testid="findings-scroll">
      <table
        className="findings"
        data-testid="findings-table"
        data-rows={findings.length}
        tabIndex={0}
        role="grid"
        aria-label="Findings. j/k or the arrow keys move, Enter opens the detail, click a header to sort."
        aria-rowcount={findings.length + 1}
        aria-activedescendant={selectedId !== null && selectedIndex >= 0 ? rowDomId(selectedId) : undefined}
        onKeyDown={onKeyDown}
      >
        <colgroup>
          {COLUMNS.map((c) => (
            <col key={c.key} className={c.className} />
          ))}
          <col className="c-tags" />
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={`${c.num ? 'num' : ''} sortable${sort.key === c.key ? ' sorted' : ''}`}
                aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                title={c.title ? `${c.title} · click to sort` : 'click to sort'}
                data-sort-key={c.key}
                onClick={() => headerClick(c.key)}
              >
                {c.label}
                <span className="sort-mark" aria-hidden="true">
                  {sort.key === c.key ? (sort.desc ? ' ▾' : ' ▴') : ''}
                </span>
              </th>
            ))}
            <th scope="col" title="Tags, notes, expected (baseline)">Tags</th>
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr className="spacer" aria-hidden="true" style={{ height: padTop }}>
              <td colSpan={COLUMNS.length + 1} />
            </tr>
          )}
          {items.map((item) => {
            const f = findings[item.index];
            const selected = f.id === selectedId;
            const a = notes.get(f.id);
            const dstTitle = f.dstIps?.length ? `${f.dst}\n${f.dstIps.map((d) => `${d.ip} (${formatInt(d.count)})`).join('\n')}` : f.dst;
            return (
              <tr
                key={f.id}
                id={rowDomId(f.id)}
                data-testid="finding-row"
                data-finding-id={f.id}
                aria-rowindex={item.index + 2}
                aria-selected={selected}
                className={`${selected ? 'selected' : ''}${isExpected(f) ? ' expected' : ''}`}
                onClick={() => onSelect(f.id)}
                onDoubleClick={() => onOpen?.(f.id)}
              >
                <td className="num rank" data-col="rank">
                  {ranks.get(f.id) ?? item.index + 1}
                </td>
                <td data-col="score" data-value={f.score} title={`score ${f.score.toFixed(3)} (${f.scorer})`}>
                  <div className="score">
                    <span className="score-value">{formatScore(f.score)}</span>
                    <span className="score-track" aria-hidden="true">
                      <span className="score-bar" style={{ width: `${Math.max(0, Math.min(1, f.score)) * 100}%`, backgroundColor: scoreColor(f.score) }} />
                    </span>
                  </div>
                </td>
                <td data-col="category" title={categoryLabel(f.category)}>
                  <span className={`badge cat-${f.category}`}>{categoryLabel(f.category)}</span>
                </td>
                <td data-col="state" data-value={triageState(f)} title={triageTitle(f)}>
                  <TriageBadge state={triageState(f)} />
                </td>
                <td className="addr" data-col="src" title={f.hosts && f.hosts.length > 1 ? f.hosts.join('\n') : f.src}>
                  <span className="cell-text">{sourceLabel(f)}</span>
                </td>
                <td className="addr" data-col="dst" title={dstTitle}>
                  <span className="cell-text">{f.dst}</span>
                </td>
                <td className="mono-num" data-col="port" title={portProto(f)}>
                  <span className="cell-text">{portProto(f)}</span>
                </td>
                <td className="num" data-col="period" title={f.period === null ? 'no rhythm' : `${f.period.toFixed(3)} s`}>
                  {formatPeriod(f.period)}
                </td>
                <td className="num" data-col="connections" data-value={f.connections}>
                  {formatInt(f.connections)}
                </td>
                <td className="num" data-col="bytesOut" title={f.bytesOut === null ? 'unknown' : `${formatInt(f.bytesOut)} bytes`}>
                  {formatBytes(f.bytesOut)}
                </td>
                <td className="time" data-col="firstSeen" title={`${formatTime(f.firstSeen)} UTC`}>
                  {formatTime(f.firstSeen).slice(0, 16)}
                </td>
                <td className="time" data-col="lastSeen" title={`${formatTime(f.lastSeen)} UTC`}>
                  {formatTime(f.lastSeen).slice(0, 16)}
                </td>
                <td className="num" data-col="prevalence" title={f.prevalence === null || f.prevalence === undefined ? 'unknown' : `${(f.prevalence * 100).toFixed(1)} % of internal hosts`}>
                  {formatPercent(f.prevalence)}
                </td>
                <td data-col="tags" title={[...(a?.tags ?? []), a?.note ?? '', f.baseline ? `expected: ${f.baseline.owner} — ${f.baseline.note}` : ''].filter(Boolean).join('\n')}>
                  <span className="cell-text tags">
                    {f.baseline && <span className={`tag ${isExpected(f) ? 'tag-expected' : 'tag-drift'}`}>{isExpected(f) ? 'expected' : 'drifted'}</span>}
                    {(a?.tags ?? []).map((t) => (
                      <span key={t} className="tag">
                        {t}
                      </span>
                    ))}
                    {a?.note ? <span className="note-mark" aria-label="has a note">✎</span> : null}
                  </span>
                </td>
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr className="spacer" aria-hidden="true" style={{ height: padBottom }}>
              <td colSpan={COLUMNS.length + 1} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
