-- Features per number and window, written once for DuckDB and Spark SQL.
-- Inputs: views calls, sms, app, billing (fanzha.calls.schema) and the derived
-- views call_rows (call_rows.sql) and imei_load (imei_load.sql).
-- Parameters: {window_s} (window length in seconds) and {short_s} (short-call
-- limit in seconds). unix_timestamp() and shiftleft() are Spark's; the DuckDB
-- backend defines them as macros.
-- Plan (for speed at 10^8 calls): few passes over the raw calls, each a plain
-- GROUP BY; exact distinct counts come from small pre-aggregates (pairs, hours,
-- cell/device kits) instead of COUNT(DISTINCT) over the raw rows, and only the
-- sequential-dialling LAG needs an order. Every output row depends only on the
-- calls of its own number, except max_imsi_per_imei (through imei_load): the
-- work can be split by number.
WITH pair_windows AS (
  SELECT number, window_id, other,
         SUM(CASE WHEN direction = 'out' THEN 1 ELSE 0 END) AS k_out,
         SUM(CASE WHEN direction = 'in' THEN 1 ELSE 0 END) AS k_in,
         SUM(CASE WHEN direction = 'out' THEN CAST(duration_s AS DOUBLE) ELSE 0.0 END)
           AS d1,
         SUM(CASE WHEN direction = 'out'
                  THEN CAST(duration_s AS DOUBLE) * duration_s ELSE 0.0 END) AS d2
  FROM call_rows GROUP BY number, window_id, other
),
pairs AS (
  SELECT number, other, MIN(window_id) AS first_window,
         MIN(CASE WHEN k_out > 0 THEN window_id END) AS first_out,
         MAX(CASE WHEN k_in > 0 THEN 1 ELSE 0 END) AS has_in
  FROM pair_windows GROUP BY number, other
),
contacts AS (
  SELECT number, window_id,
         SUM(CASE WHEN k_out > 0 THEN 1 ELSE 0 END) AS distinct_callees,
         SUM(CASE WHEN k_in > 0 THEN 1 ELSE 0 END) AS distinct_callers,
         SUM(CASE WHEN k_out >= 3 THEN k_out ELSE 0 END) AS n_repeat,
         SUM(CASE WHEN k_out >= 3 THEN d1 ELSE 0.0 END) AS r1,
         SUM(CASE WHEN k_out >= 3 THEN d2 ELSE 0.0 END) AS r2
  FROM pair_windows GROUP BY number, window_id
),
new_callees AS (
  SELECT number, first_window AS window_id, COUNT(*) AS new_callees
  FROM pairs WHERE first_out = first_window GROUP BY number, first_window
),
called_back AS (
  SELECT w.number, w.window_id, COUNT(*) AS called_back
  FROM pair_windows w
  JOIN (SELECT number, other FROM pairs WHERE has_in = 1 AND first_out IS NOT NULL) p
    ON w.number = p.number AND w.other = p.other
  WHERE w.k_out > 0
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
         bit_count(bit_or(shiftleft(CAST(1 AS BIGINT), hr))) AS active_hours
  FROM call_rows GROUP BY number, window_id
),
hours AS (
  SELECT number, window_id, hr, COUNT(*) AS k
  FROM call_rows WHERE direction = 'out' GROUP BY number, window_id, hr
),
hour_stats AS (
  -- Entropy in bits of the outgoing calls' hours: log2 T - sum(k log2 k) / T.
  SELECT number, window_id,
         CASE WHEN COUNT(*) > 1
              THEN (LN(CAST(SUM(k) AS DOUBLE)) - SUM(k * LN(CAST(k AS DOUBLE))) / SUM(k))
                   / LN(2.0)
              ELSE 0.0 END AS hour_entropy
  FROM hours GROUP BY number, window_id
),
kits AS (
  SELECT DISTINCT number, window_id, CAST(start_time AS DATE) AS day, cell_id, location,
         imei, imsi
  FROM call_rows
),
kit_stats AS (
  SELECT k.number, k.window_id,
         COUNT(DISTINCT k.cell_id) AS n_cells,
         COUNT(DISTINCT k.location) AS n_locations,
         COUNT(DISTINCT k.imei) AS n_imei,
         COUNT(DISTINCT k.imsi) AS n_imsi,
         COUNT(DISTINCT k.day) AS active_days,
         MAX(CASE WHEN k.imei IS NOT NULL THEN COALESCE(l.imsis, 1) END)
           AS max_imsi_per_imei
  FROM kits k LEFT JOIN imei_load l ON k.imei = l.imei AND k.window_id = l.window_id
  GROUP BY k.number, k.window_id
),
dialled AS (
  SELECT number, window_id,
         TRY_CAST(REPLACE(other, '+', '') AS BIGINT)
           - LAG(TRY_CAST(REPLACE(other, '+', '') AS BIGINT))
             OVER (PARTITION BY number, window_id ORDER BY start_time, other) AS gap
  FROM call_rows WHERE direction = 'out'
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
       COALESCE(nc.new_callees, 0) AS new_callees,
       CASE WHEN ct.distinct_callees > 0
            THEN CAST(COALESCE(nc.new_callees, 0) AS DOUBLE) / ct.distinct_callees
            ELSE 0.0 END AS new_callee_share,
       CASE WHEN ct.distinct_callees > 0
            THEN CAST(COALESCE(cb.called_back, 0) AS DOUBLE) / ct.distinct_callees
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
       COALESCE(h.hour_entropy, 0.0) AS hour_entropy,
       b.active_hours, k.active_days,
       CAST(b.n_out AS DOUBLE) / k.active_days AS out_per_day,
       k.n_cells, k.n_locations, k.n_imei, k.n_imsi,
       COALESCE(k.max_imsi_per_imei, 0) AS max_imsi_per_imei,
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
LEFT JOIN hour_stats h ON b.number = h.number AND b.window_id = h.window_id
JOIN contacts ct ON b.number = ct.number AND b.window_id = ct.window_id
JOIN kit_stats k ON b.number = k.number AND b.window_id = k.window_id
LEFT JOIN new_callees nc ON b.number = nc.number AND b.window_id = nc.window_id
LEFT JOIN called_back cb ON b.number = cb.number AND b.window_id = cb.window_id
LEFT JOIN sequential sq ON b.number = sq.number AND b.window_id = sq.window_id
LEFT JOIN s ON b.number = s.number AND b.window_id = s.window_id
LEFT JOIN a ON b.number = a.number
LEFT JOIN bl ON b.number = bl.number
