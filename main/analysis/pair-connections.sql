-- The connections behind one (source, destination IP) finding, oldest first, for the pair-detail
-- views. $limit bounds what is sent to the renderer; $total says how many there are.
SELECT conn_id, epoch_us(ts) AS ts_us, src_ip, src_port, dst_ip, dst_port, proto, service,
       duration, orig_bytes, resp_bytes, orig_ip_bytes, resp_ip_bytes, conn_state,
       count(*) OVER () AS total
FROM connections
WHERE src_ip = $src AND dst_ip = $dst
ORDER BY ts
LIMIT $limit
