// Runs an import for the UI: optional upload of dropped files (browser mode), then
// importWithProgress while polling importStatus (answered at once by the engine even while the
// import holds it) for the progress bar. Lives in App so progress survives switching views.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportReport, ImportStatus } from '../shared/types.js';
import type { AppTransport } from './transport.js';
import { message } from './ui/useAsync.js';

export interface ImportRun {
  phase: 'idle' | 'uploading' | 'importing' | 'done' | 'error';
  upload?: { name: string; index: number; count: number; sent: number; total: number };
  status?: ImportStatus;
  report?: ImportReport;
  error?: string;
  elapsedMs?: number;
}

const POLL_MS = 200;

export function useImporter(transport: AppTransport, onImported: (report: ImportReport) => void) {
  const [run, setRun] = useState<ImportRun>({ phase: 'idle' });
  const onDone = useRef(onImported);
  onDone.current = onImported;
  const busy = run.phase === 'uploading' || run.phase === 'importing';
  const busyRef = useRef(false);
  busyRef.current = busy;

  const importPaths = useCallback(
    async (paths: string[]) => {
      const started = performance.now();
      setRun({ phase: 'importing' });
      let polling = true;
      const poll = async () => {
        while (polling) {
          try {
            const status = await transport.invoke('importStatus', {});
            if (polling) setRun((r) => (r.phase === 'importing' ? { ...r, status } : r));
          } catch {
            // a missed poll only delays the bar
          }
          await new Promise((res) => setTimeout(res, POLL_MS));
        }
      };
      void poll();
      try {
        const report = await transport.invoke('importWithProgress', { paths });
        polling = false;
        setRun({ phase: 'done', report, elapsedMs: performance.now() - started });
        onDone.current(report);
      } catch (e) {
        polling = false;
        setRun({ phase: 'error', error: message(e) });
      }
    },
    [transport],
  );

  const uploadAndImport = useCallback(
    async (files: File[]) => {
      if (!transport.upload || files.length === 0) return;
      const paths: string[] = [];
      try {
        for (let i = 0; i < files.length; i++) {
          const file = files[i];
          setRun({ phase: 'uploading', upload: { name: file.name, index: i, count: files.length, sent: 0, total: file.size } });
          const res = await transport.upload(file, (sent, total) =>
            setRun({ phase: 'uploading', upload: { name: file.name, index: i, count: files.length, sent, total } }),
          );
          paths.push(res.path);
        }
      } catch (e) {
        setRun({ phase: 'error', error: `Upload failed: ${message(e)}` });
        return;
      }
      await importPaths(paths);
    },
    [transport, importPaths],
  );

  useEffect(() => () => undefined, []);
  return { run, busy, importPaths, uploadAndImport };
}
