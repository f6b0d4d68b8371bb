-- The call rows every feature reads: the calls with their window and hour of day.
-- Registered as the view call_rows (not a CTE), so that each feature query reads
-- only the columns it needs instead of a materialized copy of every call.
-- Parameter: {window_s} (window length in seconds).
SELECT number, other, direction, start_time, duration_s, cell_id, location, imei, imsi,
       CAST(FLOOR(unix_timestamp(start_time) / {window_s}) AS BIGINT) AS window_id,
       hour(start_time) AS hr
FROM calls
