// Zeek JSON lines (LogAscii::use_json). The log type comes from `_path`, else the rotated file
// name, else the keys of the first record. Unknown extra fields are kept out of the way, never
// fatal; a line that is not a JSON object is rejected with the parser's reason.
import type { ReadContext, SniffResult, SourcePlugin } from './source.js';
import { clip } from './values.js';
import {
  KNOWN_UNUSED_ZEEK_PATHS,
  logTypeFromFileName,
  logTypeFromKeys,
  RowError,
  ZEEK_MAPPERS,
  type Get,
} from './zeek-records.js';

function isZeekPath(t: string): boolean {
  return t in ZEEK_MAPPERS || KNOWN_UNUSED_ZEEK_PATHS.has(t);
}

function firstLine(head: string): string | undefined {
  return head.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#'))?.trim();
}

/** Field lookup tolerant of the scope separator (`id.orig_h` / `id_orig_h`) and nesting. */
function makeGetter(holder: { obj: Record<string, unknown> }): Get {
  return (name: string) => {
    const o = holder.obj;
    const v = o[name];
    if (v !== undefined) return v;
    const dot = name.indexOf('.');
    if (dot < 0) return undefined;
    const alt = o[name.replace('.', '_')];
    if (alt !== undefined) return alt;
    const nested = o[name.slice(0, dot)];
    if (nested && typeof nested === 'object') return (nested as Record<string, unknown>)[name.slice(dot + 1)];
    return undefined;
  };
}

export const zeekJson: SourcePlugin = {
  format: 'zeek-json',

  sniff(head: string, baseName: string): SniffResult {
    const line = firstLine(head);
    if (line === undefined) return { ok: false, why: 'file is empty' };
    if (!line.startsWith('{')) return { ok: false, why: 'first line is not a JSON object' };
    // The first line may be cut by the sniff window; look at its keys textually.
    if (/"event_type"\s*:/.test(line)) return { ok: false, why: 'JSON with "event_type" is Suricata eve, not Zeek' };
    if (/"_path"\s*:/.test(line)) return { ok: true, why: 'JSON lines with a Zeek "_path"' };
    if (/"ts"\s*:/.test(line) && /"(uid|id\.orig_h|id_orig_h)"\s*:/.test(line)) {
      return { ok: true, why: 'JSON lines with Zeek fields (ts, uid, id.orig_h)' };
    }
    const nameType = logTypeFromFileName(baseName);
    if (nameType && isZeekPath(nameType)) return { ok: true, why: `JSON lines in a file named like a Zeek ${nameType} log` };
    return { ok: false, why: 'JSON, but without Zeek fields (ts, uid, id.orig_h)' };
  },

  async read(ctx: ReadContext): Promise<void> {
    const { sink } = ctx;
    const nameType = logTypeFromFileName(ctx.baseName);
    const holder = { obj: {} as Record<string, unknown> };
    const get = makeGetter(holder);
    let keysType: string | null = null;
    const announced = new Set<string>();
    let lineNo = 0;

    for await (const batch of ctx.lines) {
      for (const raw of batch) {
        lineNo++;
        const line = raw.trim();
        // Blank lines, and comment lines such as Zeek test baselines' "### BTest…" header.
        if (line === '' || line.startsWith('#')) continue;
        let obj: unknown;
        try {
          obj = JSON.parse(line);
        } catch (e) {
          sink.reject(lineNo, `not valid JSON (${clip((e as Error).message, 80)})`);
          continue;
        }
        if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
          sink.reject(lineNo, 'line is not a JSON object');
          continue;
        }
        holder.obj = obj as Record<string, unknown>;
        const path = holder.obj._path;
        let type: string | null = typeof path === 'string' ? path : null;
        // RITA's open_* logs say `_path: conn`; the file name says the rows are still open.
        if (type && nameType === `open_${type}`) type = nameType;
        if (!type && nameType && isZeekPath(nameType)) type = nameType;
        if (!type) type = keysType ??= logTypeFromKeys(new Set(Object.keys(holder.obj)));
        if (!type) {
          sink.reject(lineNo, 'cannot tell which Zeek log this record belongs to (no _path, file name or known fields)');
          continue;
        }
        if (!announced.has(type)) {
          announced.add(type);
          sink.logType(type);
          if (!ZEEK_MAPPERS[type]) {
            sink.warn(
              KNOWN_UNUSED_ZEEK_PATHS.has(type)
                ? `Zeek ${type} log: recognised, not used by Metronome yet`
                : `Zeek log type "${type}" is not used by Metronome`,
            );
          }
        }
        const mapper = ZEEK_MAPPERS[type];
        if (!mapper) {
          sink.unused(type, 1);
          continue;
        }
        try {
          sink.add(mapper.table, mapper.map(get, { fileId: ctx.fileId, logType: type, record: () => holder.obj }));
        } catch (e) {
          if (e instanceof RowError) sink.reject(lineNo, e.message);
          else throw e;
        }
      }
    }
  },
};
