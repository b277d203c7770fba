-- GET /analytics/department-performance?to=D, as of a day in [2016-01-01, 2026-01-01) (analytics.AnalyticsRepository, checked by BenchSqlTest)
\set d random(0, 3649)
BEGIN READ ONLY;
-- platform.CustomPlans
SET LOCAL plan_cache_mode = force_custom_plan;
WITH history AS (
    SELECT de.emp_no, de.dept_no, s.amount
    FROM dept_emp de
    LEFT JOIN salaries s ON s.emp_no = de.emp_no AND s.from_date <= (DATE '2016-01-01' + CAST(:d AS int)) AND s.to_date > (DATE '2016-01-01' + CAST(:d AS int))
    WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) < analytics_read_model_horizon()
      AND de.from_date <= (DATE '2016-01-01' + CAST(:d AS int)) AND de.to_date > (DATE '2016-01-01' + CAST(:d AS int))
), per_department AS (
    SELECT s.dept_no, CAST(sum(s.staff) AS bigint) AS headcount,
           round(round(sum(s.amount_sum), 2) / NULLIF(sum(s.salaried), 0), 2) AS average_salary,
           CASE WHEN sum(s.salaried) <> 0 THEN round(sum(s.amount_sum), 2) END AS payroll
    FROM analytics_current_groups s
    WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) >= analytics_read_model_horizon()
    GROUP BY s.dept_no HAVING sum(s.staff) <> 0
    UNION ALL
    SELECT * FROM (
        SELECT dept_no, count(*), round(avg(amount), 2), sum(amount)
        FROM history GROUP BY dept_no OFFSET 0) h
    WHERE CAST((DATE '2016-01-01' + CAST(:d AS int)) AS date) < analytics_read_model_horizon()
), hires AS (
    SELECT h.dept_no, count(*) AS n
    FROM employees e JOIN dept_emp h ON h.emp_no = e.emp_no AND h.from_date = e.hire_date
    WHERE e.hire_date BETWEEN CAST((DATE '2016-01-01' + CAST(:d AS int)) - interval '1 year' AS date) + 1 AND (DATE '2016-01-01' + CAST(:d AS int)) GROUP BY h.dept_no
), terminations AS (
    SELECT l.dept_no, count(*) AS n
    FROM employees e JOIN dept_emp l ON l.emp_no = e.emp_no AND l.to_date = e.termination_date
    WHERE e.termination_date BETWEEN CAST((DATE '2016-01-01' + CAST(:d AS int)) - interval '1 year' AS date) + 1 AND (DATE '2016-01-01' + CAST(:d AS int)) GROUP BY l.dept_no
)
SELECT d.dept_no, d.name, coalesce(p.headcount, 0) AS headcount, p.average_salary,
       coalesce(p.payroll, 0) AS payroll, coalesce(h.n, 0) AS hires, coalesce(t.n, 0) AS terminations
FROM departments d
LEFT JOIN per_department p ON p.dept_no = d.dept_no
LEFT JOIN hires h ON h.dept_no = d.dept_no
LEFT JOIN terminations t ON t.dept_no = d.dept_no
ORDER BY d.dept_no;
COMMIT;
