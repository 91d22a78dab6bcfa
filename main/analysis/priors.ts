// Soft priors for known services (presets/known-services.json, editable): negative evidence with
// its own sentence, never deletion. Matched on the key's port/proto or its destination name.
import { readFileSync } from 'node:fs';
import type { Reason } from '../../shared/types.js';

export interface PriorRule {
  id: string;
  port?: number;
  ports?: number[];
  proto?: string;
  domains?: string[];
  namePattern?: string;
  contribution: number;
  text: string;
}

export interface KeyFacts {
  name: string | null;
  port: number | null;
  proto: string | null;
}

const DEFAULT_PRESET = new URL('../../../presets/known-services.json', import.meta.url);

export function loadPriors(path: string | URL = DEFAULT_PRESET): PriorRule[] {
  const j = JSON.parse(readFileSync(path, 'utf8')) as { rules?: PriorRule[] };
  if (!Array.isArray(j.rules)) throw new Error(`${String(path)}: no "rules" list`);
  return j.rules;
}

function nameMatches(name: string, domains: string[]): boolean {
  return domains.some((d) => name === d || name.endsWith(`.${d}`));
}

export function priorsFor(key: KeyFacts, rules: PriorRule[]): Reason[] {
  const out: Reason[] = [];
  for (const r of rules) {
    let hit = false;
    const ports = r.ports ?? (r.port !== undefined ? [r.port] : []);
    if (ports.length && key.port !== null && ports.includes(key.port) && (!r.proto || r.proto === key.proto)) hit = true;
    if (!hit && key.name) {
      if (r.domains && nameMatches(key.name, r.domains)) hit = true;
      else if (r.namePattern && new RegExp(r.namePattern).test(key.name)) hit = true;
    }
    if (hit) out.push({ feature: `known-service:${r.id}`, contribution: r.contribution, text: `known service: ${r.text}` });
  }
  return out;
}

const SCRIPTED_UA = /(powershell|curl\/|wget\/|python-requests|python-urllib|aiohttp|go-http-client|java\/\d|winhttp|libwww-perl|okhttp|microsoft bits|certutil)/i;

/** Client fingerprint evidence from the user agents of a key's HTTP requests. */
export function userAgentEvidence(agents: Map<string, number>): Reason | null {
  let total = 0;
  let scripted = 0;
  let example = '';
  for (const [ua, n] of agents) {
    total += n;
    if (SCRIPTED_UA.test(ua)) {
      scripted += n;
      example ||= ua;
    }
  }
  if (total === 0 || scripted / total < 0.5) return null;
  // Quote the product token that gave it away (long user agents hide it at the end).
  const m = SCRIPTED_UA.exec(example);
  const token = m ? (/\S*$/.exec(example.slice(0, m.index))?.[0] ?? '') + (/^\S*/.exec(example.slice(m.index))?.[0] ?? '') : example;
  const short = token.length > 60 ? `${token.slice(0, 60)}…` : token;
  return {
    feature: 'client',
    contribution: 1.5,
    text: `client: ${Math.round((100 * scripted) / total)} % of requests come from a scripting tool (user agent ${short}), not a browser`,
  };
}
