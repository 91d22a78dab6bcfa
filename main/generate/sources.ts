// The traffic sources of a scenario as sorted record streams: beacons (jitter, missed beats,
// bursts, sleeping hosts, rotating addresses, HTTP-in-keep-alive and DNS beacons), scheduled
// transfers, benign fleets and SaaS pollers, human browsing and noise. Each source (and each host
// of a multi-host source) gets its own random stream, so sources do not disturb one another.
import { randomPublicIp } from './net.js';
import type { Rec } from './records.js';
import type { Dist, Rng } from './rng.js';
import {
  selectHosts,
  type BeaconSource,
  type BrowsingSource,
  type FleetSource,
  type HttpSpec,
  type NoiseSource,
  type ScheduleSource,
  type Source,
  type TlsSpec,
} from './scenario.js';
import { ActiveWindow, localTime, nextActiveAll, parseClock, US_PER_HOUR, US_PER_MIN, US_PER_S, utcFromLocal, WEEKDAYS } from './time.js';
import type { TruthItem } from './truth.js';
import {
  appFor,
  countConn,
  Emitter,
  hostFor,
  newStats,
  requestHeaderBytes,
  resolveDst,
  RESPONSE_HEADER_BYTES,
  SERVICE,
  type App,
  type Host,
  type HttpReq,
  type ResolvedDst,
  type Stats,
  type World,
} from './world.js';

export interface Planted {
  item: Omit<TruthItem, 'observed'>;
  stats: Stats;
}

export interface Background {
  id: string;
  source: Source['type'];
  hosts: number;
  stats: Stats;
}

export interface Built {
  streams: Iterable<Rec>[];
  planted: Planted[];
  background: Background[];
}

const S = US_PER_S;

function gap(rng: Rng, p: number, j: number, mode: 'one-sided' | 'symmetric'): number {
  if (j <= 0) return p;
  return mode === 'symmetric' ? p * (1 + j * (2 * rng.float() - 1)) : p * (1 - j * rng.float());
}

interface PeriodicOpts {
  start: number;
  end: number;
  /** µs */
  period: number;
  jitter: number;
  mode: 'one-sided' | 'symmetric';
  miss: number;
  windows: ActiveWindow[];
}

/**
 * Check-in times of a periodic process: a random phase, then sleep with jitter; a skipped beat
 * leaves a gap near 2P; while the host (or the source) is inactive the timer does not fire, and
 * on waking it fires within a couple of minutes.
 */
export function* periodicTimes(rng: Rng, o: PeriodicOpts): Generator<number> {
  let t = o.start + Math.round(rng.float() * o.period);
  while (t < o.end) {
    if (o.windows.length) {
      const n = nextActiveAll(o.windows, t / 1000);
      if (n === Infinity) return;
      if (n * 1000 > t) {
        t = Math.round(n * 1000 + rng.uniform(5 * S, Math.max(6 * S, Math.min(120 * S, o.period))));
        continue;
      }
    }
    if (!rng.bernoulli(o.miss)) yield t;
    t += Math.max(1, Math.round(gap(rng, o.period, o.jitter, o.mode)));
  }
}

function isAwake(host: Host, us: number): boolean {
  for (const w of host.awake) if (!w.isActive(us / 1000)) return false;
  return true;
}

function dstTruth(rd: ResolvedDst): TruthItem['dst'] {
  return rd.fqdn ? { fqdn: rd.fqdn, ips: rd.ips } : { ip: rd.ips[0] };
}

/** What one check-in connection looks like (shared by beacons, fleets and pollers). */
interface CheckinSpec {
  rd: ResolvedDst;
  port: number;
  proto: 'tcp' | 'udp';
  app: App;
  bytesOut?: Dist;
  bytesIn?: Dist;
  duration?: Dist;
  http?: HttpSpec;
  tls?: TlsSpec | false;
  failureRate: number;
  stats: Stats;
  /** TLS client fingerprint of the software (not the host's browser). */
  ja3: string | undefined;
}

function defaultOut(app: App): Dist {
  return app === 'ntp' ? 48 : { lognormal: [420, 0.15] };
}
function defaultIn(app: App): Dist {
  return app === 'ntp' ? 48 : { lognormal: [900, 0.4] };
}

