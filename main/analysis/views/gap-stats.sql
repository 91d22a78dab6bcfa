SELECT count(*) AS n, min(gap) AS lo, median(gap) AS med, max(gap) AS hi,
       quantile_cont(gap, 0.98) AS p98, min(gap) FILTER (WHERE gap > 0) AS min_pos
FROM view_gaps
