-- Silences of an hour or more between consecutive rows of one log type and sensor.
SELECT type, sensor, epoch_us(prev) AS a, epoch_us(ts) AS b
FROM (
  SELECT type, sensor, ts, lag(ts) OVER (PARTITION BY type, sensor ORDER BY ts) AS prev
  FROM coverage_rows
)
WHERE prev IS NOT NULL AND ts - prev >= INTERVAL 1 HOUR
ORDER BY type, sensor, ts
