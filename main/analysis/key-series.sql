-- Per key: the event times and sizes the scorer needs, for keys with at least 3 events.
-- $level picks the key: 'fqdn' (source, name), 'domain' (source, registered domain) or
-- 'ip' (source, destination IP, port, proto); $event_type the event stream.
WITH e AS (
  SELECT *,
         CASE $level WHEN 'fqdn' THEN name WHEN 'domain' THEN domain
              ELSE concat(dst_ip, '|', coalesce(dst_port::VARCHAR, ''), '|', coalesce(proto, '')) END AS dst_key
  FROM events
  WHERE event_type = $event_type
    AND ($level = 'ip' OR name IS NOT NULL)
    AND ($level <> 'domain' OR domain <> name)
)
SELECT src_ip, dst_key,
       any_value(src_internal) AS src_internal,
       bool_or(dst_internal) AS dst_internal,
       count(*) AS n,
       list(t ORDER BY t) AS ts,
       list(b_out ORDER BY t) AS b_out,
       list(b_in ORDER BY t) AS b_in,
       histogram(dst_ip) AS dst_ips,
       histogram(concat(coalesce(dst_port::VARCHAR, '?'), '/', coalesce(proto, '?'))) AS ports,
       mode(name) AS top_name,
       count(name) AS named,
       histogram(user_agent) AS user_agents,
       sum(duration) AS total_duration
FROM e
GROUP BY src_ip, dst_key
HAVING count(*) >= 3
