-- GET /analytics/salary-distribution?asOf=D, as of a day in [2016-01-01, 2026-01-01) (analytics.AnalyticsRepository, checked by BenchSqlTest)
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
SELECT lower, upper, count FROM (
    SELECT floor(CAST(h.bucket AS numeric) * 1000 / 10000) * 10000 AS lower,
           (floor(CAST(h.bucket AS numeric) * 1000 / 10000) + 1) * 10000 AS upper,
           CAST(sum(h.salaries) AS bigint) AS count
    FROM (
        SELECT s.bucket, sum(s.salaries) AS salaries
        FROM analytics_current_salary_buckets s
        WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) >= analytics_read_model_horizon() AND mod(10000, 1000) = 0
          AND(CAST(NULL AS text) IS NULL OR s.dept_no = NULL)
      AND (CAST(NULL AS text) IS NULL OR s.title = NULL)
        GROUP BY s.bucket) h
    GROUP BY 1, 2 HAVING sum(h.salaries) <> 0
    UNION ALL
    SELECT * FROM (
        SELECT floor(amount / 10000) * 10000, (floor(amount / 10000) + 1) * 10000, count(*)
        FROM staff WHERE amount IS NOT NULL
        GROUP BY 1, 2 OFFSET 0) r
    WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) < analytics_read_model_horizon() OR mod(10000, 1000) <> 0
) b
ORDER BY lower;
COMMIT;
