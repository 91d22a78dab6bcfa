// The registered source plugins, in sniffing order, and the per-file choice with its reasons.
import type { SourceFormat } from '../../shared/types.js';
import { pcap } from './pcap.js';
import type { SourcePlugin } from './source.js';
import { suricataEve } from './suricata-eve.js';
import { zeekJson } from './zeek-json.js';
import { zeekTsv } from './zeek-tsv.js';

export const PLUGINS: SourcePlugin[] = [zeekTsv, zeekJson, suricataEve, pcap];


export interface Choice {
  plugin: SourcePlugin | null;
  /** Why this plugin, or each plugin's reason for refusing. */
  why: string;
}

export function choosePlugin(head: string, baseName: string, forced?: SourceFormat): Choice {
  const candidates = forced ? PLUGINS.filter((p) => p.format === forced) : PLUGINS;
  if (forced && candidates.length === 0) return { plugin: null, why: `no reader for format ${forced} yet` };
  const refusals: string[] = [];
  for (const p of candidates) {
    const r = p.sniff(head, baseName);
    if (r.ok) return { plugin: p, why: `${p.format}: ${r.why}` };
    refusals.push(`${p.format}: ${r.why}`);
  }
  return { plugin: null, why: `no reader took this file (${refusals.join('; ')})` };
}
