-- Raw DNS lookups filtered like search-connections.sql; text in the query name and answers.
SELECT epoch_ms(ts) AS ts, src_ip AS src, dst_ip AS resolver, query, qtype, rcode,
       array_to_string(answers, ', ') AS answers, conn_id,
       count(*) OVER () AS total
FROM dns
WHERE ($ip::VARCHAR IS NULL OR src_ip = $ip OR dst_ip = $ip OR list_contains(answers, $ip))
  AND (NOT $use_ips OR list_contains($ips::VARCHAR[], src_ip) OR list_contains($ips::VARCHAR[], dst_ip))
  AND ($port::INTEGER IS NULL OR dst_port = $port)
  AND epoch_ms(ts) BETWEEN $from AND $to
  AND ($text::VARCHAR IS NULL OR contains(lower(concat_ws(' ', query, qtype, rcode, array_to_string(answers, ' '))), $text))
ORDER BY ts
LIMIT $limit OFFSET $offset
