-- IDS alerts on the finding's traffic: on one of its connections, or between one of its sources
-- and one of the addresses its events went to (either direction).
WITH ends AS (SELECT DISTINCT src_ip, dst_ip FROM view_ev), ids AS (SELECT DISTINCT conn_id FROM view_ev WHERE conn_id IS NOT NULL)
SELECT epoch_ms(a.ts) AS ts, a.src_ip AS src, a.src_port, a.dst_ip AS dst, a.dst_port, a.proto, a.signature_id,
       a.signature, a.category, a.severity, a.action, a.conn_id,
       count(*) OVER () AS total
FROM alerts a
WHERE epoch_ms(a.ts) BETWEEN $from AND $to
  AND (a.conn_id IN (SELECT conn_id FROM ids)
       OR EXISTS (SELECT 1 FROM ends e WHERE (e.src_ip = a.src_ip AND e.dst_ip = a.dst_ip) OR (e.src_ip = a.dst_ip AND e.dst_ip = a.src_ip)))
ORDER BY a.ts
LIMIT $limit OFFSET $offset
