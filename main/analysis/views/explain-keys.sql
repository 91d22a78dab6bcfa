-- "Why not?": the scanned event stream grouped by key, for the keys matching a query. $ips (when
-- $use_ips): addresses to match on either side; $src / $dst_ip: a pair; $name: a name or domain
-- (lower-case; matches the name, its registered domain, or a name under it).
SELECT src_ip, event_type,
       coalesce(name, concat(dst_ip, ':', coalesce(dst_port::VARCHAR, '?'), '/', coalesce(proto, '?'))) AS dst,
       any_value(dst_ip) AS dst_ip, any_value(name) AS name, any_value(domain) AS domain,
       count(*) AS n, min(epoch_us(ts)) AS first_us, max(epoch_us(ts)) AS last_us,
       list(t ORDER BY t) AS ts
FROM events
WHERE (NOT $use_ips OR list_contains($ips::VARCHAR[], src_ip) OR list_contains($ips::VARCHAR[], dst_ip))
  AND ($src::VARCHAR IS NULL OR src_ip = $src)
  AND ($dst_ip::VARCHAR IS NULL OR dst_ip = $dst_ip)
  AND ($name::VARCHAR IS NULL OR name = $name OR domain = $name OR ends_with(name, '.' || $name) OR contains(name, $name))
GROUP BY ALL
ORDER BY n DESC
LIMIT 200
