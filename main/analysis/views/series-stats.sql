-- Extent of the finding's events and how many fall in the range [$from, $to] (epoch ms).
SELECT count(*) AS total,
       count(*) FILTER (WHERE ms BETWEEN $from AND $to) AS in_range,
       min(ms) AS first_ms, max(ms) AS last_ms
FROM view_ev
