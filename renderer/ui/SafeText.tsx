// Log content is untrusted: it is only ever a React text node (never markup), control characters
// are made visible (\xNN), binary-looking values are flagged, and long values are cut with the
// full value one click away (expand) and in the tooltip (up to 2 000 characters).
import { useState, type MouseEvent } from 'react';
import { binaryShare, escapeControls, formatInt, truncateText } from '../format.js';

export interface SafeTextProps {
  value: unknown;
  /** Characters shown before cutting. */
  max?: number;
  className?: string;
}

const TITLE_MAX = 2000;

export function SafeText({ value, max = 80, className }: SafeTextProps) {
  const [open, setOpen] = useState(false);
  if (value === null || value === undefined || value === '') return <span className={`safe-text null ${className ?? ''}`}>—</span>;
  const raw = typeof value === 'string' ? value : String(value);
  const binary = raw.length > 0 && binaryShare(raw) > 0.1;
  const shown = escapeControls(raw);
  const { text, cut } = truncateText(shown, max);
  const toggle = (e: MouseEvent) => {
    e.stopPropagation();
    setOpen((o) => !o);
  };
  return (
    <span
      className={`safe-text${binary ? ' binary' : ''}${open ? ' open' : ''} ${className ?? ''}`}
      title={truncateText(shown, TITLE_MAX).text}
      data-full-length={raw.length}
    >
      {binary && (
        <span className="binary-badge" title="contains control or non-text bytes, shown escaped as \xNN">
          bin
        </span>
      )}
      {open ? shown : text}
      {cut && (
        <button type="button" className="more" onClick={toggle} aria-expanded={open} title={open ? 'show less' : 'show the full value'}>
          {open ? 'less' : `+${formatInt(Array.from(shown).length - Array.from(text).length + 1)}`}
        </button>
      )}
    </span>
  );
}
