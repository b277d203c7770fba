-- GET /analytics/summary?asOf=D, as of a day in [2016-01-01, 2026-01-01) (analytics.AnalyticsRepository, checked by BenchSqlTest)
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
, totals AS (
    SELECT coalesce(CAST(sum(s.staff) AS bigint), 0) AS employees,
           round(round(sum(s.amount_sum), 2) / NULLIF(sum(s.salaried), 0), 2) AS average_salary,
           CASE WHEN sum(s.salaried) <> 0 THEN round(sum(s.amount_sum), 2) ELSE 0 END AS payroll
    FROM analytics_current_groups s
    HAVING CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) >= analytics_read_model_horizon()
    UNION ALL
    SELECT * FROM (
        SELECT count(*), round(avg(amount), 2), coalesce(sum(amount), 0)
        FROM history OFFSET 0) h
    WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) < analytics_read_model_horizon()
)
SELECT CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) AS as_of, t.employees,
       (SELECT count(*) FROM departments WHERE active) AS departments,
       t.average_salary, t.payroll,
       (SELECT count(*) FROM employees
        WHERE hire_date > CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) - interval '12 months'
          AND hire_date <= (DATE '2016-01-01' + CAST(:d AS int))) AS hires_last12_months,
       (SELECT count(*) FROM employees
        WHERE termination_date > CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) - interval '12 months'
          AND termination_date <= (DATE '2016-01-01' + CAST(:d AS int))) AS terminations_last12_months
FROM totals t;
COMMIT;
