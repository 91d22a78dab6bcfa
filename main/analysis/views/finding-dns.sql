-- DNS lookups behind a finding: by its sources for its name (fqdn), any name under its domain
-- (domain), or any name answered with its address (ip / pair). Names compared lower-cased
-- without a trailing dot, as main/analysis/names.ts normalizes them.
SELECT epoch_ms(d.ts) AS ts, d.src_ip AS src, d.dst_ip AS resolver, d.query, d.qtype, d.rcode,
       array_to_string(d.answers, ', ') AS answers, array_to_string(d.ttls, ', ') AS ttls, d.conn_id,
       count(*) OVER () AS total
FROM dns d
WHERE list_contains($srcs::VARCHAR[], d.src_ip)
  AND epoch_ms(d.ts) BETWEEN $from AND $to
  AND CASE $level
        WHEN 'fqdn' THEN rtrim(lower(d.query), '.') = $dst
        WHEN 'domain' THEN rtrim(lower(d.query), '.') = $dst OR ends_with(rtrim(lower(d.query), '.'), '.' || $dst)
        ELSE list_contains(d.answers, $dst)
      END
ORDER BY d.ts
LIMIT $limit OFFSET $offset
