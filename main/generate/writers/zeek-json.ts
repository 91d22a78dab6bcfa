// Zeek JSON logs (LogAscii::use_json=T): one object per line, epoch-second times as JSON
// numbers, unset fields left out, sets and vectors as arrays, like Zeek's default JSON output.
import type { Rec } from '../records.js';
import { jsonDouble } from '../time.js';
import { OutFile, type FormatWriter, type WrittenFile } from './out-file.js';
import type { ZeekWriterOptions } from './zeek-tsv.js';
import { CONN_LOG, CONN_LOG_CID, connValues, jsonString, DNS_LOG, dnsValues, HTTP_LOG, httpValues, SSL_LOG, sslValues, type ZLog, type ZType, type ZVal } from './zeek-logs.js';

const str = jsonString;

export function jsonValue(v: ZVal, t: ZType): string {
  switch (t) {
    case 'time':
    case 'interval':
      return jsonDouble((v as number) / 1_000_000);
    case 'bool':
      return v ? 'true' : 'false';
    case 'count':
    case 'port':
      return String(v);
    case 'vector[interval]':
      return `[${(v as number[]).map(jsonDouble).join(',')}]`;
    case 'set[string]':
    case 'set[enum]':
    case 'vector[string]':
      return `[${(v as string[]).map(str).join(',')}]`;
    default:
      return str(v as string);
  }
}

export function jsonLine(spec: ZLog, values: ZVal[]): string {
  let s = '{';
  let first = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) continue;
    s += `${first ? '' : ','}"${spec.fields[i]}":${jsonValue(v, spec.types[i])}`;
    first = false;
  }
  return `${s}}\n`;
}

export class ZeekJsonWriter implements FormatWriter {
  private logs = new Map<string, { spec: ZLog; out: OutFile }>();

  constructor(private readonly o: ZeekWriterOptions) {}

  private log(spec: ZLog): OutFile {
    let l = this.logs.get(spec.path);
    if (!l) {
      l = { spec, out: new OutFile(`${this.o.dir}/${spec.path}.log${this.o.gzip ? '.gz' : ''}`, this.o.gzip) };
      this.logs.set(spec.path, l);
    }
    return l.out;
  }

  add(r: Rec): void {
    switch (r.k) {
      case 'conn': {
        const spec = this.o.communityId ? CONN_LOG_CID : CONN_LOG;
        this.log(spec).line(jsonLine(spec, connValues(r.c, this.o.communityId)));
        break;
      }
      case 'dns':
        this.log(DNS_LOG).line(jsonLine(DNS_LOG, dnsValues(r.c, r.ts, r.d)));
        break;
      case 'http':
        this.log(HTTP_LOG).line(jsonLine(HTTP_LOG, httpValues(r.c, r.ts, r.h)));
        break;
      case 'ssl':
        this.log(SSL_LOG).line(jsonLine(SSL_LOG, sslValues(r.c, r.ts, r.s)));
        break;
      default:
        break;
    }
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
    for (const l of [...this.logs.values()].sort((a, b) => (a.spec.path < b.spec.path ? -1 : 1))) {
      const bytes = await l.out.close();
      files.push({ path: l.out.path, format: 'zeek-json', logType: l.spec.path, rows: l.out.rows, bytes });
    }
    return files;
  }
}
