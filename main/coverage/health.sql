-- Capture-health records the sensors logged (Zeek capture_loss and stats, Suricata stats).
SELECT o.log_type, epoch_us(o.ts) AS ts_us, o.record, coalesce(f.format, '?') AS format,
       coalesce(nullif(o.sensor, ''), 'folder:' || regexp_replace(coalesce(f.path, '?'), '[/\\][^/\\]*$', '')) AS sensor
FROM other_logs o LEFT JOIN files f USING (file_id)
WHERE o.log_type IN ('capture_loss', 'stats')
ORDER BY o.ts
