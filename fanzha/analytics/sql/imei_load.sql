-- How many distinct SIMs (IMSI) each handset (IMEI) carried in each window, over
-- the calls of every number: the one feature input that crosses numbers. Only
-- the handsets with other than exactly one SIM are kept (shared handsets, and
-- handsets seen without any IMSI); every other handset carried one SIM. The
-- table stays small, so joining it is cheap even when the work is split.
-- Registered as the view imei_load; a back-end that splits the work by number
-- computes it once over all calls first.
SELECT window_id, imei, COUNT(imsi) AS imsis
FROM (SELECT DISTINCT window_id, imei, imsi FROM call_rows WHERE imei IS NOT NULL) u
GROUP BY window_id, imei
HAVING COUNT(imsi) <> 1
