-- The events behind one finding, oldest first: the rows of `events` (built by the last scan) that
-- belong to the finding's key, with the connection's details for connection events.
-- $srcs: the finding's sources; $level: fqdn | domain | ip | pair; $dst / $port / $proto: the key.
-- The key filter runs first so the join to `connections` stays a hash join on (conn_id, ts).
-- Sources are matched by a semi-join (list_contains per row costs a scan of the list for each of
-- millions of events), and only those sources' connections are joined.
WITH s AS (SELECT unnest($srcs) AS src_ip),
e AS (
  SELECT * FROM events
  WHERE event_type = $event_type
    AND src_ip IN (SELECT src_ip FROM s)
    AND CASE $level
          WHEN 'fqdn' THEN name = $dst
          WHEN 'domain' THEN domain = $dst
          WHEN 'ip' THEN dst_ip = $dst AND dst_port IS NOT DISTINCT FROM $port AND proto IS NOT DISTINCT FROM $proto
          ELSE dst_ip = $dst
        END
)
SELECT e.conn_id, epoch_us(e.ts) AS ts_us, e.src_ip, c.src_port, e.dst_ip, e.dst_port, e.proto,
       c.service, coalesce(c.duration, e.duration) AS duration,
       CASE WHEN e.event_type = 'connection' THEN c.orig_bytes ELSE e.b_out END AS orig_bytes,
       CASE WHEN e.event_type = 'connection' THEN c.resp_bytes ELSE e.b_in END AS resp_bytes,
       c.orig_ip_bytes, c.resp_ip_bytes, c.conn_state,
       count(*) OVER () AS total
FROM e
LEFT JOIN (SELECT * FROM connections WHERE src_ip IN (SELECT src_ip FROM s)) c ON c.conn_id = e.conn_id AND c.ts = e.ts
ORDER BY e.ts
LIMIT $limit
