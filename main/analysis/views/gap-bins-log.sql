-- Log-spaced bins: $per_decade per decade from 10^$lo_exp; zero gaps go to the first bin.
SELECT greatest(0, least($bins - 1, floor((log10(greatest(gap, 1e-9)) - $lo_exp) * $per_decade)))::BIGINT AS b,
       count(*) AS n
FROM view_gaps
GROUP BY b
