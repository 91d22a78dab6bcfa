-- Raw connections filtered by address ($ip either side), range ($ips: the case's addresses inside
-- the CIDR, either side, when $use_ips), destination $port, time [$from, $to] (epoch ms) and text
-- ($text, lower-case, in service / state / history / uid). NULL filters match everything.
SELECT epoch_ms(ts) AS ts, src_ip AS src, src_port, dst_ip AS dst, dst_port, proto, service, duration,
       orig_bytes AS bytes_out, resp_bytes AS bytes_in, conn_state, history, conn_id,
       count(*) OVER () AS total
FROM connections
WHERE ($ip::VARCHAR IS NULL OR src_ip = $ip OR dst_ip = $ip)
  AND (NOT $use_ips OR list_contains($ips::VARCHAR[], src_ip) OR list_contains($ips::VARCHAR[], dst_ip))
  AND ($port::INTEGER IS NULL OR dst_port = $port)
  AND epoch_ms(ts) BETWEEN $from AND $to
  AND ($text::VARCHAR IS NULL OR contains(lower(concat_ws(' ', service, conn_state, history, conn_id)), $text))
ORDER BY ts
LIMIT $limit OFFSET $offset
