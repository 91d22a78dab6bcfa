-- Prevalence of each destination: distinct internal sources that talk to it, and the number of
-- internal sources in the case (RITA's prevalence modifier divides one by the other).
SELECT c.dst_ip, count(DISTINCT c.src_ip) AS sources,
       (SELECT count(DISTINCT src_ip) FROM connections x JOIN ip_class i ON i.ip = x.src_ip WHERE i.internal) AS internal_sources
FROM connections c JOIN ip_class s ON s.ip = c.src_ip
WHERE s.internal
GROUP BY c.dst_ip