function httpRequest(em: Emitter, spec: HttpSpec | undefined, host: string, bytesIn: Dist, rng: Rng): HttpReq {
  const method = spec?.method ?? 'GET';
  const body = spec?.requestBody ?? (method === 'POST' ? { lognormal: [300, 0.3] } : 0);
  return {
    method,
    host: spec?.host ?? host,
    uri: spec?.uris?.length ? rng.choice(spec.uris) : '/',
    userAgent: spec?.userAgent ?? em.host.userAgent,
    requestBodyLen: Math.max(0, Math.round(rng.sample(body))),
    responseBodyLen: Math.max(0, Math.round(rng.sample(spec?.responseBody ?? bytesIn))),
    status: spec?.status,
    mime: spec?.mime ?? 'text/plain',
  };
}

/** One check-in over a new connection (looking the name up first when the cache expired). */
function checkinConnection(em: Emitter, cs: CheckinSpec, t: number): void {
  const rng = em.rng;
  let at = t;
  let ip: string;
  if (cs.rd.fqdn) {
    const r = em.lookup(t, cs.rd.fqdn, cs.rd);
    if (r.looked) cs.stats.lookups++;
    at = r.at;
    ip = r.ips[0];
  } else ip = cs.rd.ips[0];
  const rtt = em.rtt(ip);
  const failed = rng.bernoulli(cs.failureRate);
  const bytesOut = cs.bytesOut ?? defaultOut(cs.app);
  const bytesIn = cs.bytesIn ?? defaultIn(cs.app);
  if (failed) {
    const c = em.conn(at, ip, cs.port, { proto: cs.proto, service: null, duration: cs.proto === 'tcp' ? 3 * S : 0, origBytes: 0, respBytes: 0, outcome: 'no-answer' });
    countConn(cs.stats, c);
    return;
  }
  const durS = cs.duration !== undefined ? rng.sample(cs.duration) : cs.app === 'ntp' ? 0 : rng.lognormal(0.35, 0.5);
  const duration = Math.max(Math.round(durS * S), 2 * rtt + 50);
  const host = cs.rd.fqdn ?? ip;
  if (cs.app === 'http') {
    const req = httpRequest(em, cs.http, host, bytesIn, rng);
    const c = em.conn(at, ip, cs.port, {
      proto: 'tcp',
      service: 'http',
      duration: Math.max(duration, 4 * rtt),
      origBytes: requestHeaderBytes(req) + req.requestBodyLen,
      respBytes: RESPONSE_HEADER_BYTES + req.responseBodyLen,
    });
    em.http(c, c.ts + rtt + 200, 1, req);
    countConn(cs.stats, c);
    cs.stats.requests++;
    return;
  }
  const c = em.conn(at, ip, cs.port, {
    proto: cs.proto,
    service: cs.app ? SERVICE[cs.app] : null,
    duration: cs.app === 'ntp' ? rtt * 2 : duration,
    origBytes: Math.max(0, Math.round(rng.sample(bytesOut))),
    respBytes: Math.max(0, Math.round(rng.sample(bytesIn))),
  });
  if (cs.app === 'tls') {
    const tls = cs.tls || undefined;
    em.tls(c, c.ts + Math.min(3 * rtt, (c.duration ?? 0) - 1), tls?.sni === undefined ? cs.rd.fqdn : tls.sni, {
      version: tls?.version,
      ja3: tls?.ja3 ?? cs.ja3,
      nextProtocol: cs.ja3 ? null : undefined,
    });
  }
  countConn(cs.stats, c);
}

function burstTimes(rng: Rng, t: number, b: BeaconSource['burst']): number[] {
  if (!b) return [t];
  const n = rng.int(b.size[0], b.size[1]);
  const out = [t];
  let cur = t;
  for (let i = 1; i < n; i++) {
    cur += Math.round(rng.uniform(b.spread[0], b.spread[1]) * S);
    out.push(cur);
  }
  return out;
}

