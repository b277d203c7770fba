-- GET /employees?size=20&page=P, P in [pages/4, 3 pages/4) (offset page)
\set p random(:page_lo, :page_hi - 1)
\set off :p * 20
BEGIN READ ONLY;
-- platform.CustomPlans
SET LOCAL plan_cache_mode = force_custom_plan;
SELECT e.emp_no, e.first_name, e.last_name, e.email, e.gender, e.birth_date, e.hire_date, e.status,
       de.dept_no, d.name AS dept_name, t.title
FROM (SELECT e.* FROM employees e WHERE e.status <> 'TERMINATED' ORDER BY e.emp_no ASC, e.emp_no ASC LIMIT 21 OFFSET :off) e
LEFT JOIN dept_emp de ON de.emp_no = e.emp_no AND de.to_date = '9999-12-31'
LEFT JOIN departments d ON d.dept_no = de.dept_no
LEFT JOIN titles t ON t.emp_no = e.emp_no AND t.to_date = '9999-12-31'
ORDER BY e.emp_no ASC, e.emp_no ASC;
COMMIT;
