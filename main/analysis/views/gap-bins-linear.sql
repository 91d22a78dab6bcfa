-- Linear bins of width $w seconds from 0; gaps past the last bin are counted as overflow (-1).
SELECT CASE WHEN gap > $w * $bins THEN -1 ELSE least(floor(gap / $w), $bins - 1)::BIGINT END AS b, count(*) AS n
FROM view_gaps
GROUP BY b
