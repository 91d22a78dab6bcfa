-- Every event that can carry a rhythm, with the keys it belongs to: connections (keyed by name,
-- registered domain, and destination IP + port + proto), HTTP requests (by Host) and DNS lookups
-- (by query name). Inbound pairs and multicast / broadcast / link-local destinations never
-- become events. Names are the normalized ones from name_map. is_open: connections only (Zeek
-- open_conn rows), for the long-connection totals.
CREATE OR REPLACE TEMP TABLE events AS
SELECT 'connection' AS event_type, c.conn_id, c.ts, c.src_ip, c.dst_ip, c.dst_port, c.proto,
       m.name, m.domain, epoch(c.ts) AS t,
       coalesce(c.orig_bytes, c.orig_ip_bytes) AS b_out,
       coalesce(c.resp_bytes, c.resp_ip_bytes) AS b_in,
       c.duration, s.internal AS src_internal, d.internal AS dst_internal, NULL::VARCHAR AS user_agent, c.is_open
FROM connections c
JOIN ip_class s ON s.ip = c.src_ip
JOIN ip_class d ON d.ip = c.dst_ip
LEFT JOIN conn_names n ON n.conn_id = c.conn_id
LEFT JOIN name_map m ON m.raw_name = n.raw_name
WHERE NOT d.special AND NOT (d.internal AND NOT s.internal)
UNION ALL
SELECT 'http', h.conn_id, h.ts, h.src_ip, h.dst_ip, h.dst_port, 'tcp', m.name, m.domain, epoch(h.ts),
       h.request_body_len, h.response_body_len, NULL, s.internal, d.internal, h.user_agent, NULL
FROM http h
JOIN ip_class s ON s.ip = h.src_ip
JOIN ip_class d ON d.ip = h.dst_ip
-- A Host that is an IP literal (or absent) keeps the request, keyed by address only.
LEFT JOIN name_map m ON m.raw_name = h.host
WHERE NOT d.special AND NOT (d.internal AND NOT s.internal)
UNION ALL
SELECT 'dns', q.conn_id, q.ts, q.src_ip, q.dst_ip, q.dst_port, q.proto, m.name, m.domain, epoch(q.ts),
       NULL, NULL, NULL, s.internal, d.internal, NULL, NULL
FROM dns q
JOIN ip_class s ON s.ip = q.src_ip
JOIN ip_class d ON d.ip = q.dst_ip
JOIN name_map m ON m.raw_name = q.query
WHERE NOT d.special AND NOT (d.internal AND NOT s.internal);
