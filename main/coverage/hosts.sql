-- Internal hosts: how many, those seen only as destinations of inbound traffic (they never start
-- a connection, a lookup or a request, and nothing inside talks to them), and those that reach
-- outside without any DNS activity (no lookup in dns, no connection to port 53): possibly
-- unmanaged, or using hard-coded addresses.
WITH internal AS (
  SELECT ip FROM ip_class WHERE internal AND NOT special
), starts AS (
  SELECT src_ip AS ip FROM connections UNION SELECT src_ip FROM dns
  UNION SELECT src_ip FROM http UNION SELECT src_ip FROM tls
), inbound AS (
  SELECT DISTINCT c.dst_ip AS ip
  FROM connections c JOIN ip_class s ON s.ip = c.src_ip JOIN ip_class d ON d.ip = c.dst_ip
  WHERE d.internal AND NOT d.special AND NOT s.internal
), from_inside AS (
  SELECT DISTINCT c.dst_ip AS ip FROM connections c JOIN ip_class s ON s.ip = c.src_ip WHERE s.internal
), outbound AS (
  SELECT DISTINCT c.src_ip AS ip
  FROM connections c JOIN ip_class s ON s.ip = c.src_ip JOIN ip_class d ON d.ip = c.dst_ip
  WHERE s.internal AND NOT s.special AND NOT d.internal AND NOT d.special
), dns_users AS (
  SELECT src_ip AS ip FROM dns
  UNION SELECT src_ip FROM connections WHERE dst_port = 53 OR service ILIKE '%dns%'
)
SELECT 'internal' AS kind, ip FROM internal
UNION ALL
SELECT 'inbound-only', ip FROM inbound
WHERE ip NOT IN (SELECT ip FROM starts WHERE ip IS NOT NULL) AND ip NOT IN (SELECT ip FROM from_inside WHERE ip IS NOT NULL)
UNION ALL
SELECT 'no-dns', ip FROM outbound WHERE ip NOT IN (SELECT ip FROM dns_users WHERE ip IS NOT NULL)
ORDER BY kind, ip
