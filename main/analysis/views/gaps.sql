-- Inter-arrival times (seconds between consecutive events) in the range, as temp table view_gaps.
CREATE OR REPLACE TEMP TABLE view_gaps AS
SELECT gap FROM (
  SELECT t - lag(t) OVER (ORDER BY t, ms) AS gap FROM view_ev WHERE ms BETWEEN $from AND $to
) WHERE gap IS NOT NULL
