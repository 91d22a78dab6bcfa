// What a capture's length allows: a rhythm can only be seen when it repeats inside the capture.
// Pure, so the rules are tested with exact values and the UI can explain them the same way.

export interface Detectable {
  /** Seconds of the rhythm. */
  period: number;
  label: string;
  /** Capture length this period needs. */
  needsSeconds: number;
  possible: boolean;
  why: string;
}

interface Rule {
  period: number;
  label: string;
  /** How many periods of capture the rhythm needs to repeat often enough to be measured. */
  periods: number;
  what: string;
}

/**
 * A beacon or job must repeat several times to show a rhythm: a 60 s beacon needs a few minutes
 * (5 check-ins), 5 and 15 minute rhythms and hourly jobs need three periods, a daily job three
 * days, a weekly job at least two weeks (three runs at best).
 */
export const DETECTABLE_RULES: readonly Rule[] = [
  { period: 60, label: '60 s beacon', periods: 5, what: 'check-ins' },
  { period: 300, label: '5-minute beacon', periods: 3, what: 'check-ins' },
  { period: 900, label: '15-minute schedule', periods: 3, what: 'runs' },
  { period: 3600, label: 'hourly job', periods: 3, what: 'runs' },
  { period: 86_400, label: 'daily job', periods: 3, what: 'runs' },
  { period: 604_800, label: 'weekly job', periods: 2, what: 'runs' },
];

/** Seconds in plain words: "50 minutes", "3 hours", "2 weeks", "1.2 days". */
export function plainDuration(seconds: number): string {
  const s = Math.abs(seconds);
  const unit = (v: number, one: string) => {
    const r = Math.round(v * 10) / 10;
    const text = Number.isInteger(r) ? String(r) : r.toFixed(1);
    return `${text} ${one}${r === 1 ? '' : 's'}`;
  };
  if (s < 120) return unit(s, 'second');
  if (s < 7200) return unit(s / 60, 'minute');
  if (s < 172_800) return unit(s / 3600, 'hour');
  if (s < 1_209_600) return unit(s / 86_400, 'day');
  return unit(s / 604_800, 'week');
}

export function detectable(captureSeconds: number): Detectable[] {
  return DETECTABLE_RULES.map((r) => {
    const needs = r.period * r.periods;
    const possible = captureSeconds >= needs;
    const fits = Math.floor(captureSeconds / r.period) + (captureSeconds > 0 ? 1 : 0);
    const a = /^[aeiou]/i.test(r.label) || r.label.startsWith('hour') ? 'an' : 'a';
    const why = possible
      ? `${a} ${r.label} needs at least ${plainDuration(needs)} of capture (${r.periods} periods); this capture lasts ${plainDuration(captureSeconds)}, room for up to ${fits} ${r.what}`
      : `${a} ${r.label} needs at least ${plainDuration(needs)} of capture to repeat ${r.periods === 2 ? 'twice' : `${r.periods} times`}; this capture lasts only ${plainDuration(captureSeconds)}${
          fits <= 1 ? ', so it would show one run at most' : `, so it would show ${fits} ${r.what} at most`
        }`;
    return { period: r.period, label: r.label, needsSeconds: needs, possible, why };
  });
}

/** One sentence: the capture's length and the rhythms it can and cannot support. */
export function detectableSentence(captureSeconds: number, list: Detectable[] = detectable(captureSeconds)): string {
  const yes = list.filter((d) => d.possible).map((d) => d.label);
  const no = list.filter((d) => !d.possible);
  const longest = Math.floor(captureSeconds / 3);
  const head = `The capture lasts ${plainDuration(captureSeconds)}`;
  if (!yes.length) {
    return `${head}: too short to show any rhythm reliably (even a 60 s beacon needs ${plainDuration(list[0]?.needsSeconds ?? 300)}).`;
  }
  const cannot = no.length
    ? `; it cannot support ${joinWords(no.map((d) => `${d.label}s`), 'or')} (${no[0].label}s need at least ${plainDuration(no[0].needsSeconds)})`
    : '';
  return `${head}: it can show ${joinWords(yes.map((l) => `${l}s`))} (rhythms up to about ${plainDuration(longest)}, a third of the capture)${cannot}.`;
}

export function joinWords(words: string[], last = 'and'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${last} ${words[words.length - 1]}`;
}
