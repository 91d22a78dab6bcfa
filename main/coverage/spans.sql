-- Span, rows and active hours per log type and sensor.
SELECT type, sensor, bool_and(loaded) AS loaded, count(*) AS n,
       epoch_us(min(ts)) AS a, epoch_us(max(ts)) AS b,
       count(DISTINCT date_trunc('hour', ts)) AS hours,
       list(DISTINCT file_id ORDER BY file_id) AS files
FROM coverage_rows
GROUP BY type, sensor
ORDER BY type, sensor
