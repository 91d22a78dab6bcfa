-- Sensors whose clocks disagree: the same 5-tuple seen by two sensors within 10 minutes; the
-- median difference of their start times is the offset between their clocks.
WITH c AS (
  SELECT sensor_key, src_ip, src_port, dst_ip, dst_port, proto, epoch(ts) AS t FROM coverage_conns
  WHERE src_port IS NOT NULL AND dst_port IS NOT NULL
)
SELECT a.sensor_key AS sa, b.sensor_key AS sb, count(*) AS n, median(a.t - b.t) AS offset_s
FROM c a JOIN c b
  ON a.src_ip = b.src_ip AND a.src_port = b.src_port AND a.dst_ip = b.dst_ip AND a.dst_port = b.dst_port
 AND a.proto IS NOT DISTINCT FROM b.proto AND a.sensor_key < b.sensor_key AND abs(a.t - b.t) < 600
GROUP BY ALL
ORDER BY n DESC
