// Suricata eve.json: flow events (logged when the flow times out, so `timestamp` is after
// flow.end while flow.start is the connection start), DNS v2 query and answer events, HTTP
// and TLS events, all carrying the flow's flow_id and Community ID, times in local time with a
// numeric offset like a real sensor.
import type { Conn, Dns, Http, Rec, Tls } from '../records.js';
import { eveTime } from '../time.js';
import { OutFile, type FormatWriter, type WrittenFile } from './out-file.js';
import { cidOf, jsonString } from './zeek-logs.js';

export interface EveWriterOptions {
  dir: string;
  gzip: boolean;
  offsetMin: number;
  sensor?: string;
  /** Certificate validity start (date of the scenario start minus some days), ISO date. */
  certNotBefore: string;
  certNotAfter: string;
}

const APP_PROTO: Record<string, string> = {
  ssl: 'tls', http: 'http', dns: 'dns', ntp: 'ntp', smb: 'smb', krb_tcp: 'krb5', ldap_tcp: 'ldap', dce_rpc: 'dcerpc',
};

const s = jsonString;

export class SuricataEveWriter implements FormatWriter {
  private readonly out: OutFile;
  private readonly host: string;
  readonly counts = { flow: 0, dns: 0, http: 0, tls: 0 };

  constructor(private readonly o: EveWriterOptions) {
    this.out = new OutFile(`${o.dir}/eve.json${o.gzip ? '.gz' : ''}`, o.gzip);
    this.host = o.sensor ? `,"host":${s(o.sensor)}` : '';
  }

  private t(us: number): string {
    return eveTime(us, this.o.offsetMin);
  }

  private head(ts: number, c: Conn, type: string, packet: boolean): string {
    return (
      `{"timestamp":"${this.t(ts)}","flow_id":${c.flowId},"in_iface":"eth0","event_type":"${type}",` +
      `"src_ip":"${c.src}","src_port":${c.sport},"dest_ip":"${c.dst}","dest_port":${c.dport},"proto":"${c.proto.toUpperCase()}"` +
      `${packet ? ',"pkt_src":"wire/pcap"' : ''},"community_id":"${cidOf(c)}"`
    );
  }

  private flow(ts: number, c: Conn, reason: string): string {
    const end = c.ts + (c.duration ?? 0);
    const tcp = c.proto === 'tcp';
    const answered = c.respPkts > 0;
    const state = tcp ? (c.state === 'S0' ? 'new' : 'closed') : answered ? 'established' : 'new';
    const app = c.service ? APP_PROTO[c.service] ?? 'failed' : c.state === 'S0' || c.state === 'REJ' ? null : 'failed';
    let line =
      `${this.head(ts, c, 'flow', false)}${app ? `,"app_proto":"${app}"` : ''},"flow":{"pkts_toserver":${c.origPkts},"pkts_toclient":${c.respPkts},` +
      `"bytes_toserver":${c.origIpBytes + 14 * c.origPkts},"bytes_toclient":${c.respIpBytes + 14 * c.respPkts},` +
      `"start":"${this.t(c.ts)}","end":"${this.t(end)}","age":${Math.floor(end / 1e6) - Math.floor(c.ts / 1e6)},` +
      `"state":"${state}","reason":"${reason}","alerted":false}`;
    if (tcp) {
      const flags =
        c.state === 'S0' ? ['02', '02', '00'] : c.state === 'REJ' ? ['16', '02', '14'] : c.state === 'RSTO' ? ['1e', '1e', '1a'] : ['1b', '1b', '1b'];
      const f = parseInt(flags[0], 16);
      line +=
        `,"tcp":{"tcp_flags":"${flags[0]}","tcp_flags_ts":"${flags[1]}","tcp_flags_tc":"${flags[2]}"` +
        `${f & 2 ? ',"syn":true' : ''}${f & 1 ? ',"fin":true' : ''}${f & 4 ? ',"rst":true' : ''}${f & 8 ? ',"psh":true' : ''}${f & 16 ? ',"ack":true' : ''}` +
        `,"state":"${state === 'new' ? 'syn_sent' : 'closed'}"}`;
    }
    return `${line}${this.host}}\n`;
  }

