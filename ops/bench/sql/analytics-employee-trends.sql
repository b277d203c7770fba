-- GET /analytics/employee-trends?interval=MONTH&to=D, as of a day in [2016-01-01, 2026-01-01) (analytics.AnalyticsRepository, checked by BenchSqlTest)
\set d random(0, 3649)
BEGIN READ ONLY;
-- platform.CustomPlans
SET LOCAL plan_cache_mode = force_custom_plan;
WITH periods AS (
    SELECT CAST(generate_series(date_trunc('month', CAST(CAST((DATE '2016-01-01' + CAST(:d AS int)) - interval '23 months' AS date) AS date)),
                                date_trunc('month', CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date)),
                                CAST('1 ' || 'month' AS interval)) AS date) AS period
), hires AS (
    SELECT CAST(date_trunc('month', hire_date) AS date) AS period, count(*) AS n
    FROM employees WHERE hire_date BETWEEN CAST((DATE '2016-01-01' + CAST(:d AS int)) - interval '23 months' AS date) AND (DATE '2016-01-01' + CAST(:d AS int)) GROUP BY 1
), terminations AS (
    SELECT CAST(date_trunc('month', termination_date) AS date) AS period, count(*) AS n
    FROM employees WHERE termination_date BETWEEN CAST((DATE '2016-01-01' + CAST(:d AS int)) - interval '23 months' AS date) AND (DATE '2016-01-01' + CAST(:d AS int)) GROUP BY 1
)
SELECT p.period, coalesce(h.n, 0) AS hires, coalesce(t.n, 0) AS terminations
FROM periods p
LEFT JOIN hires h ON h.period = p.period
LEFT JOIN terminations t ON t.period = p.period
ORDER BY p.period;
COMMIT;
