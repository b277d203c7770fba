-- GET /analytics/department-performance?to=D, as of a day in [2016-01-01, 2026-01-01) (analytics.AnalyticsRepository)
\set d random(0, 3649)
BEGIN READ ONLY;
-- platform.CustomPlans
SET LOCAL plan_cache_mode = force_custom_plan;
SELECT d.dept_no, d.name,
       count(DISTINCT de.emp_no) AS headcount,
       round(avg(s.amount), 2) AS average_salary,
       coalesce(sum(s.amount), 0) AS payroll,
       (SELECT count(*) FROM employees e JOIN dept_emp h
            ON h.emp_no = e.emp_no AND h.from_date = e.hire_date
        WHERE h.dept_no = d.dept_no AND e.hire_date BETWEEN ((DATE '2016-01-01' + CAST(:d AS int)) - 364) AND (DATE '2016-01-01' + CAST(:d AS int))) AS hires,
       (SELECT count(*) FROM employees e JOIN dept_emp l
            ON l.emp_no = e.emp_no AND l.to_date = e.termination_date
        WHERE l.dept_no = d.dept_no AND e.termination_date BETWEEN ((DATE '2016-01-01' + CAST(:d AS int)) - 364) AND (DATE '2016-01-01' + CAST(:d AS int))) AS terminations
FROM departments d
LEFT JOIN dept_emp de ON de.dept_no = d.dept_no AND de.from_date <= (DATE '2016-01-01' + CAST(:d AS int)) AND de.to_date > (DATE '2016-01-01' + CAST(:d AS int))
LEFT JOIN salaries s ON s.emp_no = de.emp_no AND s.from_date <= (DATE '2016-01-01' + CAST(:d AS int)) AND s.to_date > (DATE '2016-01-01' + CAST(:d AS int))
GROUP BY d.dept_no, d.name
ORDER BY d.dept_no;
COMMIT;
