-- The finding's own events in the range, oldest first, with the connection's details.
SELECT v.ms AS ts, v.src_ip AS src, c.src_port, v.dst_ip AS dst, v.dst_port, v.proto, c.service,
       c.duration, c.orig_bytes AS bytes_out, c.resp_bytes AS bytes_in, c.orig_ip_bytes AS ip_bytes_out,
       c.resp_ip_bytes AS ip_bytes_in, c.conn_state, c.history, v.conn_id,
       count(*) OVER () AS total
FROM view_ev v
LEFT JOIN connections c ON c.conn_id = v.conn_id AND c.ts = v.ts
WHERE v.ms BETWEEN $from AND $to
ORDER BY v.ms
LIMIT $limit OFFSET $offset
