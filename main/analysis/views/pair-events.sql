-- The connections of a (source, destination IP) finding of the RITA baseline scorer, which keys
-- on the pair alone, materialized like key-events.sql (temp table view_ev).
CREATE OR REPLACE TEMP TABLE view_ev AS
SELECT conn_id, ts, epoch(ts) AS t, epoch(ts) * 1000 AS ms, src_ip, dst_ip, dst_port, proto,
       coalesce(orig_ip_bytes, orig_bytes) AS b_out,
       coalesce(resp_ip_bytes, resp_bytes) AS b_in,
       coalesce(conn_state IN ('S0', 'REJ', 'SH', 'SHR', 'RSTOS0', 'RSTRH', 'OTH'), false) AS failed
FROM connections
WHERE list_contains($srcs::VARCHAR[], src_ip) AND dst_ip = $dst
