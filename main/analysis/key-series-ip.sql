-- Per address key (source, destination IP, port, proto): the event times and sizes the scorer
-- needs, for keys with at least 3 events; $event_type the event stream. Grouped on the columns
-- themselves (the "ip|port|proto" key string is built once per key, not once per event); the
-- destination IP and port histograms of an address key are the key itself, built in TS.
-- Events as in key-series.sql: one unordered list of {t, o, i}, NaN for an unknown size.
SELECT src_ip, concat(dst_ip, '|', coalesce(dst_port::VARCHAR, ''), '|', coalesce(proto, '')) AS dst_key,
       any_value(src_internal) AS src_internal,
       bool_or(dst_internal) AS dst_internal,
       count(*) AS n,
       list({'t': t, 'o': coalesce(b_out::DOUBLE, 'NaN'::DOUBLE), 'i': coalesce(b_in::DOUBLE, 'NaN'::DOUBLE)}) AS ev,
       dst_ip, dst_port, proto,
       mode(name) AS top_name,
       count(name) AS named,
       histogram(user_agent) AS user_agents
FROM events
WHERE event_type = $event_type
  AND ($parts::INTEGER = 1 OR hash(src_ip) % $parts::UBIGINT = $part::UBIGINT) -- one partition of sources (detect.ts)
GROUP BY src_ip, dst_ip, dst_port, proto
HAVING count(*) >= 3
