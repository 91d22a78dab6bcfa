// Classifies every distinct address once (internal range? multicast/broadcast/link-local?) into
// a temp table the analysis SQL joins, so the CIDR rules live in one pure module (shared/net.ts)
// and the per-row work stays in DuckDB.
import { classifyIp, parseCidrList, type Cidr, DEFAULT_INTERNAL } from '../../shared/net.js';
import type { Database } from '../engine/db.js';

export async function buildIpClass(db: Database, internal: Cidr[] = parseCidrList(DEFAULT_INTERNAL)): Promise<void> {
  const result = await db.conn.run(
    `SELECT DISTINCT ip FROM (
       SELECT src_ip AS ip FROM connections UNION ALL SELECT dst_ip FROM connections
       UNION ALL SELECT src_ip FROM http UNION ALL SELECT dst_ip FROM http
       UNION ALL SELECT src_ip FROM dns UNION ALL SELECT dst_ip FROM dns
       UNION ALL SELECT src_ip FROM tls UNION ALL SELECT dst_ip FROM tls)
     WHERE ip IS NOT NULL`,
  );
  // One column read as strings (no row objects); no key index: the analysis only hash-joins it.
  const ips = ((await result.getColumnsJS())[0] ?? []) as string[];
  await db.run('CREATE OR REPLACE TEMP TABLE ip_class (ip VARCHAR, internal BOOLEAN, special BOOLEAN)');
  const ap = await db.conn.createAppender('ip_class', 'main', 'temp');
  for (const ip of ips) {
    const c = classifyIp(ip, internal);
    ap.appendVarchar(ip);
    ap.appendBoolean(c.internal);
    ap.appendBoolean(c.special);
    ap.endRow();
  }
  ap.closeSync();
}
