// The Zeek logs the generator writes (conn, dns, http, ssl): field names and types as Zeek 6
// writes them (ssl with the common ja3 package columns), and each record's values, shared by
// the TSV and JSON writers so both formats always carry the same data.
import { communityId } from '../net.js';
import type { Conn, Dns, DnsAnswer, Http, Tls } from '../records.js';

export type ZType =
  | 'time' | 'string' | 'addr' | 'port' | 'enum' | 'interval' | 'count' | 'bool'
  | 'set[string]' | 'set[enum]' | 'vector[string]' | 'vector[interval]';

/** A value: null = unset; time/interval in µs; vector[interval] in seconds. */
export type ZVal = string | number | boolean | null | string[] | number[];

export interface ZLog {
  path: string;
  fields: string[];
  types: ZType[];
}

function log(path: string, spec: [string, ZType][]): ZLog {
  return { path, fields: spec.map((s) => s[0]), types: spec.map((s) => s[1]) };
}

const ID: [string, ZType][] = [
  ['ts', 'time'], ['uid', 'string'], ['id.orig_h', 'addr'], ['id.orig_p', 'port'], ['id.resp_h', 'addr'], ['id.resp_p', 'port'],
];

const CONN_SPEC: [string, ZType][] = [
  ...ID, ['proto', 'enum'], ['service', 'string'], ['duration', 'interval'], ['orig_bytes', 'count'], ['resp_bytes', 'count'],
  ['conn_state', 'string'], ['local_orig', 'bool'], ['local_resp', 'bool'], ['missed_bytes', 'count'], ['history', 'string'],
  ['orig_pkts', 'count'], ['orig_ip_bytes', 'count'], ['resp_pkts', 'count'], ['resp_ip_bytes', 'count'], ['tunnel_parents', 'set[string]'],
];

export const CONN_LOG = log('conn', CONN_SPEC);
export const CONN_LOG_CID = log('conn', [...CONN_SPEC, ['community_id', 'string']]);

export const DNS_LOG = log('dns', [
  ...ID, ['proto', 'enum'], ['trans_id', 'count'], ['rtt', 'interval'], ['query', 'string'], ['qclass', 'count'], ['qclass_name', 'string'],
  ['qtype', 'count'], ['qtype_name', 'string'], ['rcode', 'count'], ['rcode_name', 'string'], ['AA', 'bool'], ['TC', 'bool'], ['RD', 'bool'],
  ['RA', 'bool'], ['Z', 'count'], ['answers', 'vector[string]'], ['TTLs', 'vector[interval]'], ['rejected', 'bool'],
]);

export const HTTP_LOG = log('http', [
  ...ID, ['trans_depth', 'count'], ['method', 'string'], ['host', 'string'], ['uri', 'string'], ['referrer', 'string'], ['version', 'string'],
  ['user_agent', 'string'], ['origin', 'string'], ['request_body_len', 'count'], ['response_body_len', 'count'], ['status_code', 'count'],
  ['status_msg', 'string'], ['info_code', 'count'], ['info_msg', 'string'], ['tags', 'set[enum]'], ['username', 'string'], ['password', 'string'],
  ['proxied', 'set[string]'], ['orig_fuids', 'vector[string]'], ['orig_filenames', 'vector[string]'], ['orig_mime_types', 'vector[string]'],
  ['resp_fuids', 'vector[string]'], ['resp_filenames', 'vector[string]'], ['resp_mime_types', 'vector[string]'],
]);

export const SSL_LOG = log('ssl', [
  ...ID, ['version', 'string'], ['cipher', 'string'], ['curve', 'string'], ['server_name', 'string'], ['resumed', 'bool'],
  ['last_alert', 'string'], ['next_protocol', 'string'], ['established', 'bool'], ['ssl_history', 'string'],
  ['cert_chain_fps', 'vector[string]'], ['client_cert_chain_fps', 'vector[string]'], ['sni_matches_cert', 'bool'],
  ['validation_status', 'string'], ['ja3', 'string'], ['ja3s', 'string'],
]);

export function cidOf(c: Conn): string {
  return (c.cid ??= communityId(c.src, c.sport, c.dst, c.dport, c.proto));
}

function id(c: Conn, ts: number): ZVal[] {
  return [ts, c.uid, c.src, c.sport, c.dst, c.dport];
}

export function connValues(c: Conn, withCid: boolean): ZVal[] {
  const v: ZVal[] = [
    ...id(c, c.ts), c.proto, c.service, c.duration, c.origBytes, c.respBytes, c.state, c.localOrig, c.localResp, 0, c.history,
    c.origPkts, c.origIpBytes, c.respPkts, c.respIpBytes, null,
  ];
  if (withCid) v.push(cidOf(c));
  return v;
}

const QTYPE: Record<string, number> = { A: 1, CNAME: 5, TXT: 16, AAAA: 28 };
const RCODE: Record<string, number> = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 };

function answerText(a: DnsAnswer): string {
  return a.type === 'TXT' ? `TXT ${a.data.length} ${a.data}` : a.data;
}

export function dnsValues(c: Conn, ts: number, d: Dns): ZVal[] {
  const answered = d.answers.length > 0;
  return [
    ...id(c, ts), c.proto, d.transId, d.rtt, d.query, 1, 'C_INTERNET', QTYPE[d.qtype], d.qtype, RCODE[d.rcode], d.rcode,
    false, false, true, true, 0, answered ? d.answers.map(answerText) : null, answered ? d.answers.map((a) => a.ttl) : null, false,
  ];
}

export function httpValues(c: Conn, ts: number, h: Http): ZVal[] {
  return [
    ...id(c, ts), h.depth, h.method, h.host, h.uri, h.referrer, '1.1', h.userAgent, null, h.requestBodyLen, h.responseBodyLen,
    h.status, h.statusMsg, null, null, [], null, null, null, null, null, null,
    h.respFuid ? [h.respFuid] : null, null, h.mime ? [h.mime] : null,
  ];
}

export function sslValues(c: Conn, ts: number, s: Tls): ZVal[] {
  const v12 = s.version === 'TLSv12';
  return [
    ...id(c, ts), s.version, s.cipher, s.curve, s.sni, s.resumed, null, s.nextProtocol, s.established, v12 ? 'CsxknGIi' : 'CsiI',
    v12 && s.certFp ? [s.certFp] : [], [], v12 ? true : null, v12 ? 'ok' : null, s.ja3, s.ja3s,
  ];
}

const PLAIN_JSON = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

/** A JSON string literal in pure ASCII (non-ASCII characters as \u escapes). */
export function jsonString(v: string): string {
  if (PLAIN_JSON.test(v)) return `"${v}"`;
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
