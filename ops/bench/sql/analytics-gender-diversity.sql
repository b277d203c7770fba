-- GET /analytics/gender-diversity?asOf=D, as of a day in [2016-01-01, 2026-01-01) (analytics.AnalyticsRepository, checked by BenchSqlTest)
\set d random(0, 3649)
BEGIN READ ONLY;
-- platform.CustomPlans
SET LOCAL plan_cache_mode = force_custom_plan;
WITH staff AS (
    SELECT c.dept_no, c.gender
    FROM analytics_current_staff c
    WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) >= analytics_read_model_horizon() AND c.dept_no IS NOT NULL
    UNION ALL
    SELECT de.dept_no, e.gender
    FROM dept_emp de JOIN employees e ON e.emp_no = de.emp_no
    WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) < analytics_read_model_horizon()
      AND de.from_date <= (DATE '2016-01-01' + CAST(:d AS int)) AND de.to_date > (DATE '2016-01-01' + CAST(:d AS int))
), per_department AS (
    SELECT dept_no, count(*) AS total, count(*) FILTER (WHERE gender = 'M') AS male,
           count(*) FILTER (WHERE gender = 'F') AS female, count(*) FILTER (WHERE gender = 'X') AS other
    FROM staff GROUP BY dept_no
)
SELECT d.dept_no, d.name, coalesce(p.total, 0) AS total, coalesce(p.male, 0) AS male,
       coalesce(p.female, 0) AS female, coalesce(p.other, 0) AS other,
       round(CAST(p.female AS numeric) / p.total, 4) AS female_ratio
FROM departments d
LEFT JOIN per_department p ON p.dept_no = d.dept_no
ORDER BY d.dept_no;
COMMIT;
