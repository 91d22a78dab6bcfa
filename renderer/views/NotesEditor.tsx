// Tags and a note on a finding (stored in the case's `annotations` table).
import { useEffect, useState, type FormEvent } from 'react';
import type { Annotation } from '../../shared/types.js';

export interface NotesEditorProps {
  annotation: Annotation | undefined;
  busy?: boolean;
  error?: string | null;
  onSave(tags: string[], note: string): void;
  onClose(): void;
}

export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[,\n]/).map((t) => t.trim()).filter(Boolean))].slice(0, 20).map((t) => t.slice(0, 40));
}

export function NotesEditor({ annotation, busy, error, onSave, onClose }: NotesEditorProps) {
  const [tags, setTags] = useState((annotation?.tags ?? []).join(', '));
  const [note, setNote] = useState(annotation?.note ?? '');
  useEffect(() => {
    setTags((annotation?.tags ?? []).join(', '));
    setNote(annotation?.note ?? '');
  }, [annotation]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave(parseTags(tags), note);
  };
  return (
    <form className="notes-editor" data-testid="notes-editor" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <label className="field">
        <span>Tags (comma-separated)</span>
        <input data-testid="notes-tags" value={tags} onChange={(e) => setTags(e.target.value)} placeholder="c2, njrat, escalate" autoFocus />
      </label>
      <label className="field">
        <span>Note</span>
        <textarea data-testid="notes-note" value={note} onChange={(e) => setNote(e.target.value)} rows={3} maxLength={4000} placeholder="What you found, what to do next" />
      </label>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      <div className="modal-actions">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
        <button type="submit" className="btn primary" data-testid="notes-save" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
