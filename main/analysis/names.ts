// Destination names as keys: lower case, no trailing dot, Unicode form (IDNA A-labels decoded by
// Node's URL implementation), and the registered domain from the Public Suffix List copy that
// tldts ships (offline; no list is ever fetched).
import { domainToUnicode } from 'node:url';
import { getDomain } from 'tldts';
import { parseIpv4, parseIpv6 } from '../../shared/net.js';

/** A name as logged → the key form; null for empty names and IP literals. */
export function normalizeName(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let s = raw.trim().toLowerCase();
  // CONNECT targets and Host headers may carry a port.
  s = s.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '');
  if (s === '' || parseIpv4(s) !== null || parseIpv6(s) !== null) return null;
  if (s.includes('xn--')) {
    const u = domainToUnicode(s);
    if (u) s = u;
  }
  return s;
}

/** Registered domain (eTLD+1) of a normalized name, or the name itself when there is none. */
export function registeredDomain(name: string): string {
  return getDomain(name, { allowPrivateDomains: false }) ?? name;
}
