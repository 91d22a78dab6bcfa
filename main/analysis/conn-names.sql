-- One destination name per connection, by precedence: TLS SNI, then the HTTP Host (for a CONNECT
-- through a proxy: the target), then the latest DNS answer that mapped the destination IP for
-- the same client at or before the connection (within a day). Raw names; normalized in TS.
CREATE OR REPLACE TEMP TABLE conn_names AS
WITH sni AS (
  SELECT conn_id, arg_min(server_name, ts) AS name
  FROM tls WHERE conn_id IS NOT NULL AND server_name IS NOT NULL AND server_name <> ''
  GROUP BY conn_id
), host AS (
  SELECT conn_id, arg_min(host, ts) AS name
  FROM http WHERE conn_id IS NOT NULL AND host IS NOT NULL AND host <> ''
  GROUP BY conn_id
), answers AS (
  SELECT src_ip AS client, unnest(answers) AS ip, query AS name, ts
  FROM dns WHERE answers IS NOT NULL AND query IS NOT NULL AND query <> ''
), by_dns AS (
  SELECT c.conn_id, a.name
  FROM connections c ASOF JOIN answers a
    ON c.src_ip = a.client AND c.dst_ip = a.ip AND c.ts >= a.ts
  WHERE c.conn_id IS NOT NULL AND c.ts - a.ts <= INTERVAL 1 DAY
), ids AS (
  SELECT DISTINCT conn_id FROM connections WHERE conn_id IS NOT NULL
)
SELECT i.conn_id,
       coalesce(s.name, h.name, d.name) AS raw_name,
       CASE WHEN s.name IS NOT NULL THEN 'sni' WHEN h.name IS NOT NULL THEN 'http' ELSE 'dns' END AS source
FROM ids i
LEFT JOIN sni s USING (conn_id)
LEFT JOIN host h USING (conn_id)
LEFT JOIN (SELECT conn_id, any_value(name) AS name FROM by_dns GROUP BY conn_id) d USING (conn_id)
WHERE coalesce(s.name, h.name, d.name) IS NOT NULL;
