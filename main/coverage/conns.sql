-- Connections with their sensor (same rule), for completeness and sensor-clock checks.
CREATE OR REPLACE TEMP VIEW coverage_conns AS
SELECT c.*, f.format,
       coalesce(nullif(c.sensor, ''), 'folder:' || regexp_replace(coalesce(f.path, '?'), '[/\\][^/\\]*$', '')) AS sensor_key
FROM connections c LEFT JOIN files f USING (file_id);
