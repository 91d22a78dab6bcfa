// `metronome baseline add|list|remove|export|import`: the case's safelist of documented,
// expected rhythms (owner and purpose required), applied at query time by `scan`.
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import type { BaselineEntry, BaselineKind } from '../../shared/types.js';
import { Engine } from '../api/engine.js';
import { addBaseline, listBaseline, removeBaseline } from '../engine/baseline-store.js';
import { safeText, toJson } from './output.js';
import { nonNegative, withCase } from './args.js';



function table(entries: BaselineEntry[]): string {
  if (!entries.length) return 'baseline is empty';
  return entries
    .map((e) => {
      const expect = [e.expectedPeriod ? `every ${e.expectedPeriod} s` : '', e.expectedAt ? `at ${e.expectedAt}` : '', e.expectedBytesOut ? `${e.expectedBytesOut} B out` : '']
        .filter(Boolean)
        .join(', ');
      return `${e.id}  ${e.kind.padEnd(10)} ${safeText(e.src ? `${e.src} → ${e.dst}` : e.dst).padEnd(40)} ${safeText(e.owner)}: ${safeText(e.note)}${expect ? ` (${expect})` : ''}`;
    })
    .join('\n');
}

export function registerBaseline(program: Command, out: (s: string) => void): void {
  const cmd = program.command('baseline').description('documented, expected rhythms (safelist) kept in a case');
  cmd
    .command('add')
    .description('mark traffic as expected')
    .requiredOption('--db <file>', 'case file')
    .addOption(new Option('--kind <kind>', 'what the entry matches').choices(['ip', 'cidr', 'domain', 'pair', 'src-domain']).makeOptionMandatory())
    .requiredOption('--dst <dst>', 'IP, CIDR, domain (example.com or *.example.com) or pair destination')
    .option('--src <ip>', 'source IP (pair, src-domain)')
    .requiredOption('--owner <name>', 'business owner')
    .requiredOption('--note <text>', 'documented purpose')
    .option('--period <seconds>', 'expected period', nonNegative)
    .option('--bytes-out <bytes>', 'expected bytes out per check-in', nonNegative)
    .option('--at <HH:MM>', 'expected time of day')
    .action(async (o: { db: string; kind: BaselineKind; dst: string; src?: string; owner: string; note: string; period?: number; bytesOut?: number; at?: string }) => {
      const entry = await withCase(o.db, (e) =>
        addBaseline(e.db, {
          kind: o.kind, src: o.src ?? null, dst: o.dst, owner: o.owner, note: o.note,
          expectedPeriod: o.period ?? null, expectedBytesOut: o.bytesOut ?? null, expectedAt: o.at ?? null,
        }),
      );
      out(toJson(entry));
    });
  cmd
    .command('list')
    .requiredOption('--db <file>', 'case file')
    .addOption(new Option('--format <format>').choices(['table', 'json']).default('table'))
    .action(async (o: { db: string; format: string }) => {
      const entries = await withCase(o.db, (e) => listBaseline(e.db));
      out(o.format === 'json' ? toJson({ baseline: entries }) : table(entries));
    });
  cmd
    .command('remove')
    .argument('<id>', 'entry id')
    .requiredOption('--db <file>', 'case file')
    .action(async (id: string, o: { db: string }) => {
      const removed = await withCase(o.db, (e) => removeBaseline(e.db, id));
      if (!removed) throw new Error(`no baseline entry ${id}`);
      out(toJson({ removed: id }));
    });
  cmd
    .command('export')
    .description('print the baseline as JSON (to keep it or move it to another case)')
    .requiredOption('--db <file>', 'case file')
    .action(async (o: { db: string }) => out(toJson({ baseline: await withCase(o.db, (e) => listBaseline(e.db)) })));
  cmd
    .command('import')
    .description('add the entries of a JSON file written by `baseline export`')
    .argument('<file>', 'JSON file')
    .requiredOption('--db <file>', 'case file')
    .action(async (file: string, o: { db: string }) => {
      let j: { baseline?: BaselineEntry[] };
      try {
        j = JSON.parse(readFileSync(file, 'utf8')) as { baseline?: BaselineEntry[] };
      } catch (e) {
        throw new Error(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not a baseline export (${(e as Error).message})`}`);
      }
      if (!Array.isArray(j.baseline)) throw new Error(`${file}: no "baseline" list`);
      const added = await withCase(o.db, async (e) => {
        const list: BaselineEntry[] = [];
        const have = await listBaseline(e.db);
        const same = (a: BaselineEntry, b: BaselineEntry) =>
          a.kind === b.kind && a.src === (b.src ?? null) && a.dst === b.dst.toLowerCase() && a.owner === b.owner && a.note === b.note;
        for (const x of j.baseline ?? []) {
          // Importing the same export twice adds nothing the second time.
          if (have.some((h) => same(h, x))) continue;
          list.push(await addBaseline(e.db, {
            kind: x.kind, src: x.src ?? null, dst: x.dst, owner: x.owner, note: x.note,
            expectedPeriod: x.expectedPeriod ?? null, expectedBytesOut: x.expectedBytesOut ?? null, expectedAt: x.expectedAt ?? null,
          }));
        }
        return list;
      });
      out(toJson({ added: added.length }));
    });
}
