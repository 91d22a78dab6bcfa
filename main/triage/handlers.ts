// The triage operations of shared/api.ts (registered into Engine.handlers). Setting a state
// needs the finding as the current scan has it (an expected finding is documented in the baseline).
import { ValidationError } from '../../shared/api.js';
import type { Finding } from '../../shared/types.js';
import { NotFoundError, type Engine, type Handlers } from '../api/engine.js';
import { getTriage, listTriage, setTriage, triageHistory, TriageUsageError } from './store.js';

export async function findingById(engine: Engine, id: string): Promise<Finding> {
  const f = await engine.finding(id);
  if (!f) throw new NotFoundError(`no finding ${id} in this case`);
  return f;
}

export function triageHandlers(engine: Engine): Pick<Handlers, 'triageGet' | 'triageSet' | 'triageHistory' | 'triageList'> {
  return {
    triageGet: async (req) => getTriage(engine.db, req.id),
    triageList: async () => listTriage(engine.db),
    triageHistory: async (req) => triageHistory(engine.db, req.id),
    triageSet: async (req) => {
      const finding = await findingById(engine, req.id);
      try {
        return await setTriage(engine.db, finding, { state: req.state, owner: req.owner, note: req.note, by: req.by ?? null });
      } catch (e) {
        throw e instanceof TriageUsageError ? new ValidationError(e.message) : e;
      }
    },
  };
}
