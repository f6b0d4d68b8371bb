-- Features per number and window, written once for DuckDB and Spark SQL.
-- Inputs: views calls, sms, app, billing (fanzha.calls.schema).
-- Parameters: {window_s} (window length in seconds) and {short_s} (short-call
-- limit in seconds). unix_timestamp() is Spark's; the DuckDB backend defines it.
-- Plan: one pass builds per-(number, window, other) pair counts, from which the
-- contact features come without a second join over the raw calls.
WITH c AS (
  SELECT number, other, direction, start_time, duration_s, cell_id, location, imei, imsi,
         CAST(FLOOR(unix_timestamp(start_time) / {window_s}) AS BIGINT) AS window_id,
         hour(start_time) AS hr
  FROM calls
),
pair_windows AS (
  SELECT number, window_id, other,
         SUM(CASE WHEN direction = 'out' THEN 1 ELSE 0 END) AS k_out,
         SUM(CASE WHEN direction = 'in' THEN 1 ELSE 0 END) AS k_in,
         SUM(CASE WHEN direction = 'out' THEN CAST(duration_s AS DOUBLE) ELSE 0.0 END)
           AS d1,
         SUM(CASE WHEN direction = 'out'
                  THEN CAST(duration_s AS DOUBLE) * duration_s ELSE 0.0 END) AS d2
  FROM c GROUP BY number, window_id, other
),
pairs AS (
  SELECT number, other, MIN(window_id) AS first_window,
         MAX(CASE WHEN k_in > 0 THEN 1 ELSE 0 END) AS has_in
  FROM pair_windows GROUP BY number, other
),
contacts AS (
  SELECT w.number, w.window_id,
         SUM(CASE WHEN w.k_out > 0 THEN 1 ELSE 0 END) AS distinct_callees,
         SUM(CASE WHEN w.k_in > 0 THEN 1 ELSE 0 END) AS distinct_callers,
         SUM(CASE WHEN w.k_out > 0 AND p.first_window = w.window_id THEN 1 ELSE 0 END)
           AS new_callees,
         SUM(CASE WHEN w.k_out > 0 AND p.has_in = 1 THEN 1 ELSE 0 END) AS called_back,
         SUM(CASE WHEN w.k_out >= 3 THEN w.k_out ELSE 0 END) AS n_repeat,
         SUM(CASE WHEN w.k_out >= 3 THEN w.d1 ELSE 0.0 END) AS r1,
         SUM(CASE WHEN w.k_out >= 3 THEN w.d2 ELSE 0.0 END) AS r2
  FROM pair_windows w JOIN pairs p ON w.number = p.number AND w.other = p.other
  GROUP BY w.number, w.window_id
),
base AS (
  SELECT number, window_id,
         COUNT(*) AS n_calls,
         SUM(CASE WHEN direction = 'out' THEN 1 ELSE 0 END) AS n_out,
         SUM(CASE WHEN direction = 'in' THEN 1 ELSE 0 END) AS n_in,
         SUM(CASE WHEN direction = 'out' AND duration_s < {short_s} THEN 1 ELSE 0 END)
           AS n_short_out,
         AVG(CASE WHEN direction = 'out' THEN CAST(duration_s AS DOUBLE) END) AS dur_mean,
         STDDEV_POP(CASE WHEN direction = 'out' THEN CAST(duration_s AS DOUBLE) END)
           AS dur_std,
         MAX(CASE WHEN direction = 'out' THEN duration_s END) AS dur_max,
         SUM(CASE WHEN hr < 6 THEN 1 ELSE 0 END) AS n_night,
         COUNT(DISTINCT hr) AS active_hours,
         COUNT(DISTINCT CAST(start_time AS DATE)) AS active_days,
         COUNT(DISTINCT cell_id) AS n_cells,
         COUNT(DISTINCT location) AS n_locations,
         COUNT(DISTINCT imei) AS n_imei,
         COUNT(DISTINCT imsi) AS n_imsi
  FROM c GROUP BY number, window_id
),
hours AS (
  SELECT number, window_id, hr, COUNT(*) AS k
  FROM c WHERE direction = 'out' GROUP BY number, window_id, hr
),
entropy AS (
  SELECT h.number, h.window_id,
         -SUM((CAST(h.k AS DOUBLE) / t.total) * LN(CAST(h.k AS DOUBLE) / t.total)) / LN(2.0)
           AS hour_entropy
  FROM hours h
  JOIN (SELECT number, window_id, SUM(k) AS total FROM hours GROUP BY number, window_id) t
    ON h.number = t.number AND h.window_id = t.window_id
  GROUP BY h.number, h.window_id
),
imei_load AS (
  SELECT window_id, imei, COUNT(DISTINCT imsi) AS imsis
  FROM c WHERE imei IS NOT NULL GROUP BY window_id, imei
),
sharing AS (
  SELECT u.number, u.window_id, MAX(l.imsis) AS max_imsi_per_imei
  FROM (SELECT DISTINCT number, window_id, imei FROM c WHERE imei IS NOT NULL) u
  JOIN imei_load l ON u.imei = l.imei AND u.window_id = l.window_id
  GROUP BY u.number, u.window_id
),
dialled AS (
  SELECT number, window_id,
         TRY_CAST(REPLACE(other, '+', '') AS BIGINT)
           - LAG(TRY_CAST(REPLACE(other, '+', '') AS BIGINT))
             OVER (PARTITION BY number, window_id ORDER BY start_time, other) AS gap
  FROM c WHERE direction = 'out'
),
sequential AS (
  SELECT number, window_id,
         SUM(CASE WHEN gap BETWEEN 1 AND 10 THEN 1 ELSE 0 END) AS n_sequential
  FROM dialled GROUP BY number, window_id
),
s AS (
  SELECT number, CAST(FLOOR(unix_timestamp(time) / {window_s}) AS BIGINT) AS window_id,
         SUM(CASE WHEN direction = 'out' THEN 1 ELSE 0 END) AS sms_out,
         SUM(CASE WHEN direction = 'in' THEN 1 ELSE 0 END) AS sms_in,
         COUNT(DISTINCT other) AS sms_distinct
  FROM sms GROUP BY 1, 2
),
a AS (
  SELECT number, SUM(flow_mb) AS app_flow_mb, COUNT(DISTINCT app) AS app_count,
         COUNT(DISTINCT month) AS app_months
  FROM app GROUP BY number
),
bl AS (
  SELECT number, AVG(spend) AS spend_mean, MIN(spend) AS spend_min,
         MAX(spend) AS spend_max
  FROM billing GROUP BY number
)
SELECT b.number, b.window_id,
       b.n_calls, b.n_out, b.n_in,
       CAST(b.n_out AS DOUBLE) / b.n_calls AS out_ratio,
       ct.distinct_callees, ct.distinct_callers,
       COALESCE(ct.new_callees, 0) AS new_callees,
       CASE WHEN ct.distinct_callees > 0
            THEN CAST(COALESCE(ct.new_callees, 0) AS DOUBLE) / ct.distinct_callees
            ELSE 0.0 END AS new_callee_share,
       CASE WHEN ct.distinct_callees > 0
            THEN CAST(COALESCE(ct.called_back, 0) AS DOUBLE) / ct.distinct_callees
            ELSE 0.0 END AS callback_rate,
       CASE WHEN ct.distinct_callees > 0
            THEN CAST(b.n_out AS DOUBLE) / ct.distinct_callees ELSE 0.0 END
         AS calls_per_callee,
       CASE WHEN b.n_out > 0 THEN CAST(b.n_short_out AS DOUBLE) / b.n_out ELSE 0.0 END
         AS short_call_share,
       COALESCE(b.dur_mean, 0.0) AS dur_mean,
       COALESCE(b.dur_std, 0.0) AS dur_std,
       COALESCE(b.dur_max, 0) AS dur_max,
       CASE WHEN b.dur_mean > 0 THEN COALESCE(b.dur_std, 0.0) / b.dur_mean ELSE 0.0 END
         AS dur_cv,
       CAST(b.n_night AS DOUBLE) / b.n_calls AS night_share,
       COALESCE(e.hour_entropy, 0.0) AS hour_entropy,
       b.active_hours, b.active_days,
       CAST(b.n_out AS DOUBLE) / b.active_days AS out_per_day,
       b.n_cells, b.n_locations, b.n_imei, b.n_imsi,
       COALESCE(sh.max_imsi_per_imei, 0) AS max_imsi_per_imei,
       CASE WHEN b.n_out > 1
            THEN CAST(COALESCE(sq.n_sequential, 0) AS DOUBLE) / (b.n_out - 1) ELSE 0.0 END
         AS sequential_share,
       CASE WHEN b.n_out > 0 THEN CAST(ct.n_repeat AS DOUBLE) / b.n_out
            ELSE 0.0 END AS repeat_call_share,
       CASE WHEN ct.r1 > 0
            THEN SQRT(GREATEST(ct.r2 / ct.n_repeat
                               - (ct.r1 / ct.n_repeat) * (ct.r1 / ct.n_repeat), 0.0))
                 / (ct.r1 / ct.n_repeat)
            ELSE 0.0 END AS repeat_dur_cv,
       COALESCE(s.sms_out, 0) AS sms_out, COALESCE(s.sms_in, 0) AS sms_in,
       CASE WHEN COALESCE(s.sms_out, 0) + COALESCE(s.sms_in, 0) > 0
            THEN CAST(s.sms_out AS DOUBLE) / (s.sms_out + s.sms_in) ELSE 0.0 END
         AS sms_out_ratio,
       COALESCE(s.sms_distinct, 0) AS sms_distinct,
       COALESCE(a.app_flow_mb, 0.0) AS app_flow_mb,
       COALESCE(a.app_count, 0) AS app_count,
       COALESCE(a.app_months, 0) AS app_months,
       COALESCE(bl.spend_mean, 0.0) AS spend_mean,
       COALESCE(bl.spend_min, 0.0) AS spend_min,
       COALESCE(bl.spend_max, 0.0) AS spend_max
FROM base b
LEFT JOIN entropy e ON b.number = e.number AND b.window_id = e.window_id
JOIN contacts ct ON b.number = ct.number AND b.window_id = ct.window_id
LEFT JOIN sharing sh ON b.number = sh.number AND b.window_id = sh.window_id
LEFT JOIN sequential sq ON b.number = sq.number AND b.window_id = sq.window_id
LEFT JOIN s ON b.number = s.number AND b.window_id = s.window_id
LEFT JOIN a ON b.number = a.number
LEFT JOIN bl ON b.number = bl.number
ORDER BY b.number, b.window_id
