// A request's state for a view: loading (keeping the last value to show dimmed), ok or error.
import { useEffect, useRef, useState } from 'react';

export type Load<T> = { state: 'loading'; prev?: T } | { state: 'ok'; value: T } | { state: 'error'; message: string; prev?: T };

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs `fn` whenever `deps` change; answers of superseded runs are dropped. */
export function useAsync<T>(fn: () => Promise<T>, deps: unknown[], delayMs = 0): [Load<T>, () => void] {
  const [load, setLoad] = useState<Load<T>>({ state: 'loading' });
  const [nonce, setNonce] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    let live = true;
    setLoad((cur) => ({ state: 'loading', prev: cur.state === 'ok' ? cur.value : cur.state === 'loading' ? cur.prev : cur.prev }));
    const timer = setTimeout(() => {
      fnRef.current().then(
        (value) => live && setLoad({ state: 'ok', value }),
        (err) => live && setLoad((cur) => ({ state: 'error', message: message(err), prev: cur.state === 'loading' ? cur.prev : undefined })),
      );
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, nonce]);
  return [load, () => setNonce((n) => n + 1)];
}

/** The value to draw: the answer, or the previous one while the next loads. */
export function current<T>(load: Load<T>): T | undefined {
  return load.state === 'ok' ? load.value : load.prev;
}
