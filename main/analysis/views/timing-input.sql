-- The finding's event times and sizes, for the rhythm recomputed by shared/scoring.
SELECT list(t ORDER BY t) AS ts, list(b_out ORDER BY t) AS b_out, list(b_in ORDER BY t) AS b_in FROM view_ev
