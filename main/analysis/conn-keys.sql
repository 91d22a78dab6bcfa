-- One row per address key of the connection events (source, destination IP, port, proto), every
-- key, however few its connections: the totals the long-connection detector ranks and the
-- sources behind each destination (prevalence). One pass over the events instead of one per use.
-- A still-open connection (Zeek open_conn) is held up to the end of the case; a closed one
-- without a duration (an unanswered SYN) lasted no time at all.
CREATE OR REPLACE TEMP TABLE conn_keys AS
WITH case_end AS (SELECT max(ts) AS t FROM connections)
SELECT src_ip, dst_ip, dst_port, proto,
       any_value(src_internal) AS src_internal, any_value(dst_internal) AS dst_internal,
       count(*) AS n,
       -- Summed as exact decimals (microseconds): a double sum depends on the order of the
       -- parallel aggregation, and the same case must score the same every time.
       sum(held::DECIMAL(18,6))::DOUBLE AS total_duration,
       max(held) AS longest,
       count(*) FILTER (WHERE is_open) AS still_open,
       sum(b_out) AS bytes_out,
       sum(b_in) AS bytes_in,
       epoch_us(min(ts)) AS first_us,
       epoch_us(max(ts + to_microseconds(CAST(coalesce(duration, 0) * 1e6 AS BIGINT)))) AS last_us
FROM (
  SELECT *, coalesce(duration, CASE WHEN is_open THEN epoch((SELECT t FROM case_end) - ts) ELSE 0 END) AS held
  FROM events WHERE event_type = 'connection'
)
GROUP BY src_ip, dst_ip, dst_port, proto
