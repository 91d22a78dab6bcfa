// Handlers for the hunting views' queries (charts, searches, raw records): each aggregates in
// DuckDB and returns only what a view draws. Registered into Engine.handlers.
import type { Engine, Handlers } from './engine.js';

/** The view operations of shared/api.ts (none yet beyond the core ones in engine.ts). */
export function viewHandlers(_engine: Engine): Partial<Handlers> {
  return {};
}
