-- Long connections per address key (conn_keys.sql holds the totals of every key): cumulative
-- duration at least $min_seconds. The dominant name (a holistic mode over a join with
-- conn_names) is looked up only for the few keys that pass the threshold.
WITH agg AS (SELECT * FROM conn_keys WHERE total_duration >= $min_seconds),
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
