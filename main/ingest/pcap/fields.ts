// The tshark fields Metronome asks for (one `-e` each, printed with `-T ek`: one JSON object per
// packet, every field an array of all its occurrences in the packet), and decoding one such
// object into the parts the flow table needs. Field names are Wireshark's display-filter names;
// in EK output their dots become underscores.
import { parseTime } from '../values.js';

export const TSHARK_FIELDS = [
  'frame.number', 'frame.time_epoch', 'frame.protocols',
  'ip.src', 'ip.dst', 'ip.len', 'ip.hdr_len', 'ipv6.src', 'ipv6.dst', 'ipv6.plen',
  'tcp.srcport', 'tcp.dstport', 'tcp.stream', 'tcp.flags', 'tcp.len', 'tcp.seq',
  'udp.srcport', 'udp.dstport', 'udp.stream', 'udp.length',
  'icmp.type', 'icmp.code', 'icmp.ident', 'icmpv6.type', 'icmpv6.code', 'icmpv6.echo.identifier',
  'communityid',
  'dns.id', 'dns.flags.response', 'dns.qry.name', 'dns.qry.type', 'dns.flags.rcode', 'dns.count.answers',
  'dns.resp.type', 'dns.resp.ttl', 'dns.a', 'dns.aaaa', 'dns.cname', 'dns.ptr.domain_name', 'dns.ns',
  'dns.mx.mail_exchange', 'dns.txt', 'dns.srv.target',
  'http.request.method', 'http.host', 'http.request.uri', 'http.user_agent', 'http.referer',
  'http.content_length', 'http.response.code',
  'tls.record.content_type', 'tls.record.opaque_type', 'tls.handshake.type', 'tls.handshake.extensions_server_name',
  'tls.handshake.version', 'tls.handshake.extensions.supported_version',
  'tls.handshake.extensions_alpn_str', 'tls.handshake.ja3', 'tls.handshake.ja3s',
] as const;

/** A packet's fields as EK prints them: key = field name with `_` for `.`, value = occurrences. */
export type Layers = Record<string, string[] | undefined>;

/** First occurrence (or the i-th) of a field, or undefined. */
export function first(l: Layers, key: string, i = 0): string | undefined {
  return l[key]?.[i];
}

export function int(v: string | undefined): number | null {
  if (v === undefined || v === '') return null;
  const n = v.startsWith('0x') ? parseInt(v.slice(2), 16) : Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * frame.time_epoch ("1707834878.788187000") → microseconds, exactly (truncated below 1 µs). Newer
 * tshark versions may print absolute times in JSON as ISO 8601 UTC; that is read too.
 */
export function epochMicros(v: string | undefined): bigint | null {
  if (!v) return null;
  if (!/^\d+(\.\d*)?$/.test(v)) {
    try {
      return parseTime(v, 'frame.time_epoch').micros;
    } catch {
      return null;
    }
  }
  const dot = v.indexOf('.');
  if (dot < 0) return BigInt(v) * 1_000_000n;
  return BigInt(v.slice(0, dot)) * 1_000_000n + BigInt((v.slice(dot + 1) + '000000').slice(0, 6));
}

export type Transport = 'tcp' | 'udp' | 'icmp';

/** Where the flow-bearing headers of a packet are: which IP header and transport. */
export interface Located {
  transport: Transport;
  v6: boolean;
  /** Index of that IP header among the packet's IPv4 (or IPv6) headers. */
  ipIndex: number;
  /** Index of that transport header among the packet's headers of its kind. */
  tIndex: number;
}

const TRANSPORTS: Record<string, Transport> = { tcp: 'tcp', udp: 'udp', icmp: 'icmp', icmpv6: 'icmp' };

/**
 * The first transport header (tcp, udp, icmp, icmpv6) in frame.protocols and the IP header right
 * before it. An ICMP error quotes the packet it answers ("ip:icmp:ip:udp"): the ICMP is the
 * packet's own transport, the quoted UDP is not. A tunnel ("ip:gre:ip:tcp") yields the inner flow.
 */
export function locate(protocols: string | undefined): Located | null {
  if (!protocols) return null;
  const parts = protocols.split(':');
  let v4 = 0;
  let v6 = 0;
  let last: 'ip' | 'ipv6' | null = null;
  const seen: Record<string, number> = {};
  for (const p of parts) {
    if (p === 'ip') {
      v4++;
      last = 'ip';
    } else if (p === 'ipv6') {
      v6++;
      last = 'ipv6';
    } else if (p in TRANSPORTS) {
      if (!last) return null;
      return {
        transport: TRANSPORTS[p],
        v6: last === 'ipv6',
        ipIndex: (last === 'ip' ? v4 : v6) - 1,
        tIndex: seen[p] ?? 0,
      };
    }
    seen[p] = (seen[p] ?? 0) + 1;
  }
  return null;
}

/** Zeek service names for the Wireshark protocols that mark an application protocol. */
export const SERVICES: Record<string, string> = {
  dns: 'dns', mdns: 'dns', llmnr: 'dns', http: 'http', tls: 'ssl', ssh: 'ssh', smtp: 'smtp', ftp: 'ftp',
  dhcp: 'dhcp', ntp: 'ntp', quic: 'quic', smb: 'smb', smb2: 'smb', kerberos: 'krb', rdp: 'rdp',
  sip: 'sip', snmp: 'snmp', mysql: 'mysql', irc: 'irc', ldap: 'ldap', radius: 'radius', socks: 'socks',
  dcerpc: 'dce_rpc', imap: 'imap', pop: 'pop3', telnet: 'telnet', syslog: 'syslog', modbus: 'modbus',
  dnp3: 'dnp3', mqtt: 'mqtt', xmpp: 'xmpp', rfb: 'vnc', pgsql: 'postgresql', ntlmssp: 'ntlm',
};

const QTYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 10: 'NULL', 12: 'PTR', 13: 'HINFO', 15: 'MX', 16: 'TXT',
  28: 'AAAA', 33: 'SRV', 35: 'NAPTR', 41: 'OPT', 43: 'DS', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY',
  50: 'NSEC3', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 251: 'IXFR', 252: 'AXFR', 255: '*', 257: 'CAA',
};

