-- The same connection timed by several log types: a record before the connection's start
-- (more than 1 s) or long after its end (more than 60 s) means the clocks disagree.
WITH x AS (
  SELECT 'ssl' AS type, conn_id, ts FROM tls WHERE conn_id IS NOT NULL
  UNION ALL SELECT 'http', conn_id, ts FROM http WHERE conn_id IS NOT NULL
  UNION ALL SELECT 'dns', conn_id, ts FROM dns WHERE conn_id IS NOT NULL
  UNION ALL SELECT 'alert', conn_id, ts FROM alerts WHERE conn_id IS NOT NULL
), c AS (
  SELECT conn_id, min(epoch(ts)) AS t0, max(epoch(ts) + coalesce(duration, 0)) AS t1, bool_or(duration IS NULL) AS open
  FROM connections WHERE conn_id IS NOT NULL GROUP BY conn_id
), d AS (
  SELECT x.type, epoch(x.ts) - c.t0 AS before_s, epoch(x.ts) - c.t1 AS after_s, c.open
  FROM x JOIN c USING (conn_id)
)
SELECT type, count(*) AS compared,
       count(*) FILTER (WHERE before_s < -1) AS before_start,
       count(*) FILTER (WHERE NOT open AND after_s > 60) AS after_end,
       max(greatest(-before_s, CASE WHEN open THEN 0 ELSE after_s END, 0)) AS max_skew
FROM d GROUP BY type ORDER BY type
