// The ranked findings table. Selection follows click and keyboard (j/k, ↑/↓, Home/End, Enter);
// the table body scrolls and the selected row is kept in view. All log-derived strings are React
// text nodes, truncated with CSS and carried in full in a title attribute.
import { useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import type { Finding } from '../../shared/types.js';
import {
  categoryLabel,
  formatBytes,
  formatInt,
  formatPeriod,
  formatScore,
  formatTime,
  portProto,
  scoreColor,
} from '../format.js';

export interface FindingsTableProps {
  findings: Finding[];
  selectedId: string | null;
  onSelect(id: string): void;
  /** Enter on the selected row: show its detail. */
  onOpen?(id: string): void;
}

function rowDomId(id: string): string {
  return `finding-row-${id}`;
}

function Cell({ value, className, col }: { value: string; className?: string; col: string }) {
  return (
    <td className={className} data-col={col} title={value}>
      <span className="cell-text">{value}</span>
    </td>
  );
}

export function FindingsTable({ findings, selectedId, onSelect, onOpen }: FindingsTableProps) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const selectedIndex = selectedId === null ? -1 : findings.findIndex((f) => f.id === selectedId);

  useEffect(() => {
    if (selectedId === null || !bodyRef.current) return;
    const row = bodyRef.current.querySelector<HTMLTableRowElement>(`tr[data-finding-id="${CSS.escape(selectedId)}"]`);
    row?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  const move = useCallback(
    (to: number) => {
      if (findings.length === 0) return;
      const i = Math.max(0, Math.min(findings.length - 1, to));
      onSelect(findings[i].id);
    },
    [findings, onSelect],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLTableElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    switch (e.key) {
      case 'j':
      case 'ArrowDown':
        move(selectedIndex < 0 ? 0 : selectedIndex + 1);
        break;
      case 'k':
      case 'ArrowUp':
        move(selectedIndex < 0 ? 0 : selectedIndex - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(findings.length - 1);
        break;
      case 'PageDown':
        move((selectedIndex < 0 ? 0 : selectedIndex) + 10);
        break;
      case 'PageUp':
        move((selectedIndex < 0 ? 0 : selectedIndex) - 10);
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
        No findings: nothing in this case keeps time.
      </div>
    );
  }

  return (
    <div className="findings-scroll">
      <table
        className="findings"
        data-testid="findings-table"
        tabIndex={0}
        role="grid"
        aria-label="Findings, ranked by score. Use j/k or the arrow keys to move, Enter to open."
        aria-rowcount={findings.length + 1}
        aria-activedescendant={selectedId !== null && selectedIndex >= 0 ? rowDomId(selectedId) : undefined}
        onKeyDown={onKeyDown}
      >
        <colgroup>
          <col className="c-rank" />
          <col className="c-score" />
          <col className="c-category" />
          <col className="c-src" />
          <col className="c-dst" />
          <col className="c-port" />
          <col className="c-period" />
          <col className="c-num" />
          <col className="c-num" />
          <col className="c-bytes" />
          <col className="c-time" />
          <col className="c-time" />
        </colgroup>
        <thead>
          <tr>
            <th className="num" scope="col">#</th>
            <th scope="col">Score</th>
            <th scope="col">Category</th>
            <th scope="col">Source</th>
            <th scope="col">Destination</th>
            <th scope="col">Port</th>
            <th className="num" scope="col">Period</th>
            <th className="num" scope="col" title="Connections (raw records)">Conns</th>
            <th className="num" scope="col" title="Check-ins (bursts merged)">Check-ins</th>
            <th className="num" scope="col">Bytes out</th>
            <th scope="col">First seen (UTC)</th>
            <th scope="col">Last seen (UTC)</th>
          </tr>
        </thead>
        <tbody ref={bodyRef}>
          {findings.map((f, i) => {
            const selected = f.id === selectedId;
            const src = f.hosts && f.hosts.length > 1 ? `${f.hosts.length} hosts` : f.src;
            return (
              <tr
                key={f.id}
                id={rowDomId(f.id)}
                data-testid="finding-row"
                data-finding-id={f.id}
                aria-selected={selected}
                className={selected ? 'selected' : undefined}
                onClick={() => onSelect(f.id)}
                onDoubleClick={() => onOpen?.(f.id)}
              >
                <td className="num rank" data-col="rank">{i + 1}</td>
                <td data-col="score" title={`score ${f.score.toFixed(3)} (${f.scorer})`}>
                  <div className="score">
                    <span className="score-value">{formatScore(f.score)}</span>
                    <span className="score-track" aria-hidden="true">
                      <span
                        className="score-bar"
                        style={{ width: `${Math.max(0, Math.min(1, f.score)) * 100}%`, backgroundColor: scoreColor(f.score) }}
                      />
                    </span>
                  </div>
                </td>
                <td data-col="category" title={categoryLabel(f.category)}>
                  <span className={`badge cat-${f.category}`}>{categoryLabel(f.category)}</span>
                </td>
                <td className="addr" data-col="src" title={f.hosts && f.hosts.length > 1 ? f.hosts.join(', ') : f.src}>
                  <span className="cell-text">{src}</span>
                </td>
                <Cell className="addr" col="dst" value={f.dst} />
                <Cell className="mono-num" col="port" value={portProto(f)} />
                <td className="num" data-col="period" title={f.period === null ? 'no rhythm' : `${f.period.toFixed(3)} s`}>
                  {formatPeriod(f.period)}
                </td>
                <td className="num" data-col="connections" data-value={f.connections}>{formatInt(f.connections)}</td>
                <td className="num" data-col="checkins" data-value={f.checkins}>{formatInt(f.checkins)}</td>
                <td className="num" data-col="bytesOut" title={f.bytesOut === null ? 'unknown' : `${formatInt(f.bytesOut)} bytes`}>
                  {formatBytes(f.bytesOut)}
                </td>
                <Cell className="time" col="firstSeen" value={formatTime(f.firstSeen)} />
                <Cell className="time" col="lastSeen" value={formatTime(f.lastSeen)} />
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
