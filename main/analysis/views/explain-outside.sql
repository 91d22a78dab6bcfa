-- Connections matching a "Why not?" query that never became events: inbound (external → internal)
-- or to multicast, broadcast, link-local or unspecified addresses. Needs ip_class from the scan.
SELECT count(*) FILTER (WHERE d.special) AS special,
       count(*) FILTER (WHERE NOT d.special AND d.internal AND NOT s.internal) AS inbound
FROM connections c
JOIN ip_class s ON s.ip = c.src_ip
JOIN ip_class d ON d.ip = c.dst_ip
WHERE (NOT $use_ips OR list_contains($ips::VARCHAR[], c.src_ip) OR list_contains($ips::VARCHAR[], c.dst_ip))
  AND ($src::VARCHAR IS NULL OR c.src_ip = $src)
  AND ($dst_ip::VARCHAR IS NULL OR c.dst_ip = $dst_ip)
