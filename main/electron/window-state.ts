// Window position and size kept between runs (a small JSON file in the app's user-data folder),
// restored only when it still fits a connected display. Free of Electron imports for tests.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_STATE: WindowState = { width: 1440, height: 900, maximized: false };

function num(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** The saved state when it is sane and at least 100 × 100 px of it lies on one of `displays`. */
export function restoreState(saved: unknown, displays: Area[], min = { width: 960, height: 600 }): WindowState {
  if (typeof saved !== 'object' || saved === null) return { ...DEFAULT_STATE };
  const s = saved as Record<string, unknown>;
  if (!num(s.width) || !num(s.height)) return { ...DEFAULT_STATE };
  const width = Math.max(min.width, Math.min(10_000, Math.round(s.width)));
  const height = Math.max(min.height, Math.min(10_000, Math.round(s.height)));
  const maximized = s.maximized === true;
  if (!num(s.x) || !num(s.y)) return { width, height, maximized };
  const x = Math.round(s.x);
  const y = Math.round(s.y);
  const visible = displays.some((d) => {
    const w = Math.min(x + width, d.x + d.width) - Math.max(x, d.x);
    const h = Math.min(y + height, d.y + d.height) - Math.max(y, d.y);
    return w >= 100 && h >= 100;
  });
  return visible ? { x, y, width, height, maximized } : { width, height, maximized };
}

export function loadWindowState(file: string, displays: Area[]): WindowState {
  try {
    return restoreState(JSON.parse(readFileSync(file, 'utf8')), displays);
  } catch {
    return { ...DEFAULT_STATE };
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(state)}\n`);
  } catch {
    // Not being able to remember the window's place is not worth an error.
  }
}
