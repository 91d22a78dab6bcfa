-- Events per (finding row, time bin) for the overview heatmap. view_keys holds one row per
-- (row index, source) of the top findings with their key; bins are $bin_ms wide from $t0.
SELECT k.idx, least(floor((e.t * 1000 - $t0) / $bin_ms), $bins - 1)::BIGINT AS b, count(*) AS n
FROM events e
JOIN view_keys k ON e.event_type = k.event_type AND e.src_ip = k.src
WHERE CASE k.level
        WHEN 'fqdn' THEN e.name = k.dst
        WHEN 'domain' THEN e.domain = k.dst
        ELSE e.dst_ip = k.dst AND e.dst_port IS NOT DISTINCT FROM k.port AND e.proto IS NOT DISTINCT FROM k.proto
      END
  AND e.t * 1000 >= $t0
GROUP BY ALL
