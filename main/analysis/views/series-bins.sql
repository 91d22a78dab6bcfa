-- Too many events to draw one by one: one bin per pixel column ($bin_ms wide from $from), with
-- the count and the smallest and largest sizes (the vertical extent M4 downsampling keeps).
SELECT least(floor((ms - $from) / $bin_ms), $bins - 1)::BIGINT AS col,
       count(*) AS n,
       min(b_out) AS out_min, max(b_out) AS out_max,
       min(b_in) AS in_min, max(b_in) AS in_max,
       count(*) FILTER (WHERE failed) AS failed
FROM view_ev
WHERE ms BETWEEN $from AND $to
GROUP BY col
ORDER BY col
