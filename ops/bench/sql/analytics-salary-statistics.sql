-- GET /analytics/salary-statistics?asOf=D, as of a day in [2016-01-01, 2026-01-01) (analytics.AnalyticsRepository, checked by BenchSqlTest)
\set d random(0, 3649)
BEGIN READ ONLY;
-- platform.CustomPlans
SET LOCAL plan_cache_mode = force_custom_plan;
WITH history AS (
    SELECT de.emp_no, de.dept_no, t.title, s.amount
    FROM dept_emp de
    LEFT JOIN titles t ON t.emp_no = de.emp_no AND t.from_date <= (DATE '2016-01-01' + CAST(:d AS int)) AND t.to_date > (DATE '2016-01-01' + CAST(:d AS int))
    LEFT JOIN salaries s ON s.emp_no = de.emp_no AND s.from_date <= (DATE '2016-01-01' + CAST(:d AS int)) AND s.to_date > (DATE '2016-01-01' + CAST(:d AS int))
    WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) < analytics_read_model_horizon()
      AND de.from_date <= (DATE '2016-01-01' + CAST(:d AS int)) AND de.to_date > (DATE '2016-01-01' + CAST(:d AS int))
      AND (CAST(NULL AS text) IS NULL OR de.dept_no = NULL)
      AND (CAST(NULL AS text) IS NULL OR t.title = NULL)
)
, selected AS (
    SELECT coalesce(CAST(sum(s.salaried) AS bigint), 0) AS n, round(sum(s.amount_sum), 2) AS amount_sum,
           round(sum(s.amount_sq_sum), 4) AS amount_sq_sum
    FROM analytics_current_groups s
    WHERE(CAST(NULL AS text) IS NULL OR s.dept_no = NULL)
      AND (CAST(NULL AS text) IS NULL OR s.title = NULL)
), buckets AS (
    SELECT s.bucket, CAST(sum(s.salaries) AS bigint) AS salaries
    FROM analytics_current_salary_buckets s
    WHERE(CAST(NULL AS text) IS NULL OR s.dept_no = NULL)
      AND (CAST(NULL AS text) IS NULL OR s.title = NULL)
    GROUP BY s.bucket HAVING sum(s.salaries) <> 0
), ranges AS (
    SELECT bucket, salaries, CAST(sum(salaries) OVER (ORDER BY bucket) AS bigint) - salaries AS first
    FROM buckets
), ranks AS (
    SELECT p.fraction, CAST(p.fraction AS float8) * (n - 1) AS rank
    FROM selected, (VALUES (0.25), (0.5), (0.75), (0.9)) p (fraction)
    WHERE n > 0
), wanted AS (
    SELECT 0 AS k FROM selected WHERE n > 0
    UNION SELECT n - 1 FROM selected WHERE n > 0
    UNION SELECT CAST(floor(rank) AS bigint) FROM ranks
    UNION SELECT CAST(ceil(rank) AS bigint) FROM ranks
), located AS (
    SELECT r.bucket, r.first, max(w.k) - r.first AS last
    FROM ranges r JOIN wanted w ON w.k >= r.first AND w.k < r.first + r.salaries
    GROUP BY r.bucket, r.first
), amounts AS (
    SELECT l.first, a.amounts
    FROM located l CROSS JOIN LATERAL (
        SELECT array_agg(x.amount ORDER BY x.amount) AS amounts
        FROM (SELECT c.amount FROM analytics_current_staff c
              WHERE c.dept_no IS NOT NULL
                AND c.amount >= CAST(l.bucket AS numeric) * 1000
                AND c.amount < CAST(l.bucket + 1 AS numeric) * 1000
                AND (CAST(NULL AS text) IS NULL OR c.dept_no = NULL)
                AND (CAST(NULL AS text) IS NULL OR c.title = NULL)
              ORDER BY c.amount LIMIT l.last + 1) x) a
), at AS (
    SELECT w.k, a.amounts[CAST(w.k - a.first AS int) + 1] AS amount
    FROM wanted w JOIN amounts a ON w.k >= a.first AND w.k < a.first + cardinality(a.amounts)
), percentiles AS (
    SELECT r.fraction, CASE WHEN floor(r.rank) = ceil(r.rank) THEN CAST(lo.amount AS float8)
           ELSE CAST(lo.amount AS float8)
                + ((r.rank - floor(r.rank)) * (CAST(hi.amount AS float8) - CAST(lo.amount AS float8)))
           END AS value
    FROM ranks r JOIN at lo ON lo.k = floor(r.rank) JOIN at hi ON hi.k = ceil(r.rank)
)
SELECT CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) AS as_of, CAST(NULL AS text) AS department,
       CAST(NULL AS text) AS title, s.n AS count,
       round(s.amount_sum / NULLIF(s.n, 0), 2) AS mean,
       (SELECT amount FROM at WHERE k = 0) AS min, (SELECT amount FROM at WHERE k = s.n - 1) AS max,
       round(CAST((SELECT value FROM percentiles WHERE fraction = 0.5) AS numeric), 2) AS median,
       round(CAST((SELECT value FROM percentiles WHERE fraction = 0.25) AS numeric), 2) AS p25,
       round(CAST((SELECT value FROM percentiles WHERE fraction = 0.75) AS numeric), 2) AS p75,
       round(CAST((SELECT value FROM percentiles WHERE fraction = 0.9) AS numeric), 2) AS p90,
       round(analytics_stddev_samp(s.n, s.amount_sum, s.amount_sq_sum), 2) AS stddev
FROM selected s
WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) >= analytics_read_model_horizon()
UNION ALL
SELECT * FROM (
    SELECT CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date), CAST(NULL AS text), CAST(NULL AS text), count(amount),
           round(avg(amount), 2), min(amount), max(amount),
           round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS numeric), 2),
           round(CAST(percentile_cont(0.25) WITHIN GROUP (ORDER BY amount) AS numeric), 2),
           round(CAST(percentile_cont(0.75) WITHIN GROUP (ORDER BY amount) AS numeric), 2),
           round(CAST(percentile_cont(0.9) WITHIN GROUP (ORDER BY amount) AS numeric), 2),
           round(stddev_samp(amount), 2)
    FROM history OFFSET 0) h
WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) < analytics_read_model_horizon();
COMMIT;
