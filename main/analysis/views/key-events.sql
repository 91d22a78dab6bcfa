-- The events of one finding's key, materialized for the linked pair-detail charts (temp table
-- view_ev, rebuilt per finding and scan). Same key rules as finding-events.sql: $event_type,
-- $srcs (the finding's sources), $level (fqdn | domain | ip), $dst, $port, $proto.
-- Sizes are IP-level where the connection has them (what the size scores use; a beacon of bare
-- SYNs still shows its packets), else payload or HTTP body length. The key's events are picked
-- first and joined to their connections after: a join condition on the event type would keep
-- DuckDB from hashing the join (seconds instead of milliseconds for 50 000 events).
CREATE OR REPLACE TEMP TABLE view_ev AS
WITH k AS (
  SELECT e.conn_id, e.ts, e.t, e.src_ip, e.dst_ip, e.dst_port, e.proto, e.b_out, e.b_in, e.event_type
  FROM events e
  WHERE e.event_type = $event_type
    AND list_contains($srcs::VARCHAR[], e.src_ip)
    AND CASE $level
          WHEN 'fqdn' THEN e.name = $dst
          WHEN 'domain' THEN e.domain = $dst
          ELSE e.dst_ip = $dst AND e.dst_port IS NOT DISTINCT FROM $port AND e.proto IS NOT DISTINCT FROM $proto
        END
), c AS (
  SELECT conn_id, ts, orig_ip_bytes, resp_ip_bytes, conn_state
  FROM connections
  WHERE conn_id IN (SELECT conn_id FROM k WHERE event_type = 'connection')
)
SELECT k.conn_id, k.ts, k.t, (k.t * 1000) AS ms, k.src_ip, k.dst_ip, k.dst_port, k.proto,
       CASE WHEN k.event_type = 'connection' THEN coalesce(c.orig_ip_bytes, k.b_out) ELSE k.b_out END AS b_out,
       CASE WHEN k.event_type = 'connection' THEN coalesce(c.resp_ip_bytes, k.b_in) ELSE k.b_in END AS b_in,
       coalesce(k.event_type = 'connection' AND c.conn_state IN ('S0', 'REJ', 'SH', 'SHR', 'RSTOS0', 'RSTRH', 'OTH'), false) AS failed
FROM k
LEFT JOIN c ON c.conn_id = k.conn_id AND c.ts = k.ts