export function qtypeName(n: number | null): string | null {
  if (n === null) return null;
  return QTYPES[n] ?? `query-${n}`;
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

export function rcodeName(n: number | null): string | null {
  if (n === null) return null;
  return RCODES[n] ?? `unknown-${n}`;
}

/** DNS answer data fields by record type (order within a field follows the packet). */
const ANSWER_FIELDS: Record<number, string> = {
  1: 'dns_a', 28: 'dns_aaaa', 5: 'dns_cname', 12: 'dns_ptr_domain_name', 2: 'dns_ns',
  15: 'dns_mx_mail_exchange', 16: 'dns_txt', 33: 'dns_srv_target',
};

/**
 * The answer section of a DNS response: data and TTLs of its first `dns.count.answers` records.
 * tshark prints the data per record type, so each type's field is walked with its own cursor
 * (answers come before the authority and additional sections, so the cursors start aligned).
 */
export function dnsAnswers(l: Layers): { answers: string[]; ttls: string[] } {
  const n = int(first(l, 'dns_count_answers')) ?? 0;
  const types = l.dns_resp_type ?? [];
  const ttlList = l.dns_resp_ttl ?? [];
  const cursor: Record<string, number> = {};
  const answers: string[] = [];
  const ttls: string[] = [];
  for (let i = 0; i < n && i < types.length; i++) {
    const t = int(types[i]);
    const field = t === null ? undefined : ANSWER_FIELDS[t];
    if (field) {
      const c = cursor[field] ?? 0;
      cursor[field] = c + 1;
      const v = l[field]?.[c];
      answers.push(v ?? qtypeName(t) ?? '?');
    } else {
      answers.push(qtypeName(t) ?? '?');
    }
    if (ttlList[i] !== undefined) ttls.push(ttlList[i]);
  }
  return { answers, ttls };
}

const TLS_VERSIONS: Record<number, string> = {
  0x0300: 'SSLv3', 0x0301: 'TLSv10', 0x0302: 'TLSv11', 0x0303: 'TLSv12', 0x0304: 'TLSv13',
  0xfeff: 'DTLSv10', 0xfefd: 'DTLSv12', 0xfefc: 'DTLSv13',
};

/** Zeek's names for TLS versions (TLSv12, TLSv13, …). */
export function tlsVersionName(n: number | null): string | null {
  if (n === null) return null;
  return TLS_VERSIONS[n] ?? `unknown-${n}`;
}
