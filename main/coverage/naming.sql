-- How many connections got a name (conn_names: SNI, then HTTP Host, then a DNS answer), overall
-- and for outbound connections (internal source, external destination that is not special).
SELECT count(*) AS n,
       count(n.raw_name) AS named,
       count(*) FILTER (WHERE n.source = 'sni') AS sni,
       count(*) FILTER (WHERE n.source = 'http') AS http,
       count(*) FILTER (WHERE n.source = 'dns') AS dns,
       count(*) FILTER (WHERE s.internal AND NOT d.internal AND NOT d.special) AS outbound,
       count(n.raw_name) FILTER (WHERE s.internal AND NOT d.internal AND NOT d.special) AS outbound_named
FROM connections c
LEFT JOIN conn_names n ON n.conn_id = c.conn_id
LEFT JOIN ip_class s ON s.ip = c.src_ip
LEFT JOIN ip_class d ON d.ip = c.dst_ip
