// The coverage operation of shared/api.ts (registered into Engine.handlers).
import type { Cidr } from '../../shared/net.js';
import type { Engine, Handlers } from '../api/engine.js';
import { computeCoverage } from './coverage.js';

/** `internal` reads the engine's internal ranges when a request runs. */
export function coverageHandlers(engine: Engine, internal: () => Cidr[]): Pick<Handlers, 'coverage'> {
  return {
    coverage: async () => computeCoverage(engine.db, { internal: internal() }),
  };
}
