// A finding's triage state as a small badge (new, investigating, escalated, expected, closed).
import type { TriageState } from '../../shared/types.js';

export const TRIAGE_LABEL: Record<TriageState, string> = {
  new: 'new',
  investigating: 'investigating',
  escalated: 'escalated',
  expected: 'expected',
  closed: 'closed',
};

export function TriageBadge({ state, testId }: { state: TriageState; testId?: string }) {
  return (
    <span className={`triage-badge triage-${state}`} data-testid={testId} data-state={state}>
      {TRIAGE_LABEL[state]}
    </span>
  );
}
