-- Summary-only data per source format: connections without any byte count, history, duration.
SELECT coalesce(format, '?') AS format, count(*) AS n,
       count(*) FILTER (WHERE orig_bytes IS NULL AND resp_bytes IS NULL AND orig_ip_bytes IS NULL AND resp_ip_bytes IS NULL) AS no_bytes,
       count(*) FILTER (WHERE history IS NULL OR history = '') AS no_history,
       count(*) FILTER (WHERE duration IS NULL) AS no_duration,
       count(*) FILTER (WHERE is_open) AS open
FROM coverage_conns
GROUP BY ALL
ORDER BY n DESC
