-- overview.sql for findings of the RITA baseline scorer (keyed by source and destination IP).
SELECT k.idx, least(floor((epoch(c.ts) * 1000 - $t0) / $bin_ms), $bins - 1)::BIGINT AS b, count(*) AS n
FROM connections c
JOIN view_keys k ON c.src_ip = k.src AND c.dst_ip = k.dst
WHERE epoch(c.ts) * 1000 >= $t0
GROUP BY ALL
