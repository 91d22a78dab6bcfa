// `metronome intel import|list` (offline indicator lists: IPs, CIDRs, domains, JA3 hashes) and
// `metronome assets set|list` (criticality by host or CIDR), both kept in a case.
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Criticality } from '../../shared/context.js';
import { Engine } from '../api/engine.js';
import { addIndicators, listAssets, listIntel, parseIndicatorList, setAsset } from '../engine/context-store.js';
import { safeText, toJson } from './output.js';
import { withCase } from './args.js';


export function registerContext(program: Command, out: (s: string) => void): void {
  const intel = program.command('intel').description('offline indicator lists (IPs, CIDRs, domains, JA3) that add evidence to findings');
  intel
    .command('import')
    .argument('<files...>', 'text lists: one indicator per line, optional ",note"; # comments; defanged forms accepted')
    .requiredOption('--db <file>', 'case file')
    .option('--source <name>', 'list name shown in findings (default: the file name)')
    .action(async (files: string[], o: { db: string; source?: string }) => {
      const results = await withCase(o.db, async (e) => {
        const res = [];
        for (const f of files) {
          let text: string;
          try {
            text = readFileSync(f, 'utf8');
          } catch (err) {
            throw new Error(`${f}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
          }
          const { indicators, rejected } = parseIndicatorList(text, o.source ?? basename(f));
          const added = await addIndicators(e.db, indicators);
          for (const r of rejected) process.stderr.write(`metronome: ${safeText(f)}: line ${r.line}: ${safeText(r.reason)}\n`);
          res.push({ path: f, indicators: indicators.length, added, rejected: rejected.length, errors: rejected.slice(0, 10) });
        }
        return res;
      });
      out(toJson({ files: results }));
    });
  intel
    .command('list')
    .requiredOption('--db <file>', 'case file')
    .action(async (o: { db: string }) => out(toJson({ intel: await withCase(o.db, (e) => listIntel(e.db)) })));

  const assets = program.command('assets').description('asset criticality by host or CIDR: sets findings’ triage priority');
  assets
    .command('set')
    .argument('<cidr>', 'host IP or CIDR')
    .requiredOption('--db <file>', 'case file')
    .addOption(new Option('--criticality <level>').choices(['critical', 'high', 'normal', 'low']).makeOptionMandatory())
    .option('--note <text>', 'what it is (e.g. "domain controllers")')
    .action(async (cidr: string, o: { db: string; criticality: Criticality; note?: string }) => {
      await withCase(o.db, (e) => setAsset(e.db, { match: cidr, criticality: o.criticality, note: o.note ?? null }));
      out(toJson({ match: cidr, criticality: o.criticality, note: o.note ?? null }));
    });
  assets
    .command('list')
    .requiredOption('--db <file>', 'case file')
    .action(async (o: { db: string }) => out(toJson({ assets: await withCase(o.db, (e) => listAssets(e.db)) })));
}
