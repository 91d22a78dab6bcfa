-- Per (source, destination IP) pair: the inputs of RITA's beacon score, for pairs with at least
-- 4 connections. Inbound pairs (external → internal) and multicast / broadcast / link-local
-- destinations are never findings. Data size is orig_ip_bytes (RITA), payload bytes when the
-- source has no IP-level count.
WITH c AS (
  SELECT c.src_ip, c.dst_ip, c.ts, c.dst_port, c.proto,
         coalesce(c.orig_ip_bytes, c.orig_bytes, 0) AS size_out,
         c.orig_bytes, c.resp_bytes,
         s.internal AS src_internal, d.internal AS dst_internal
  FROM connections c
  JOIN ip_class s ON s.ip = c.src_ip
  JOIN ip_class d ON d.ip = c.dst_ip
  WHERE NOT d.special AND NOT (d.internal AND NOT s.internal)
)
SELECT c.src_ip, c.dst_ip,
       any_value(c.src_internal) AS src_internal,
       any_value(c.dst_internal) AS dst_internal,
       count(*) AS n,
       list(epoch(c.ts) ORDER BY c.ts) AS ts,
       list(c.size_out ORDER BY c.ts) AS sizes,
       sum(c.orig_bytes) AS bytes_out,
       sum(c.resp_bytes) AS bytes_in,
       count(c.orig_bytes) AS n_bytes_out,
       count(c.resp_bytes) AS n_bytes_in,
       epoch_us(min(c.ts)) AS first_us,
       epoch_us(max(c.ts)) AS last_us,
       histogram(concat(coalesce(c.dst_port::VARCHAR, '?'), '/', coalesce(c.proto, '?'))) AS ports
FROM c
GROUP BY c.src_ip, c.dst_ip
HAVING count(*) >= 4
