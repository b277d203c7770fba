-- GET /analytics/employee-trends?interval=MONTH&to=D, as of a day in [2016-01-01, 2026-01-01) (analytics.AnalyticsRepository)
\set d random(0, 3649)
BEGIN READ ONLY;
-- platform.CustomPlans
SET LOCAL plan_cache_mode = force_custom_plan;
WITH periods AS (
    SELECT CAST(generate_series(date_trunc('month', CAST(CAST(date_trunc('month', (DATE '2016-01-01' + CAST(:d AS int))) - interval '23 months' AS date) AS date)),
                                date_trunc('month', CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date)),
                                CAST('1 ' || 'month' AS interval)) AS date) AS period
)
SELECT p.period,
       (SELECT count(*) FROM employees e
        WHERE CAST(date_trunc('month', e.hire_date) AS date) = p.period
          AND e.hire_date BETWEEN CAST(date_trunc('month', (DATE '2016-01-01' + CAST(:d AS int))) - interval '23 months' AS date) AND (DATE '2016-01-01' + CAST(:d AS int))) AS hires,
       (SELECT count(*) FROM employees e
        WHERE CAST(date_trunc('month', e.termination_date) AS date) = p.period
          AND e.termination_date BETWEEN CAST(date_trunc('month', (DATE '2016-01-01' + CAST(:d AS int))) - interval '23 months' AS date) AND (DATE '2016-01-01' + CAST(:d AS int))) AS terminations
FROM periods p ORDER BY p.period;
COMMIT;
