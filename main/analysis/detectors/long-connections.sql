-- Long connections per (source, destination IP, port, proto): cumulative duration, counting a
-- still-open connection (Zeek open_conn) up to the end of the case. A closed connection without
-- a duration (an unanswered SYN) lasted no time at all.
-- The totals come first; the dominant name (a holistic mode over a join with conn_names) is
-- looked up only for the few keys that pass the threshold.
WITH case_end AS (SELECT max(ts) AS t FROM connections),
c AS (
  SELECT c.src_ip, c.dst_ip, c.dst_port, c.proto, c.ts, c.duration, c.is_open, c.orig_bytes, c.orig_ip_bytes,
         c.resp_bytes, c.resp_ip_bytes, s.internal AS src_internal, d.internal AS dst_internal,
         coalesce(c.duration, CASE WHEN c.is_open THEN epoch((SELECT t FROM case_end) - c.ts) ELSE 0 END) AS held
  FROM connections c
  JOIN ip_class s ON s.ip = c.src_ip
  JOIN ip_class d ON d.ip = c.dst_ip
  WHERE NOT d.special AND NOT (d.internal AND NOT s.internal)
),
agg AS (
  SELECT src_ip, dst_ip, dst_port, proto,
         any_value(src_internal) AS src_internal, any_value(dst_internal) AS dst_internal,
         count(*) AS n,
         sum(held) AS total_duration,
         max(held) AS longest,
         count(*) FILTER (WHERE is_open) AS still_open,
         sum(coalesce(orig_bytes, orig_ip_bytes)) AS bytes_out,
         sum(coalesce(resp_bytes, resp_ip_bytes)) AS bytes_in,
         epoch_us(min(ts)) AS first_us,
         epoch_us(max(ts + to_microseconds(CAST(coalesce(duration, 0) * 1e6 AS BIGINT)))) AS last_us
  FROM c
  GROUP BY src_ip, dst_ip, dst_port, proto
  HAVING sum(held) >= $min_seconds
),
names AS (
  SELECT a.src_ip, a.dst_ip, a.dst_port, a.proto, mode(n.raw_name) AS raw_name
  FROM agg a
  JOIN connections x ON x.src_ip = a.src_ip AND x.dst_ip = a.dst_ip
       AND x.dst_port IS NOT DISTINCT FROM a.dst_port AND x.proto IS NOT DISTINCT FROM a.proto
  JOIN conn_names n ON n.conn_id = x.conn_id
  GROUP BY a.src_ip, a.dst_ip, a.dst_port, a.proto
)
SELECT a.*, m.raw_name
FROM agg a
LEFT JOIN names m ON m.src_ip = a.src_ip AND m.dst_ip = a.dst_ip
     AND m.dst_port IS NOT DISTINCT FROM a.dst_port AND m.proto IS NOT DISTINCT FROM a.proto
