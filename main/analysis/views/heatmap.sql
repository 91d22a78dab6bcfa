-- Events per calendar day and hour of day on the clock of $zone (IANA; 'UTC' by default):
-- the stored UTC time is read as UTC, then shown on the zone's wall clock.
SELECT strftime(lt, '%Y-%m-%d') AS day, hour(lt) AS h, count(*) AS n
FROM (SELECT timezone($zone, timezone('UTC', ts)) AS lt FROM view_ev WHERE ms BETWEEN $from AND $to)
GROUP BY ALL
ORDER BY day, h
