-- GET /analytics/gender-diversity?asOf=D, as of a day in [2016-01-01, 2026-01-01) (analytics.AnalyticsRepository, checked by BenchSqlTest)
\set d random(0, 3649)
BEGIN READ ONLY;
-- platform.CustomPlans
SET LOCAL plan_cache_mode = force_custom_plan;
WITH history AS (
    SELECT de.dept_no, e.gender
    FROM dept_emp de JOIN employees e ON e.emp_no = de.emp_no
    WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) < analytics_read_model_horizon()
      AND de.from_date <= (DATE '2016-01-01' + CAST(:d AS int)) AND de.to_date > (DATE '2016-01-01' + CAST(:d AS int))
), per_department AS (
    SELECT s.dept_no, CAST(sum(s.staff) AS bigint) AS total,
           coalesce(CAST(sum(s.staff) FILTER (WHERE s.gender = 'M') AS bigint), 0) AS male,
           coalesce(CAST(sum(s.staff) FILTER (WHERE s.gender = 'F') AS bigint), 0) AS female,
           coalesce(CAST(sum(s.staff) FILTER (WHERE s.gender = 'X') AS bigint), 0) AS other
    FROM analytics_current_groups s
    WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) >= analytics_read_model_horizon()
    GROUP BY s.dept_no HAVING sum(s.staff) <> 0
    UNION ALL
    SELECT * FROM (
        SELECT dept_no, count(*), count(*) FILTER (WHERE gender = 'M'),
               count(*) FILTER (WHERE gender = 'F'), count(*) FILTER (WHERE gender = 'X')
        FROM history GROUP BY dept_no OFFSET 0) h
    WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) < analytics_read_model_horizon()
)
SELECT d.dept_no, d.name, coalesce(p.total, 0) AS total, coalesce(p.male, 0) AS male,
       coalesce(p.female, 0) AS female, coalesce(p.other, 0) AS other,
       round(CAST(p.female AS numeric) / p.total, 4) AS female_ratio
FROM departments d
LEFT JOIN per_department p ON p.dept_no = d.dept_no
ORDER BY d.dept_no;
COMMIT;
