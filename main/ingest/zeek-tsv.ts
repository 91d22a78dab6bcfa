// Zeek's default ASCII (TSV) logs. Header-driven: every block's #separator, #set_separator,
// #empty_field, #unset_field, #path, #fields and #types are read, never assumed, so rotated or
// concatenated files whose headers change mid-file (other Zeek versions, vendor columns) load.
import type { ReadContext, SniffResult, SourcePlugin } from './source.js';
import { parseSeparatorValue, unescapeZeek } from './zeek-escape.js';
import { bulkLoadZeekTsv } from './zeek-tsv-sql.js';
import {
  KNOWN_LIST_FIELDS,
  KNOWN_UNUSED_ZEEK_PATHS,
  logTypeFromFileName,
  logTypeFromKeys,
  normalizeFieldName,
  RowError,
  ZEEK_MAPPERS,
  type ZeekMapper,
} from './zeek-records.js';

const COMMENT_RE = /^[ \t]*#/;
/** Zeek's LogAscii::meta_prefix (default "#") may be changed, e.g. "PREFIX<>separator |". */
const PREFIXED_SEPARATOR_RE = /^[ \t]*(\S*?)separator[ \t]/;

/** Zeek's TSV variant (LogAscii::tsv) writes one line of field names instead of # headers. */
function isFieldNameLine(line: string): boolean {
  const f = line.replace(/\r$/, '').split('\t').map(normalizeFieldName);
  return f.length >= 3 && f.includes('ts') && (f.includes('uid') || f.includes('id.orig_h')) && f.every((x) => /^[A-Za-z_][\w.-]*$/.test(x));
}

interface Block {
  sep: string;
  setSep: string;
  empty: string;
  unset: string;
  path: string | null;
  fields: string[] | null;
  types: string[] | null;
}

function newBlock(): Block {
  return { sep: '\t', setSep: ',', empty: '(empty)', unset: '-', path: null, fields: null, types: null };
}

