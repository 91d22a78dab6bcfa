-- Every timed row of the case with its log type and sensor, for the coverage report. Traffic
-- tables are named by their Zeek log type (connections → conn, tls → ssl, alerts → alert);
-- kept records (other_logs) by their own type; coverage_extra holds the times read back from
-- logs that are recognised but not loaded (dhcp, dpd, weird, …). Sensor: the logs' own name
-- (Zeek _node_name/_system_name, Suricata host), else the folder of the source file.
CREATE OR REPLACE TEMP VIEW coverage_rows AS
WITH r AS (
  SELECT 'conn' AS type, ts, sensor, file_id, true AS loaded FROM connections
  UNION ALL SELECT 'dns', ts, sensor, file_id, true FROM dns
  UNION ALL SELECT 'http', ts, sensor, file_id, true FROM http
  UNION ALL SELECT 'ssl', ts, sensor, file_id, true FROM tls
  UNION ALL SELECT 'alert', ts, sensor, file_id, true FROM alerts
  UNION ALL SELECT log_type, ts, sensor, file_id, true FROM other_logs
  UNION ALL SELECT type, ts, sensor, file_id, false FROM coverage_extra
)
SELECT r.type, r.ts, r.file_id, r.loaded,
       coalesce(nullif(r.sensor, ''), 'folder:' || regexp_replace(coalesce(f.path, '?'), '[/\\][^/\\]*$', '')) AS sensor
FROM r LEFT JOIN files f USING (file_id)
WHERE r.ts IS NOT NULL;
