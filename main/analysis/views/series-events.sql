-- Every event in the range, oldest first: one mark each on the timeline and the size chart.
SELECT ms, b_out, b_in, failed
FROM view_ev
WHERE ms BETWEEN $from AND $to
ORDER BY ms
