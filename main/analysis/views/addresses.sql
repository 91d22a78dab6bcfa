-- Every address of a record table (either side), for CIDR filtering in TS (shared/net.ts).
SELECT DISTINCT ip FROM (
  SELECT src_ip AS ip FROM connections WHERE $kind = 'connections' UNION ALL SELECT dst_ip FROM connections WHERE $kind = 'connections'
  UNION ALL SELECT src_ip FROM dns WHERE $kind = 'dns' UNION ALL SELECT dst_ip FROM dns WHERE $kind = 'dns'
  UNION ALL SELECT src_ip FROM http WHERE $kind = 'http' UNION ALL SELECT dst_ip FROM http WHERE $kind = 'http'
  UNION ALL SELECT src_ip FROM tls WHERE $kind = 'tls' UNION ALL SELECT dst_ip FROM tls WHERE $kind = 'tls'
  UNION ALL SELECT src_ip FROM alerts WHERE $kind = 'alerts' UNION ALL SELECT dst_ip FROM alerts WHERE $kind = 'alerts'
) WHERE ip IS NOT NULL
