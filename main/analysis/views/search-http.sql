-- Raw HTTP requests filtered like search-connections.sql; text in host, URI, agent, referrer.
SELECT epoch_ms(ts) AS ts, src_ip AS src, dst_ip AS dst, dst_port, method, host, uri, status_code,
       user_agent, request_body_len, response_body_len, conn_id,
       count(*) OVER () AS total
FROM http
WHERE ($ip::VARCHAR IS NULL OR src_ip = $ip OR dst_ip = $ip)
  AND (NOT $use_ips OR list_contains($ips::VARCHAR[], src_ip) OR list_contains($ips::VARCHAR[], dst_ip))
  AND ($port::INTEGER IS NULL OR dst_port = $port)
  AND epoch_ms(ts) BETWEEN $from AND $to
  AND ($text::VARCHAR IS NULL OR contains(lower(concat_ws(' ', method, host, uri, user_agent, referrer)), $text))
ORDER BY ts
LIMIT $limit OFFSET $offset
