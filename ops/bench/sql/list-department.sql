-- GET /employees?department=d005&size=20 (findPage; totals only with count=true)
BEGIN READ ONLY;
-- platform.CustomPlans
SET LOCAL plan_cache_mode = force_custom_plan;
SELECT e.emp_no, e.first_name, e.last_name, e.email, e.gender, e.birth_date, e.hire_date, e.status,
       de.dept_no, d.name AS dept_name, t.title
FROM (SELECT e.* FROM employees e WHERE e.status <> 'TERMINATED' AND EXISTS (SELECT 1 FROM dept_emp fd WHERE fd.emp_no = e.emp_no AND fd.to_date = '9999-12-31' AND fd.dept_no = 'd005') ORDER BY e.emp_no ASC, e.emp_no ASC LIMIT 21 OFFSET 0) e
LEFT JOIN dept_emp de ON de.emp_no = e.emp_no AND de.to_date = '9999-12-31'
LEFT JOIN departments d ON d.dept_no = de.dept_no
LEFT JOIN titles t ON t.emp_no = e.emp_no AND t.to_date = '9999-12-31'
ORDER BY e.emp_no ASC, e.emp_no ASC;
COMMIT;
