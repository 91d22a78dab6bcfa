// The evidence operation of shared/api.ts (registered into Engine.handlers).
import { ValidationError } from '../../shared/api.js';
import type { Engine, Handlers } from '../api/engine.js';
import { EvidenceError, exportEvidence } from './package.js';

export function evidenceHandlers(engine: Engine): Pick<Handlers, 'exportEvidence'> {
  return {
    exportEvidence: async (req) =>
      exportEvidence(engine, req.id, req.out, { force: req.force ?? false }).catch((e: Error) => {
        throw e instanceof EvidenceError ? new ValidationError(e.message) : e;
      }),
  };
}
