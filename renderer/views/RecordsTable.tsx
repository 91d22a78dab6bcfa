// A page of raw records (DNS lookups, HTTP requests, TLS handshakes, alerts, connections): every
// cell is untrusted log content, shown through SafeText (escaped, cut, full value on demand).
import type { RecordPage } from '../../shared/types.js';
import { formatInt, formatMs } from '../format.js';
import { SafeText } from '../ui/SafeText.js';

const NUMERIC = /(_port|bytes|_len|duration|severity|signature_id|status_code|^ttls$)/;

export interface RecordsTableProps {
  page: RecordPage | undefined;
  loading?: boolean;
  error?: string | null;
  onPage?(offset: number): void;
  limit: number;
  testId?: string;
  empty?: string;
}

export function RecordsTable({ page, loading, error, onPage, limit, testId = 'records', empty = 'No records.' }: RecordsTableProps) {
  if (error) {
    return (
      <div className="error-banner" role="alert">
        {error}
      </div>
    );
  }
  if (!page) return <div className="placeholder">{loading ? 'Loading…' : ''}</div>;
  const from = page.total === 0 ? 0 : page.offset + 1;
  const to = Math.min(page.total, page.offset + page.rows.length);
  return (
    <div className={`records${loading ? ' stale' : ''}`} data-testid={testId} data-total={page.total} data-kind={page.kind}>
      <div className="records-bar">
        <span className="muted">
          {page.total === 0 ? empty : `${formatInt(from)}–${formatInt(to)} of ${formatInt(page.total)} ${page.kind}`}
        </span>
        {onPage && page.total > limit && (
          <span className="pager">
            <button type="button" className="tool" disabled={page.offset === 0} onClick={() => onPage(Math.max(0, page.offset - limit))}>
              ← Prev
            </button>
            <button type="button" className="tool" disabled={to >= page.total} onClick={() => onPage(page.offset + limit)}>
              Next →
            </button>
          </span>
        )}
      </div>
      {page.rows.length > 0 && (
        <div className="records-scroll">
          <table className="records-table">
            <thead>
              <tr>
                {page.columns.map((c) => (
                  <th key={c} className={NUMERIC.test(c) ? 'num' : undefined} scope="col">
                    {c === 'ts' ? 'time (UTC)' : c.replace(/_/g, ' ')}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r, i) => (
                <tr key={i} data-testid={`${testId}-row`}>
                  {r.map((v, j) => {
                    const c = page.columns[j];
                    if (c === 'ts') return <td key={j} className="time">{formatMs(typeof v === 'number' ? v : Number(v))}</td>;
                    if (typeof v === 'number') return <td key={j} className="num">{Number.isInteger(v) ? formatInt(v) : v.toFixed(3)}</td>;
                    if (typeof v === 'boolean') return <td key={j}>{v ? 'yes' : 'no'}</td>;
                    return (
                      <td key={j} className={c === 'src' || c === 'dst' || c === 'resolver' ? 'addr' : undefined}>
                        <SafeText value={v} max={c === 'uri' || c === 'user_agent' || c === 'answers' || c === 'subject' || c === 'signature' ? 60 : 40} />
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
