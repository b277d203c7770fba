-- GET /employees/{empNo} (employee.EmployeeRepository.DETAILS, checked by PointReadBenchSqlTest)
\set id random(10001, :last_emp)
BEGIN READ ONLY;
-- platform.DatabaseTimeouts: the limits of a read (employee-mgmt.database.timeouts.read)
SET LOCAL statement_timeout = 3000;
SET LOCAL lock_timeout = 1000;
SELECT e.*, de.dept_no, d.name AS dept_name, de.from_date AS dept_from,
       t.title, t.from_date AS title_from,
       s.amount, s.currency, s.from_date AS salary_from,
       m.emp_no AS mgr_emp_no, m.first_name AS mgr_first_name, m.last_name AS mgr_last_name
FROM employees e
LEFT JOIN dept_emp de ON de.emp_no = e.emp_no AND de.to_date = DATE '9999-12-31'
LEFT JOIN departments d ON d.dept_no = de.dept_no
LEFT JOIN titles t ON t.emp_no = e.emp_no AND t.to_date = DATE '9999-12-31'
LEFT JOIN salaries s ON s.emp_no = e.emp_no AND s.to_date = DATE '9999-12-31'
LEFT JOIN dept_manager dm ON dm.dept_no = de.dept_no AND dm.to_date = DATE '9999-12-31'
                         AND dm.emp_no <> e.emp_no
LEFT JOIN employees m ON m.emp_no = dm.emp_no
WHERE e.emp_no = :id;
COMMIT;
