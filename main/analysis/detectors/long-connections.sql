-- Long connections per (source, destination IP, port, proto): cumulative duration, counting a
-- still-open connection (Zeek open_conn) up to the end of the case. A closed connection without
-- a duration (an unanswered SYN) lasted no time at all.
WITH case_end AS (SELECT max(ts) AS t FROM connections)
SELECT c.src_ip, c.dst_ip, c.dst_port, c.proto,
       any_value(s.internal) AS src_internal, any_value(d.internal) AS dst_internal,
       count(*) AS n,
       sum(coalesce(c.duration, CASE WHEN c.is_open THEN epoch((SELECT t FROM case_end) - c.ts) ELSE 0 END)) AS total_duration,
       max(coalesce(c.duration, CASE WHEN c.is_open THEN epoch((SELECT t FROM case_end) - c.ts) ELSE 0 END)) AS longest,
       count(*) FILTER (WHERE c.is_open) AS still_open,
       sum(coalesce(c.orig_bytes, c.orig_ip_bytes)) AS bytes_out,
       sum(coalesce(c.resp_bytes, c.resp_ip_bytes)) AS bytes_in,
       epoch_us(min(c.ts)) AS first_us,
       epoch_us(max(c.ts + to_microseconds(CAST(coalesce(c.duration, 0) * 1e6 AS BIGINT)))) AS last_us,
       mode(n.raw_name) AS raw_name
FROM connections c
JOIN ip_class s ON s.ip = c.src_ip
JOIN ip_class d ON d.ip = c.dst_ip
LEFT JOIN conn_names n ON n.conn_id = c.conn_id
WHERE NOT d.special AND NOT (d.internal AND NOT s.internal)
GROUP BY c.src_ip, c.dst_ip, c.dst_port, c.proto
HAVING sum(coalesce(c.duration, CASE WHEN c.is_open THEN epoch((SELECT t FROM case_end) - c.ts) ELSE 0 END)) >= $min_seconds
