// The web a browsing host sees: sites with Zipf popularity, each pulling in a few third-party
// domains (fonts, analytics, ads, CDNs). Names look like real ones; addresses are made up from
// the names (stable, public-looking), CDN names have several rotating addresses and short TTLs.
import { publicIp } from './net.js';
import { Zipf, type Rng } from './rng.js';

export interface Site {
  name: string;
  ips: string[];
  ttl: number;
  /** Plain HTTP (port 80) instead of HTTPS. */
  http: boolean;
  /** CNAME target the name resolves through, if any. */
  cname: string | null;
  /** Indexes into `thirdParty`. */
  third: number[];
}

export interface Universe {
  sites: Site[];
  thirdParty: Site[];
  pick(rng: Rng): Site;
}

const TOP_SITES = [
  'www.google.com', 'outlook.office.com', 'www.youtube.com', 'github.com', 'en.wikipedia.org', 'www.linkedin.com',
  'stackoverflow.com', 'www.amazon.com', 'docs.google.com', 'www.bbc.co.uk', 'news.ycombinator.com', 'www.reddit.com',
  'teams.microsoft.com', 'www.nytimes.com', 'mail.google.com', 'www.atlassian.com', 'www.salesforce.com', 'www.zoom.us',
];

const THIRD_PARTY = [
  'fonts.googleapis.com', 'fonts.gstatic.com', 'www.googletagmanager.com', 'www.google-analytics.com',
  'ajax.googleapis.com', 'cdn.jsdelivr.net', 'cdnjs.cloudflare.com', 'connect.facebook.net', 'static.doubleclick.net',
  'securepubads.g.doubleclick.net', 'platform.twitter.com', 'cdn.segment.com', 'js.stripe.com', 'use.typekit.net',
  'assets.adobedtm.com', 'script.hotjar.com', 'static.cloudflareinsights.com', 'bat.bing.com', 's.yimg.com',
  'i.ytimg.com', 'cdn.shopify.com', 'unpkg.com', 'maps.googleapis.com', 'www.gstatic.com', 'apis.google.com',
  'pagead2.googlesyndication.com', 'tpc.googlesyndication.com', 'cdn.optimizely.com', 'js.hs-scripts.com',
  'widget.intercom.io',
];

const WORDS = [
  'alpha', 'apex', 'atlas', 'blue', 'bright', 'cedar', 'cloud', 'coast', 'daily', 'delta', 'echo', 'field', 'forge',
  'fox', 'global', 'green', 'harbor', 'iron', 'jade', 'key', 'lake', 'lumen', 'maple', 'metro', 'north', 'nova', 'oak',
  'orbit', 'peak', 'pixel', 'prime', 'quill', 'river', 'rock', 'sage', 'signal', 'silver', 'solar', 'stone', 'summit',
  'swift', 'terra', 'tide', 'urban', 'vector', 'vista', 'wave', 'west', 'wild', 'zen', 'news', 'shop', 'travel',
  'recipes', 'sports', 'tech', 'money', 'health', 'games', 'books', 'music', 'photo', 'weather', 'jobs', 'auto',
];
const TLDS = ['com', 'com', 'com', 'com', 'net', 'org', 'io', 'co.uk', 'de', 'fr', 'info'];

function cdnLabel(rng: Rng): string {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = 'd';
  for (let i = 0; i < 13; i++) s += chars[rng.int(0, chars.length - 1)];
  return s;
}

export function buildUniverse(rng: Rng, size: number, httpShare: number): Universe {
  const thirdParty: Site[] = THIRD_PARTY.map((name) => {
    const cdn = /cdn|gstatic|cloudflare|ytimg|yimg|unpkg/.test(name);
    const n = cdn ? rng.int(4, 8) : rng.int(1, 3);
    return {
      name,
      ips: Array.from({ length: n }, (_, k) => publicIp(name, k)),
      ttl: cdn ? rng.choice([20, 60, 60, 120]) : rng.choice([300, 300, 600, 3600]),
      http: false,
      cname: null,
      third: [],
    };
  });
  // A few CloudFront distributions, like many sites' static assets.
  for (let i = 0; i < 6; i++) {
    const name = `${cdnLabel(rng)}.cloudfront.net`;
    thirdParty.push({ name, ips: Array.from({ length: 8 }, (_, k) => publicIp(name, k)), ttl: 60, http: false, cname: null, third: [] });
  }
  const names = new Set<string>();
  const sites: Site[] = [];
  const tpZipf = new Zipf(thirdParty.length, 0.9);
  for (let i = 0; i < size; i++) {
    let name: string;
    if (i < TOP_SITES.length) name = TOP_SITES[i];
    else {
      do {
        const base = `${rng.choice(WORDS)}${rng.choice(WORDS)}.${rng.choice(TLDS)}`;
        name = rng.bernoulli(0.6) ? `www.${base}` : base;
      } while (names.has(name));
    }
    names.add(name);
    const cnamed = i >= TOP_SITES.length && rng.bernoulli(0.3);
    const nIps = cnamed ? rng.int(2, 4) : rng.int(1, 2);
    const third = new Set<number>();
    const k = i < TOP_SITES.length ? rng.int(0, 3) : rng.int(1, 7);
    for (let j = 0; j < k; j++) third.add(tpZipf.index(rng.float()));
    sites.push({
      name,
      ips: Array.from({ length: nIps }, (_, j) => publicIp(name, j)),
      ttl: rng.choice([60, 300, 300, 600, 1800, 3600]),
      http: i >= TOP_SITES.length && rng.bernoulli(httpShare),
      cname: cnamed ? `${name.replace(/^www\./, '').replace(/\./g, '-')}.edge.${rng.choice(['akamaized.net', 'cdn.cloudflare.net', 'fastly.net', 'azureedge.net'])}` : null,
      third: [...third].sort((a, b) => a - b),
    });
  }
  const zipf = new Zipf(sites.length, 1.1);
  return { sites, thirdParty, pick: (r) => sites[zipf.index(r.float())] };
}
