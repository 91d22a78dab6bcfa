-- Raw TLS handshakes filtered like search-connections.sql; text in SNI, subject, issuer, JA3/JA4.
SELECT epoch_ms(ts) AS ts, src_ip AS src, dst_ip AS dst, dst_port, server_name, version, established,
       ja3, ja4, subject, issuer, conn_id,
       count(*) OVER () AS total
FROM tls
WHERE ($ip::VARCHAR IS NULL OR src_ip = $ip OR dst_ip = $ip)
  AND (NOT $use_ips OR list_contains($ips::VARCHAR[], src_ip) OR list_contains($ips::VARCHAR[], dst_ip))
  AND ($port::INTEGER IS NULL OR dst_port = $port)
  AND epoch_ms(ts) BETWEEN $from AND $to
  AND ($text::VARCHAR IS NULL OR contains(lower(concat_ws(' ', server_name, subject, issuer, ja3, ja4)), $text))
ORDER BY ts
LIMIT $limit OFFSET $offset
