-- Raw IDS alerts filtered like search-connections.sql; text in signature and category.
SELECT epoch_ms(ts) AS ts, src_ip AS src, src_port, dst_ip AS dst, dst_port, proto, signature_id, signature,
       category, severity, action, conn_id,
       count(*) OVER () AS total
FROM alerts
WHERE ($ip::VARCHAR IS NULL OR src_ip = $ip OR dst_ip = $ip)
  AND (NOT $use_ips OR list_contains($ips::VARCHAR[], src_ip) OR list_contains($ips::VARCHAR[], dst_ip))
  AND ($port::INTEGER IS NULL OR dst_port = $port)
  AND epoch_ms(ts) BETWEEN $from AND $to
  AND ($text::VARCHAR IS NULL OR contains(lower(concat_ws(' ', signature, category, action)), $text))
ORDER BY ts
LIMIT $limit OFFSET $offset
