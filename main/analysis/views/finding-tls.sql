-- TLS handshakes behind a finding: SNI equal to its name / under its domain, or to its address.
SELECT epoch_ms(s.ts) AS ts, s.src_ip AS src, s.dst_ip AS dst, s.dst_port, s.server_name, s.version,
       s.established, s.next_protocol, s.ja3, s.ja4, s.subject, s.issuer, s.validation_status, s.conn_id,
       count(*) OVER () AS total
FROM tls s
WHERE list_contains($srcs::VARCHAR[], s.src_ip)
  AND epoch_ms(s.ts) BETWEEN $from AND $to
  AND CASE $level
        WHEN 'fqdn' THEN rtrim(lower(s.server_name), '.') = $dst
        WHEN 'domain' THEN rtrim(lower(s.server_name), '.') = $dst OR ends_with(rtrim(lower(s.server_name), '.'), '.' || $dst)
        ELSE s.dst_ip = $dst AND ($port::INTEGER IS NULL OR s.dst_port = $port)
      END
ORDER BY s.ts
LIMIT $limit OFFSET $offset