function* beaconStream(w: World, src: BeaconSource, rng: Rng, host: Host, stats: Stats): Generator<Rec> {
  const em = new Emitter(w, rng, host);
  const windows = [...host.awake];
  if (src.activeHours) windows.push(new ActiveWindow(src.activeHours, w.tz));
  const start = w.startUs + Math.round((src.startHour ?? 0) * US_PER_HOUR);
  const end = src.endHour !== undefined ? Math.min(w.endUs, w.startUs + Math.round(src.endHour * US_PER_HOUR)) : w.endUs;
  const et = src.eventType ?? 'connection';
  const proto = et === 'dns' ? 'udp' : (src.proto ?? 'tcp');
  const times = periodicTimes(rng, {
    start,
    end,
    period: src.period * S,
    jitter: src.jitter ?? 0,
    mode: src.jitterMode ?? 'one-sided',
    miss: src.missProbability ?? 0,
    windows,
  });
  const implantJa3 = src.tls ? src.tls.ja3 : undefined;
  if (et === 'dns') {
    const spec = src.dns!;
    for (const t of times) {
      yield* em.p.drain(t);
      stats.checkins++;
      for (const tj of burstTimes(rng, t, src.burst)) {
        const len = spec.labelLength ?? 16;
        const name = len > 0 ? `${rng.hex(len)}.${spec.domain}` : spec.domain;
        const qtype = spec.qtype ?? 'TXT';
        const answers =
          qtype === 'TXT'
            ? [{ type: 'TXT' as const, data: rng.hex(rng.int(8, 40)), ttl: 0, name }]
            : [{ type: 'A' as const, data: `${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, ttl: 0, name }];
        em.query(tj, name, qtype, answers, null);
        stats.lookups++;
        stats.connections++;
        if (tj < stats.first) stats.first = tj;
        if (tj > stats.last) stats.last = tj;
      }
    }
    yield* em.p.drain();
    return;
  }
  const rd = resolveDst(src.dst!);
  const port = src.port!;
  const app = appFor(port, proto, src.tls, src.http);
  const cs: CheckinSpec = {
    rd,
    port,
    proto,
    app,
    bytesOut: src.bytesOut,
    bytesIn: src.bytesIn,
    duration: src.duration,
    http: src.http,
    tls: src.tls,
    failureRate: src.failureRate ?? 0,
    stats,
    ja3: implantJa3 ?? `${'72a589da586844d7f0818ce684948eea'}`,
  };
  if (et === 'connection') {
    for (const t of times) {
      yield* em.p.drain(t);
      stats.checkins++;
      for (const tj of burstTimes(rng, t, src.burst)) checkinConnection(em, cs, tj);
    }
    yield* em.p.drain();
    return;
  }
  // eventType http: requests inside keep-alive connections.
  const rpc = src.http?.requestsPerConnection ?? 100;
  const idle = (src.http?.idleTimeout ?? Math.max(300, src.period * 3)) * S;
  let open: { start: number; ip: string; reqs: number[] } | null = null;
  const close = (o: { start: number; ip: string; reqs: number[] }, closedByIdle: boolean) => {
    const rtt = em.rtt(o.ip);
    const host = rd.fqdn ?? o.ip;
    let out = 0;
    let inn = 0;
    const reqs = o.reqs.map((t) => {
      const r = httpRequest(em, src.http, host, src.bytesIn ?? { lognormal: [600, 0.4] }, rng);
      out += requestHeaderBytes(r) + r.requestBodyLen;
      inn += RESPONSE_HEADER_BYTES + r.responseBodyLen;
      return { t, r };
    });
    const last = o.reqs[o.reqs.length - 1];
    const endAt = closedByIdle ? last + idle : last + 2 * rtt + 50_000;
    const c = em.conn(o.start, o.ip, port, { proto: 'tcp', service: 'http', duration: endAt - o.start, origBytes: out, respBytes: inn });
    reqs.forEach(({ t, r }, i) => em.http(c, Math.max(t, c.ts + rtt), i + 1, r));
    countConn(stats, c);
    stats.requests += reqs.length;
  };
  for (const t of times) {
    yield* em.p.drain(open ? Math.min(open.start, t) : t);
    stats.checkins++;
    for (const tj of burstTimes(rng, t, src.burst)) {
      if (open && (open.reqs.length >= rpc || tj - open.reqs[open.reqs.length - 1] > idle)) {
        close(open, open.reqs.length < rpc);
        open = null;
      }
      if (!open) {
        let at = tj;
        let ip = rd.ips[0];
        if (rd.fqdn) {
          const r = em.lookup(tj, rd.fqdn, rd);
          if (r.looked) stats.lookups++;
          at = r.at;
          ip = r.ips[0];
        }
        open = { start: at, ip, reqs: [] };
      }
      open.reqs.push(Math.max(tj, open.start + 1000));
    }
  }
  if (open) close(open, false);
  yield* em.p.drain();
}

function* periodicHostStream(w: World, src: FleetSource, rng: Rng, host: Host, stats: Stats): Generator<Rec> {
  const em = new Emitter(w, rng, host);
  const windows = [...host.awake];
  if (src.activeHours) windows.push(new ActiveWindow(src.activeHours, w.tz));
  const spread = src.periodSpread ?? 0;
  const period = src.period * (1 + spread * (2 * rng.float() - 1));
  const proto = src.proto ?? 'tcp';
  const rd = resolveDst(src.dst);
  const cs: CheckinSpec = {
    rd,
    port: src.port,
    proto,
    app: appFor(src.port, proto, src.tls, src.http),
    bytesOut: src.bytesOut,
    bytesIn: src.bytesIn,
    duration: src.duration,
    http: src.http,
    tls: src.tls,
    failureRate: 0,
    stats,
    ja3: src.tls ? src.tls.ja3 : undefined,
  };
  for (const t of periodicTimes(rng, {
    start: w.startUs,
    end: w.endUs,
    period: period * S,
    jitter: src.jitter ?? 0,
    mode: src.jitterMode ?? 'symmetric',
    miss: src.missProbability ?? 0,
    windows,
  })) {
    yield* em.p.drain(t);
    stats.checkins++;
    checkinConnection(em, cs, t);
  }
  yield* em.p.drain();
}

/** Start times of a daily/weekly job: local time of day ± window, skipping missing runs. */
export function scheduleTimes(w: World, src: ScheduleSource, rng: Rng, host: Host): number[] {
  const tz = src.timeZone ?? w.tz;
  const at = parseClock(src.at);
  const win = src.windowMinutes ?? 0;
  const d0 = localTime(tz, w.startUs / 1000).dayNumber - 1;
  const d1 = localTime(tz, w.endUs / 1000).dayNumber + 1;
  const missing = new Set(src.missingDays ?? []);
  const target = src.weekday ? WEEKDAYS.indexOf(src.weekday) : -1;
  const out: number[] = [];
  let occ = 0;
  for (let d = d0; d <= d1; d++) {
    if (src.every === 'weekly' && (((d + 4) % 7) + 7) % 7 !== target) continue;
    const t = Math.round(utcFromLocal(tz, d, at) * 1000 + rng.uniform(-win, win) * US_PER_MIN);
    if (t < w.startUs || t >= w.endUs) continue;
    const k = occ++;
    if (missing.has(k) || rng.bernoulli(src.missProbability ?? 0)) continue;
    if (!isAwake(host, t)) continue;
    out.push(t);
  }
  return out.sort((a, b) => a - b);
}

function* scheduleStream(w: World, src: ScheduleSource, rng: Rng, host: Host, stats: Stats): Generator<Rec> {
  const em = new Emitter(w, rng, host);
  const rd = resolveDst(src.dst);
  const proto = src.proto ?? 'tcp';
  const app = appFor(src.port, proto, src.tls, undefined);
  for (const t of scheduleTimes(w, src, rng, host)) {
    yield* em.p.drain(t);
    stats.checkins++;
    let at = t;
    let ips = rd.ips;
    if (rd.fqdn) {
      const r = em.lookup(t, rd.fqdn, rd);
      if (r.looked) stats.lookups++;
      at = r.at;
      ips = r.ips;
    }
    const n = src.connections ?? 1;
    const total = Math.max(1, rng.sample(src.bytesOut));
    let tj = at;
    for (let j = 0; j < n; j++) {
      const per = Math.round(total / n);
      const mbps = Math.max(0.5, rng.sample(src.rateMbps ?? { lognormal: [40, 0.3] }));
      const duration = Math.round(((per * 8) / (mbps * 1e6)) * S) + 200_000;
      const inBytes = Math.round(src.bytesIn !== undefined ? rng.sample(src.bytesIn) : per * 0.012 + rng.uniform(3000, 9000));
      const ip = ips[j % ips.length];
      const c = em.conn(tj, ip, src.port, { proto, service: app ? SERVICE[app] : null, duration, origBytes: per, respBytes: inBytes });
      if (app === 'tls') {
        const tls = src.tls || undefined;
        em.tls(c, c.ts + 3 * em.rtt(ip), tls?.sni === undefined ? rd.fqdn : tls.sni, { version: tls?.version, ja3: tls?.ja3, nextProtocol: null });
      }
      countConn(stats, c);
      tj += Math.round(rng.uniform(0.05, 1.5) * S);
    }
  }
  yield* em.p.drain();
}

const PAGE_PATHS = ['/', '/news/', '/article/', '/products/', '/search?q=', '/blog/', '/static/js/app.', '/img/', '/css/site.'];

function pageUri(rng: Rng): { uri: string; mime: string } {
  const p = rng.choice(PAGE_PATHS);
  if (p === '/') return { uri: '/', mime: 'text/html' };
  if (p.startsWith('/static/js')) return { uri: `${p}${rng.hex(8)}.js`, mime: 'application/javascript' };
  if (p === '/img/') return { uri: `${p}${rng.hex(10)}.jpg`, mime: 'image/jpeg' };
  if (p.startsWith('/css')) return { uri: `${p}${rng.hex(6)}.css`, mime: 'text/css' };
  if (p.startsWith('/search')) return { uri: `${p}${rng.hex(5)}`, mime: 'text/html' };
  return { uri: `${p}${rng.int(1000, 99999)}`, mime: 'text/html' };
}

function* browsingStream(w: World, src: BrowsingSource, rng: Rng, host: Host, stats: Stats): Generator<Rec> {
  const em = new Emitter(w, rng, host);
  const win = new ActiveWindow(src.activeHours ?? { from: '07:00', to: '23:00' }, w.tz);
  const d0 = localTime(win.tz, w.startUs / 1000).dayNumber;
  const d1 = localTime(win.tz, w.endUs / 1000).dayNumber;
  const sessions: number[] = [];
  for (let d = d0; d <= d1; d++) {
    const a = utcFromLocal(win.tz, d, win.from) * 1000;
    const b = utcFromLocal(win.tz, win.to > win.from ? d : d + 1, win.to) * 1000;
    const n = rng.poisson(Math.max(0, rng.sample(src.sessionsPerDay ?? 5)));
    for (let j = 0; j < n; j++) {
      const s = Math.round(rng.uniform(a, b));
      if (s >= w.startUs && s < w.endUs && win.isActive(s / 1000) && isAwake(host, s)) sessions.push(s);
    }
  }
  sessions.sort((x, y) => x - y);
  const aaaa = src.aaaaShare ?? 0.5;
  const recent = new Map<string, number>();
  const u = w.universe;
  let prevEnd = -Infinity;
  for (const s0 of sessions) {
    const s = Math.max(s0, prevEnd + 30 * S);
    const sEnd = s + Math.round(Math.max(0.5, rng.sample(src.sessionMinutes ?? { lognormal: [12, 0.7] })) * US_PER_MIN);
    let t = s;
    while (t < sEnd && t < w.endUs) {
      if (!isAwake(host, t) || !win.isActive(t / 1000)) break;
      yield* em.p.drain(t);
      // A click: the page, then some of its third-party resources.
      const site = u.pick(rng);
      const ref = `${site.http ? 'http' : 'https'}://${site.name}/`;
      const targets: { name: string; ips: string[]; ttl: number; cname: string | null; http: boolean; main: boolean; at: number }[] = [
        { ...site, main: true, at: t },
      ];
      for (const ti of site.third) {
        if (rng.bernoulli(0.8)) targets.push({ ...u.thirdParty[ti], main: false, at: t + Math.round(rng.uniform(0.15, 2.5) * S) });
      }
      for (const tg of targets) {
        const last = recent.get(tg.name);
        if (last !== undefined && tg.at - last < 45 * S && rng.bernoulli(0.85)) continue; // connection reused
        recent.set(tg.name, tg.at);
        const r = em.lookup(tg.at, tg.name, { fqdn: tg.name, ips: tg.ips, ttl: tg.ttl, cname: tg.cname }, { aaaa: rng.bernoulli(aaaa) });
        const nConn = tg.main && !tg.http ? rng.int(1, 2) : 1;
        for (let k = 0; k < nConn; k++) {
          const at = r.at + k * Math.round(rng.uniform(5_000, 300_000));
          const ip = r.ips[k % r.ips.length];
          const rtt = em.rtt(ip);
          const duration = Math.round(Math.min(900, rng.lognormal(tg.main ? 12 : 4, 1.1)) * S) + 4 * rtt;
          if (tg.http) {
            const nReq = rng.int(1, 6);
            const reqs: { r: HttpReq; t: number }[] = [];
            let out = 0;
            let inn = 0;
            for (let q = 0; q < nReq; q++) {
              const pu = q === 0 ? { uri: '/', mime: 'text/html' } : pageUri(rng);
              const req: HttpReq = {
                method: 'GET',
                host: tg.name,
                uri: pu.uri,
                userAgent: host.userAgent,
                referrer: q === 0 ? null : ref,
                requestBodyLen: 0,
                responseBodyLen: Math.round(rng.lognormal(12_000, 1.2)),
                mime: pu.mime,
              };
              out += requestHeaderBytes(req);
              inn += RESPONSE_HEADER_BYTES + req.responseBodyLen;
              // The page's resources come right away; a later click on the same site reuses the connection.
              const off = q === 0 ? 0 : rng.bernoulli(0.7) ? rng.uniform(20_000, 1_500_000) : rng.uniform(0, duration - 3 * rtt);
              reqs.push({ r: req, t: at + rtt + Math.round(off) });
            }
            reqs.sort((x, y) => x.t - y.t);
            const c = em.conn(at, ip, 80, { proto: 'tcp', service: 'http', duration, origBytes: out, respBytes: inn });
            reqs.forEach((x, q) => em.http(c, x.t, q + 1, x.r));
            countConn(stats, c);
            stats.requests += nReq;
          } else {
            const c = em.conn(at, ip, 443, {
              proto: 'tcp',
              service: 'ssl',
              duration,
              origBytes: Math.round(rng.lognormal(1600, 0.8)),
              respBytes: Math.round(rng.lognormal(tg.main ? 60_000 : 15_000, 1.3)),
            });
            em.tls(c, c.ts + 3 * rtt, tg.name, { version: rng.bernoulli(0.9) ? 'TLSv13' : 'TLSv12' });
            countConn(stats, c);
          }
        }
      }
      t += Math.round(Math.max(1, rng.sample(src.clickGap ?? { exponential: 40 })) * S);
    }
    prevEnd = t;
  }
  yield* em.p.drain();
}

const INTERNAL_SERVICES: { port: number; service: string | null }[] = [
  { port: 445, service: 'smb' },
  { port: 389, service: 'ldap_tcp' },
  { port: 88, service: 'krb_tcp' },
  { port: 135, service: 'dce_rpc' },
  { port: 3268, service: null },
];

function* noiseStream(w: World, src: NoiseSource, rng: Rng, host: Host, stats: Stats): Generator<Rec> {
  const em = new Emitter(w, rng, host);
  const win = src.activeHours ? new ActiveWindow(src.activeHours, w.tz) : null;
  const perHour = Math.max(0.01, rng.sample(src.perHour ?? 6));
  const failed = src.failedShare ?? 0.15;
  const multicast = src.multicastShare ?? 0.15;
  let t = w.startUs + Math.round(rng.exponential(3600 / perHour) * S);
  while (t < w.endUs) {
    if (isAwake(host, t) && (!win || win.isActive(t / 1000))) {
      yield* em.p.drain(t);
      const r = rng.float();
      let c;
      if (r < multicast) {
        c = rng.bernoulli(0.5)
          ? em.conn(t, '224.0.0.251', 5353, { proto: 'udp', service: 'dns', duration: 0, origBytes: rng.int(40, 300), respBytes: 0, outcome: 'no-answer' }, 5353)
          : em.conn(t, '239.255.255.250', 1900, { proto: 'udp', service: null, duration: Math.round(rng.uniform(1, 3) * S), origBytes: 175 * 4, respBytes: 0, outcome: 'no-answer', origPkts: 4 });
      } else if (r < multicast + failed) {
        c = em.conn(t, randomPublicIp(rng), rng.choice([443, 80, 8080, 22, 3389, 445, 8443]), {
          proto: 'tcp',
          service: null,
          duration: rng.bernoulli(0.5) ? 3 * S : 0,
          origBytes: 0,
          respBytes: 0,
          outcome: rng.bernoulli(0.7) ? 'no-answer' : 'rejected',
        });
      } else {
        const sv = rng.choice(INTERNAL_SERVICES);
        c = em.conn(t, rng.choice(w.servers), sv.port, {
          proto: 'tcp',
          service: sv.service,
          duration: Math.round(rng.lognormal(0.5, 1.2) * S),
          origBytes: Math.round(rng.lognormal(900, 1)),
          respBytes: Math.round(rng.lognormal(2500, 1.2)),
        });
      }
      countConn(stats, c);
    }
    t += Math.max(1, Math.round(rng.exponential(3600 / perHour) * S));
  }
  yield* em.p.drain();
}

function windowsSpec(host: Host, own?: ActiveWindow | null): TruthItem['activeHours'] {
  const list = [...host.awake.map((w) => ({ ...w.spec, timeZone: w.tz })), ...(own ? [{ ...own.spec, timeZone: own.tz }] : [])];
  return list.length ? list : undefined;
}

/** Builds every source's stream and the truth entries they fill in while generating. */
export function buildStreams(w: World, rng: Rng): Built {
  const streams: Iterable<Rec>[] = [];
  const planted: Planted[] = [];
  const background: Background[] = [];
  for (const src of w.scenario.sources) {
    const srng = rng.fork(`source:${src.id}`);
    const stats = newStats();
    switch (src.type) {
      case 'beacon': {
        const host = hostFor(w, src.src);
        const et = src.eventType ?? 'connection';
        const rd = et === 'dns' ? null : resolveDst(src.dst!);
        planted.push({
          stats,
          item: {
            id: src.id,
            kind: 'beacon',
            source: 'beacon',
            malicious: src.malicious ?? true,
            description: src.description,
            src: host.ip,
            dst: rd ? dstTruth(rd) : { domain: src.dns!.domain },
            port: et === 'dns' ? 53 : src.port!,
            proto: et === 'dns' ? 'udp' : (src.proto ?? 'tcp'),
            eventType: et,
            period: src.period,
            jitter: src.jitter ?? 0,
            jitterMode: src.jitterMode ?? 'one-sided',
            missProbability: src.missProbability ?? 0,
            burst: src.burst,
            activeHours: windowsSpec(host, src.activeHours ? new ActiveWindow(src.activeHours, w.tz) : null),
          },
        });
        streams.push(beaconStream(w, src, srng, host, stats));
        break;
      }
      case 'schedule': {
        const host = hostFor(w, src.src);
        const period = src.every === 'daily' ? 86400 : 604800;
        planted.push({
          stats,
          item: {
            id: src.id,
            kind: 'scheduled-transfer',
            source: 'schedule',
            malicious: src.malicious ?? false,
            description: src.description,
            src: host.ip,
            dst: dstTruth(resolveDst(src.dst)),
            port: src.port,
            proto: src.proto ?? 'tcp',
            eventType: 'connection',
            period,
            jitter: ((src.windowMinutes ?? 0) * 60) / period,
            jitterMode: 'symmetric',
            missProbability: src.missProbability,
            activeHours: windowsSpec(host),
            schedule: {
              every: src.every,
              at: src.at,
              weekday: src.weekday,
              timeZone: src.timeZone ?? w.tz,
              windowMinutes: src.windowMinutes ?? 0,
              missingDays: src.missingDays,
            },
          },
        });
        streams.push(scheduleStream(w, src, srng, host, stats));
        break;
      }
      case 'fleet':
      case 'saas-poller': {
        const idx = selectHosts(src.hosts, w.hosts.length);
        planted.push({
          stats,
          item: {
            id: src.id,
            kind: src.type === 'fleet' ? 'fleet-schedule' : 'benign',
            source: src.type,
            malicious: src.malicious ?? false,
            description: src.description,
            hosts: idx.map((i) => w.hosts[i].ip),
            dst: dstTruth(resolveDst(src.dst)),
            port: src.port,
            proto: src.proto ?? 'tcp',
            eventType: 'connection',
            period: src.period,
            jitter: src.jitter ?? 0,
            jitterMode: src.jitterMode ?? 'symmetric',
            missProbability: src.missProbability ?? 0,
            activeHours: src.activeHours ? [{ ...src.activeHours, timeZone: src.activeHours.timeZone ?? w.tz }] : undefined,
          },
        });
        for (const i of idx) streams.push(periodicHostStream(w, src, srng.fork(`host:${i}`), w.hosts[i], stats));
        break;
      }
      case 'browsing': {
        const idx = selectHosts(src.hosts, w.hosts.length);
        background.push({ id: src.id, source: 'browsing', hosts: idx.length, stats });
        for (const i of idx) streams.push(browsingStream(w, src, srng.fork(`host:${i}`), w.hosts[i], stats));
        break;
      }
      case 'noise': {
        const idx = selectHosts(src.hosts, w.hosts.length);
        background.push({ id: src.id, source: 'noise', hosts: idx.length, stats });
        for (const i of idx) streams.push(noiseStream(w, src, srng.fork(`host:${i}`), w.hosts[i], stats));
        break;
      }
    }
  }
  return { streams, planted, background };
}
