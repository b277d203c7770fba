-- GET /analytics/title-distribution?asOf=D, as of a day in [2016-01-01, 2026-01-01) (analytics.AnalyticsRepository, checked by BenchSqlTest)
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
SELECT title, count, share, average_salary FROM (
    SELECT s.title, CAST(sum(s.staff) AS bigint) AS count,
           round(sum(s.staff) / sum(sum(s.staff)) OVER (), 4) AS share,
           round(round(sum(s.amount_sum), 2) / NULLIF(sum(s.salaried), 0), 2) AS average_salary
    FROM analytics_current_groups s
    WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) >= analytics_read_model_horizon() AND s.title IS NOT NULL
      AND(CAST(NULL AS text) IS NULL OR s.dept_no = NULL)
      AND (CAST(NULL AS text) IS NULL OR s.title = NULL)
    GROUP BY s.title HAVING sum(s.staff) <> 0
    UNION ALL
    SELECT * FROM (
        SELECT title, count(*), round(CAST(count(*) AS numeric) / sum(count(*)) OVER (), 4),
               round(avg(amount), 2)
        FROM history WHERE title IS NOT NULL
        GROUP BY title OFFSET 0) h
    WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) < analytics_read_model_horizon()
) t
ORDER BY count DESC, title;
COMMIT;
