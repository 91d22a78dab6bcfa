-- DNS tunnelling / C2 over DNS per (client, registered domain of the query): how many distinct
-- subdomains were asked for, how long their labels are, and the share of TXT / NULL / CNAME /
-- MX queries that carry data. Only domains with many distinct subdomains are returned.
SELECT q.src_ip, m.domain,
       any_value(s.internal) AS src_internal,
       count(*) AS n,
       count(DISTINCT m.name) AS unique_names,
       avg(length(m.name) - length(m.domain)) AS avg_sub_len,
       max(length(m.name) - length(m.domain)) AS max_sub_len,
       count(*) FILTER (WHERE q.qtype IN ('TXT', 'NULL', 'CNAME', 'MX', '16', '10', '5', '15')) AS data_types,
       epoch_us(min(q.ts)) AS first_us,
       epoch_us(max(q.ts)) AS last_us,
       mode(q.dst_ip) AS resolver
FROM dns q
JOIN name_map m ON m.raw_name = q.query
JOIN ip_class s ON s.ip = q.src_ip
WHERE m.name <> m.domain
GROUP BY q.src_ip, m.domain
HAVING count(DISTINCT m.name) >= $min_unique
