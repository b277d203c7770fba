-- GET /analytics/salary-statistics?asOf=D, as of a day in [2016-01-01, 2026-01-01) (analytics.AnalyticsRepository, checked by BenchSqlTest)
\set d random(0, 3649)
BEGIN READ ONLY;
-- platform.CustomPlans
SET LOCAL plan_cache_mode = force_custom_plan;
WITH staff AS (
    SELECT c.emp_no, c.dept_no, c.title, c.amount
    FROM analytics_current_staff c
    WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) >= analytics_read_model_horizon() AND c.dept_no IS NOT NULL
      AND (CAST(NULL AS text) IS NULL OR c.dept_no = NULL)
      AND (CAST(NULL AS text) IS NULL OR c.title = NULL)
    UNION ALL
    SELECT de.emp_no, de.dept_no, t.title, s.amount
    FROM dept_emp de
    LEFT JOIN titles t ON t.emp_no = de.emp_no AND t.from_date <= (DATE '2016-01-01' + CAST(:d AS int)) AND t.to_date > (DATE '2016-01-01' + CAST(:d AS int))
    LEFT JOIN salaries s ON s.emp_no = de.emp_no AND s.from_date <= (DATE '2016-01-01' + CAST(:d AS int)) AND s.to_date > (DATE '2016-01-01' + CAST(:d AS int))
    WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) < analytics_read_model_horizon()
      AND de.from_date <= (DATE '2016-01-01' + CAST(:d AS int)) AND de.to_date > (DATE '2016-01-01' + CAST(:d AS int))
      AND (CAST(NULL AS text) IS NULL OR de.dept_no = NULL)
      AND (CAST(NULL AS text) IS NULL OR t.title = NULL)
)
SELECT CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) AS as_of, CAST(NULL AS text) AS department,
       CAST(NULL AS text) AS title, count(amount) AS count,
       round(avg(amount), 2) AS mean, min(amount) AS min, max(amount) AS max,
       round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS numeric), 2) AS median,
       round(CAST(percentile_cont(0.25) WITHIN GROUP (ORDER BY amount) AS numeric), 2) AS p25,
       round(CAST(percentile_cont(0.75) WITHIN GROUP (ORDER BY amount) AS numeric), 2) AS p75,
       round(CAST(percentile_cont(0.9) WITHIN GROUP (ORDER BY amount) AS numeric), 2) AS p90,
       round(stddev_samp(amount), 2) AS stddev
FROM staff;
COMMIT;
