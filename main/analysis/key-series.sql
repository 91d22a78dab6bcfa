-- Per name key: the event times and sizes the scorer needs, for keys with at least 3 events.
-- $level picks the key: 'fqdn' (source, name) or 'domain' (source, registered domain);
-- $event_type the event stream. (Address keys: key-series-ip.sql.)
-- The events of a key come as one list of {t, o, i} (time, bytes out, bytes in; NaN = unknown)
-- in no particular order: the scorer sorts them itself, and an ORDER BY inside the aggregate
-- costs a sort per key. One list of structs keeps the three values of an event together.
WITH e AS (
  SELECT src_ip, CASE $level WHEN 'fqdn' THEN name ELSE domain END AS dst_key,
         src_internal, dst_internal, t, b_out, b_in, dst_ip, dst_port, proto, name, user_agent
  FROM events
  WHERE event_type = $event_type
    AND ($parts::INTEGER = 1 OR hash(src_ip) % $parts::UBIGINT = $part::UBIGINT) -- one partition of sources (detect.ts)
    AND name IS NOT NULL
    AND ($level <> 'domain' OR domain <> name)
)
SELECT src_ip, dst_key,
       any_value(src_internal) AS src_internal,
       bool_or(dst_internal) AS dst_internal,
       count(*) AS n,
       list({'t': t, 'o': coalesce(b_out::DOUBLE, 'NaN'::DOUBLE), 'i': coalesce(b_in::DOUBLE, 'NaN'::DOUBLE)}) AS ev,
       histogram(dst_ip) AS dst_ips,
       histogram(concat(coalesce(dst_port::VARCHAR, '?'), '/', coalesce(proto, '?'))) AS ports,
       mode(name) AS top_name,
       count(name) AS named,
       histogram(user_agent) AS user_agents
FROM e
GROUP BY src_ip, dst_key
HAVING count(*) >= 3
