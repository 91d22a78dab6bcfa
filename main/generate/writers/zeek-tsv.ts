// Zeek's default ASCII logs: the header block Zeek writes (#separator \x09, #set_separator,
// #empty_field, #unset_field, #path, #open, #fields, #types), tab-separated rows, #close.
import type { Rec } from '../records.js';
import { zeekSeconds, zeekStamp } from '../time.js';
import { OutFile, type FormatWriter, type WrittenFile } from './out-file.js';
import { CONN_LOG, CONN_LOG_CID, connValues, DNS_LOG, dnsValues, HTTP_LOG, httpValues, SSL_LOG, sslValues, type ZLog, type ZType, type ZVal } from './zeek-logs.js';

const NEEDS_ESCAPE = /[\t\n\r\\]|[^\x20-\x7e]/;

/** Zeek's escaping of a field: the separator, control and non-ASCII bytes as \xNN. */
export function escapeTsv(s: string, alsoComma = false): string {
  if (!NEEDS_ESCAPE.test(s) && !(alsoComma && s.includes(','))) return s;
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(b);
    out += b < 0x20 || b > 0x7e || b === 0x5c || (alsoComma && ch === ',') ? `\\x${b.toString(16).padStart(2, '0')}` : ch;
  }
  return out;
}

export function tsvValue(v: ZVal, t: ZType): string {
  if (v === null) return '-';
  switch (t) {
    case 'time':
    case 'interval':
      return zeekSeconds(v as number);
    case 'bool':
      return v ? 'T' : 'F';
    case 'count':
    case 'port':
      return String(v);
    case 'vector[interval]': {
      const a = v as number[];
      return a.length ? a.map((x) => zeekSeconds(x * 1_000_000)).join(',') : '(empty)';
    }
    case 'set[string]':
    case 'set[enum]':
    case 'vector[string]': {
      const a = v as string[];
      return a.length ? a.map((x) => escapeTsv(x, true)).join(',') : '(empty)';
    }
    case 'addr':
    case 'enum':
      return v as string;
    default: {
      const s = v as string;
      return s === '' ? '(empty)' : s === '-' ? '\\x2d' : escapeTsv(s);
    }
  }
}

class TsvLog {
  readonly out: OutFile;
  constructor(readonly spec: ZLog, path: string, gzip: boolean, openUs: number) {
    this.out = new OutFile(path, gzip);
    this.out.write(
      `#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t${spec.path}\n#open\t${zeekStamp(openUs)}\n` +
        `#fields\t${spec.fields.join('\t')}\n#types\t${spec.types.join('\t')}\n`,
    );
  }
  row(values: ZVal[]): void {
    const t = this.spec.types;
    let s = tsvValue(values[0], t[0]);
    for (let i = 1; i < values.length; i++) s += `\t${tsvValue(values[i], t[i])}`;
    this.out.line(`${s}\n`);
  }
}

export interface ZeekWriterOptions {
  dir: string;
  gzip: boolean;
  /** #open stamp (scenario start) and the earliest #close stamp (scenario end), µs. */
  openUs: number;
  closeUs: number;
  communityId: boolean;
}

export class ZeekTsvWriter implements FormatWriter {
  private logs = new Map<string, TsvLog>();
  private lastTs = 0;

  constructor(private readonly o: ZeekWriterOptions) {}

  private log(spec: ZLog): TsvLog {
    let l = this.logs.get(spec.path);
    if (!l) {
      l = new TsvLog(spec, `${this.o.dir}/${spec.path}.log${this.o.gzip ? '.gz' : ''}`, this.o.gzip, this.o.openUs);
      this.logs.set(spec.path, l);
    }
    return l;
  }

  add(r: Rec): void {
    switch (r.k) {
      case 'conn':
        this.log(this.o.communityId ? CONN_LOG_CID : CONN_LOG).row(connValues(r.c, this.o.communityId));
        break;
      case 'dns':
        this.log(DNS_LOG).row(dnsValues(r.c, r.ts, r.d));
        break;
      case 'http':
        this.log(HTTP_LOG).row(httpValues(r.c, r.ts, r.h));
        break;
      case 'ssl':
        this.log(SSL_LOG).row(sslValues(r.c, r.ts, r.s));
        break;
      default:
        return;
    }
    this.lastTs = r.ts;
  }

  get full(): boolean {
    for (const l of this.logs.values()) if (l.out.full) return true;
    return false;
  }

  async flush(): Promise<void> {
    for (const l of this.logs.values()) await l.out.flush();
  }

  async close(): Promise<WrittenFile[]> {
    const files: WrittenFile[] = [];
    const closeStamp = zeekStamp(Math.max(this.o.closeUs, this.lastTs) + 1_000_000);
    for (const l of [...this.logs.values()].sort((a, b) => (a.spec.path < b.spec.path ? -1 : 1))) {
      l.out.write(`#close\t${closeStamp}\n`);
      const bytes = await l.out.close();
      files.push({ path: l.out.path, format: 'zeek-tsv', logType: l.spec.path, rows: l.out.rows, bytes });
    }
    return files;
  }
}