export const zeekTsv: SourcePlugin = {
  format: 'zeek-tsv',

  async bulk(ctx) {
    const r = await bulkLoadZeekTsv(ctx.db, ctx.path, ctx.head, logTypeFromFileName(ctx.baseName), ctx.fileId, ctx.sink, ctx.intoCase);
    if (r.status !== 'loaded') return false;
    return { direct: r.direct ? { [r.table]: r.staged } : {} };
  },

  sniff(head: string): SniffResult {
    // Zeek's own test baselines start with a "### BTest baseline data…" comment line.
    const first = head.split('\n').find((l) => l.trim() !== '' && !l.startsWith('###'));
    if (first === undefined) return { ok: false, why: 'file is empty' };
    if (/^[ \t]*#separator[ \t]/.test(first)) return { ok: true, why: 'starts with a Zeek #separator header' };
    const custom = PREFIXED_SEPARATOR_RE.exec(first);
    if (custom && custom[1]) return { ok: true, why: `starts with a Zeek separator header (meta prefix "${custom[1]}")` };
    if (/^[ \t]*#fields\t/.test(first)) return { ok: true, why: 'starts with a Zeek #fields header' };
    if (isFieldNameLine(first)) return { ok: true, why: 'first line holds Zeek field names (TSV without # headers)' };
    return { ok: false, why: 'no Zeek header (#separator / #fields) at the start' };
  },

  async read(ctx: ReadContext): Promise<void> {
    const { sink } = ctx;
    const nameType = logTypeFromFileName(ctx.baseName);
    let b = newBlock();
    let inHeader = true;
    let mapper: ZeekMapper | null = null;
    let unusedType: string | null = null;
    let curType = 'unknown';
    let metaPrefix = '#';
    let sawData = false;
    let index = new Map<string, number>();
    let setField: boolean[] = [];
    let cur: string[] = [];
    let lineNo = 0;
    let warnedPathMismatch = false;

    const get = (name: string): unknown => {
      const i = index.get(name);
      if (i === undefined) return undefined;
      const raw = cur[i];
      if (raw === b.unset) return null;
      if (setField[i]) {
        if (raw === b.empty) return [];
        return raw.split(b.setSep).map(unescapeZeek);
      }
      if (raw === b.empty) return '';
      return unescapeZeek(raw);
    };

    const record = (): Record<string, unknown> => {
      const o: Record<string, unknown> = {};
      for (const f of b.fields ?? []) {
        const v = get(f);
        if (v !== null && v !== undefined) o[f] = v;
      }
      return o;
    };

    const startData = (): ZeekMapper | null => {
      inHeader = false;
      if (!b.fields) return null;
      let type = b.path ?? nameType ?? 'unknown';
      // No #path and a file name that says nothing (an uploaded "dropped_conn.log"): the fields do.
      if (!b.path && !(type in ZEEK_MAPPERS) && !KNOWN_UNUSED_ZEEK_PATHS.has(type)) {
        type = logTypeFromKeys(new Set(b.fields)) ?? type;
      }
      // RITA's open_conn.log says `#path conn`: the file name tells that its rows are still open.
      if (b.path === 'conn' && nameType === 'open_conn') {
        type = 'open_conn';
        if (!warnedPathMismatch) {
          sink.warn('file is named open_conn but its header says #path conn: rows read as still-open connections');
          warnedPathMismatch = true;
        }
      }
      sink.logType(type);
      curType = type;
      if (!b.types) setField = b.fields.map((f) => KNOWN_LIST_FIELDS.has(f));
      const m = ZEEK_MAPPERS[type] ?? null;
      unusedType = m ? null : type;
      if (!m) {
        sink.warn(
          KNOWN_UNUSED_ZEEK_PATHS.has(type)
            ? `Zeek ${type} log: recognised, not used by Metronome yet`
            : `Zeek log type "${type}" is not used by Metronome`,
        );
      }
      return m;
    };

    for await (const batch of ctx.lines) {
      for (const line of batch) {
        lineNo++;
        if (line.length === 0) continue;
        if (!sawData && lineNo <= 50 && metaPrefix === '#') {
          const custom = PREFIXED_SEPARATOR_RE.exec(line);
          if (custom && custom[1] && !custom[1].startsWith('#')) metaPrefix = custom[1];
        }
        const isMeta = metaPrefix !== '#' && line.trimStart().startsWith(metaPrefix);
        // Data never starts with '#' (Zeek escapes it as \x23), so such lines are meta or comments.
        if (isMeta || COMMENT_RE.test(line)) {
          if (!inHeader) {
            // A header after data starts a new block (rotated/concatenated logs).
            b = newBlock();
            inHeader = true;
            mapper = null;
          }
          const trimmed = line.trimStart();
          // Normalise a custom meta prefix to '#' so the directives below read the same.
          const t = isMeta ? `#${trimmed.slice(metaPrefix.length)}` : trimmed;
          if (t.startsWith('#separator')) {
            b.sep = parseSeparatorValue(t.slice('#separator'.length + 1));
            continue;
          }
          const parts = t.split(b.sep);
          const key = parts[0];
          const rest = parts.slice(1);
          switch (key) {
            case '#set_separator':
              b.setSep = unescapeZeek(rest[0] ?? ',');
              break;
            case '#empty_field':
              b.empty = unescapeZeek(rest[0] ?? '(empty)');
              break;
            case '#unset_field':
              b.unset = unescapeZeek(rest[0] ?? '-');
              break;
            case '#path':
              b.path = rest[0] ?? null;
              break;
            case '#fields':
              b.fields = rest.map(normalizeFieldName);
              index = new Map(b.fields.map((f, i) => [f, i]));
              break;
            case '#types':
              b.types = rest;
              setField = rest.map((ty) => ty.startsWith('set[') || ty.startsWith('vector['));
              break;
            default:
              // #open, #close and comments ("### BTest baseline…") carry no field data.
              break;
          }
          continue;
        }
        if (!b.fields && !sawData && isFieldNameLine(line)) {
          b.fields = line.split('\t').map(normalizeFieldName);
          index = new Map(b.fields.map((f, i) => [f, i]));
          continue;
        }
        sawData = true;
        if (inHeader) mapper = startData();
        if (!b.fields) {
          sink.reject(lineNo, 'data line before any #fields header');
          continue;
        }
        const values = line.split(b.sep);
        const n = b.fields.length;
        // One trailing empty field from a trailing TAB is tolerated; anything else is malformed.
        if (values.length === n + 1 && values[n] === '') values.pop();
        if (values.length !== n) {
          sink.reject(lineNo, `expected ${n} fields, found ${values.length}${values.length < n ? ' (line cut short?)' : ''}`);
          continue;
        }
        if (!mapper) {
          sink.unused(unusedType ?? 'unknown', 1);
          continue;
        }
        if (setField.length !== n) setField = new Array(n).fill(false);
        cur = values;
        try {
          sink.add(mapper.table, mapper.map(get, { fileId: ctx.fileId, logType: curType, record }));
        } catch (e) {
          if (e instanceof RowError) sink.reject(lineNo, e.message);
          else throw e;
        }
      }
    }
    // A header-only file (no rows) still says what it is.
    if (inHeader && b.fields) sink.logType(b.path ?? nameType ?? 'unknown');
  },
};