  private dns(ts: number, c: Conn, d: Dns, answer: boolean): string {
    if (!answer) {
      return `${this.head(ts, c, 'dns', true)},"dns":{"version":2,"type":"query","id":${d.transId},"rrname":${s(d.query)},"rrtype":"${d.qtype}","tx_id":${d.txId},"opcode":0}${this.host}}\n`;
    }
    const flags = d.rcode === 'NXDOMAIN' ? '8183' : d.rcode === 'SERVFAIL' ? '8182' : '8180';
    let body = `{"version":2,"type":"answer","id":${d.transId},"flags":"${flags}","qr":true,"rd":true,"ra":true,"opcode":0,"rrname":${s(d.query)},"rrtype":"${d.qtype}","rcode":"${d.rcode}"`;
    if (d.answers.length) {
      const grouped = new Map<string, string[]>();
      const answers = d.answers.map((a) => {
        grouped.set(a.type, [...(grouped.get(a.type) ?? []), a.data]);
        return `{"rrname":${s(a.name)},"rrtype":"${a.type}","ttl":${a.ttl},"rdata":${s(a.data)}}`;
      });
      body += `,"answers":[${answers.join(',')}],"grouped":{${[...grouped].map(([k, v]) => `"${k}":[${v.map(s).join(',')}]`).join(',')}}`;
    }
    return `${this.head(ts, c, 'dns', true)},"dns":${body}}${this.host}}\n`;
  }

  private http(ts: number, c: Conn, h: Http): string {
    let body = `{"hostname":${s(h.host)},"url":${s(h.uri)},"http_user_agent":${s(h.userAgent)}`;
    if (h.mime) body += `,"http_content_type":${s(h.mime)}`;
    if (h.referrer) body += `,"http_refer":${s(h.referrer)}`;
    body += `,"http_method":"${h.method}","protocol":"HTTP/1.1","status":${h.status},"length":${h.responseBodyLen}}`;
    return `${this.head(ts, c, 'http', true)},"tx_id":${h.depth - 1},"http":${body}${this.host}}\n`;
  }

  private tls(ts: number, c: Conn, t: Tls): string {
    let body = '{';
    if (t.version === 'TLSv12' && t.subject) {
      body +=
        `"subject":${s(t.subject)},"issuerdn":${s(t.issuer ?? '')},"serial":"${(t.serial ?? '').replace(/(..)(?!$)/g, '$1:')}",` +
        `"fingerprint":"${(t.certFp ?? '').slice(0, 40).replace(/(..)(?!$)/g, '$1:')}",`;
    }
    if (t.sni) body += `"sni":${s(t.sni)},`;
    body += `"version":"${t.version === 'TLSv13' ? 'TLS 1.3' : 'TLS 1.2'}"`;
    if (t.version === 'TLSv12' && t.subject) body += `,"notbefore":"${this.o.certNotBefore}","notafter":"${this.o.certNotAfter}"`;
    body += `,"ja3":{"hash":"${t.ja3}"},"ja3s":{"hash":"${t.ja3s}"}}`;
    return `${this.head(ts, c, 'tls', true)},"tls":${body}${this.host}}\n`;
  }

  add(r: Rec): void {
    switch (r.k) {
      case 'flow':
        this.out.line(this.flow(r.ts, r.c, r.reason));
        this.counts.flow++;
        break;
      case 'dns':
        this.out.line(this.dns(r.ts, r.c, r.d, false));
        this.counts.dns++;
        break;
      case 'dnsans':
        this.out.line(this.dns(r.ts, r.c, r.d, true));
        this.counts.dns++;
        break;
      case 'http':
        this.out.line(this.http(r.ts, r.c, r.h));
        this.counts.http++;
        break;
      case 'ssl':
        this.out.line(this.tls(r.ts, r.c, r.s));
        this.counts.tls++;
        break;
      default:
        break;
    }
  }

  get full(): boolean {
    return this.out.full;
  }

  flush(): Promise<void> {
    return this.out.flush();
  }

  async close(): Promise<WrittenFile[]> {
    const bytes = await this.out.close();
    return [{ path: this.out.path, format: 'suricata-eve', logType: 'eve', rows: this.out.rows, bytes }];
  }
}
