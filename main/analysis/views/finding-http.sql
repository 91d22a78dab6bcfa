-- HTTP requests behind a finding: by its sources to its name / domain (Host header, port
-- dropped), or to its address (ip / pair).
SELECT epoch_ms(h.ts) AS ts, h.src_ip AS src, h.dst_ip AS dst, h.dst_port, h.method, h.host, h.uri,
       h.status_code, h.user_agent, h.request_body_len, h.response_body_len, h.conn_id,
       count(*) OVER () AS total
FROM http h
WHERE list_contains($srcs::VARCHAR[], h.src_ip)
  AND epoch_ms(h.ts) BETWEEN $from AND $to
  AND CASE $level
        WHEN 'fqdn' THEN rtrim(lower(regexp_replace(h.host, ':\d+$', '')), '.') = $dst
        WHEN 'domain' THEN rtrim(lower(regexp_replace(h.host, ':\d+$', '')), '.') = $dst
                        OR ends_with(rtrim(lower(regexp_replace(h.host, ':\d+$', '')), '.'), '.' || $dst)
        ELSE h.dst_ip = $dst AND ($port::INTEGER IS NULL OR h.dst_port = $port)
      END
ORDER BY h.ts
LIMIT $limit OFFSET $offset
