// MITRE ATT&CK techniques a finding's traffic shape points to, each with the reason. Pure: the
// mapping reads the finding and the services seen on its connections. It is a candidate
// mapping from network evidence alone; the report says so.
import { formatDuration } from '../../shared/format.js';
import type { Finding } from '../../shared/types.js';

export interface AttackTechnique {
  id: string;
  name: string;
  tactic: string;
  why: string;
}

const WEB_PORTS = new Set([80, 443, 8000, 8008, 8080, 8443, 3128]);
/** Ports where an application protocol is expected (a C2 on another port is "non-standard"). */
const STANDARD_PORTS = new Set([20, 21, 22, 23, 25, 53, 80, 110, 123, 143, 443, 465, 587, 853, 993, 995, 3128, 8080, 8443]);
const C2_CATEGORIES = new Set(['beacon', 'fleet-schedule', 'long-connection', 'dns-tunnel', 'strobe']);

export interface AttackContext {
  /** Services Zeek / Suricata recognised on the finding's connections (lower case, e.g. "ssl", "http"). */
  services: string[];
}

function portOf(f: Finding): number | null {
  return f.port ?? f.dstPorts?.[0]?.port ?? null;
}

export function attackFor(f: Finding, ctx: AttackContext = { services: [] }): AttackTechnique[] {
  const out: AttackTechnique[] = [];
  const port = portOf(f);
  const services = new Set(ctx.services.flatMap((s) => s.toLowerCase().split(',')).map((s) => s.trim()).filter((s) => s && s !== '-'));
  const dns = f.eventType === 'dns' || f.category === 'dns-tunnel' || port === 53 || services.has('dns');
  const web =
    !dns && (f.eventType === 'http' || services.has('http') || services.has('ssl') || services.has('tls') || services.has('quic') || (port !== null && WEB_PORTS.has(port)));
  const appProtocol = dns || web || services.size > 0;
  const rhythm = f.period !== null ? `a rhythm of ${formatDuration(f.period)}` : 'repeated contact';
  const target = `${f.dst}${port !== null ? `:${port}` : ''}${f.proto ? `/${f.proto}` : ''}`;

  if (C2_CATEGORIES.has(f.category)) {
    if (dns) {
      out.push({
        id: 'T1071.004',
        name: 'Application Layer Protocol: DNS',
        tactic: 'Command and Control',
        why: f.category === 'dns-tunnel' ? 'data moves in DNS queries and answers (tunnel shape)' : `DNS traffic to ${f.dst} keeps ${rhythm}`,
      });
    } else if (web) {
      out.push({
        id: 'T1071.001',
        name: 'Application Layer Protocol: Web Protocols',
        tactic: 'Command and Control',
        why: `${rhythm} over ${[...services].filter((s) => s !== '').join('/') || (f.eventType === 'http' ? 'HTTP' : 'a web port')} to ${target}`,
      });
    } else if (appProtocol) {
      out.push({
        id: 'T1071',
        name: 'Application Layer Protocol',
        tactic: 'Command and Control',
        why: `${rhythm} over ${[...services].join('/')} to ${target}`,
      });
    } else {
      out.push({
        id: 'T1095',
        name: 'Non-Application Layer Protocol',
        tactic: 'Command and Control',
        why: `${rhythm} to ${target}; the sensor recognised no application protocol on it (a custom protocol over ${f.proto ?? 'IP'}, or no payload exchanged; if the payload turns out to be HTTP, T1071.001 applies instead)`,
      });
    }
    if (port !== null && !STANDARD_PORTS.has(port) && !web && !dns) {
      out.push({
        id: 'T1571',
        name: 'Non-Standard Port',
        tactic: 'Command and Control',
        why: `the channel uses port ${port}${f.proto ? `/${f.proto}` : ''}, not a port of a common service`,
      });
    }
  }
  const scheduled = f.category === 'scheduled-transfer' || (f.exfil === true && f.period !== null) || (f.clock !== null && f.clock !== undefined && f.exfil === true);
  if (scheduled) {
    out.push({
      id: 'T1029',
      name: 'Scheduled Transfer',
      tactic: 'Exfiltration',
      why: f.clock
        ? `transfers start at ${f.clock.at} every ${Math.round(f.clock.cycle / 3600)} h`
        : `outbound transfers repeat with ${rhythm}`,
    });
  }
  if (f.exfil && (f.category === 'beacon' || f.category === 'fleet-schedule' || f.category === 'long-connection')) {
    out.push({
      id: 'T1041',
      name: 'Exfiltration Over C2 Channel',
      tactic: 'Exfiltration',
      why: `large outbound volume (${f.bytesOut ?? '?'} bytes) travels on the same rhythmic channel`,
    });
  }
  if ((f.category === 'scheduled-transfer' && !web) || (f.category === 'dns-tunnel' && f.exfil)) {
    out.push({
      id: 'T1048',
      name: 'Exfiltration Over Alternative Protocol',
      tactic: 'Exfiltration',
      why: dns ? 'data leaves inside DNS, not over a web or C2 channel' : `scheduled outbound transfers over ${[...services].join('/') || `${f.proto ?? 'IP'} port ${port ?? '?'}`}, not a web channel`,
    });
  }
  return out;
}
