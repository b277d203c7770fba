-- POST /employees/{empNo}/salary-changes effective today (EmployeeService.changeSalary). Differs from the service
-- only where pgbench must not abort: an employee already changed today is skipped by the WHERE clauses instead of
-- answering 409. Odd employee numbers only: the API's writes in bench.py take even ones, so neither uses up the
-- other's employees for a later run on the same day.
\set id 10001 + 2 * random(0, (:last_emp - 10001) / 2)
BEGIN;
SELECT emp_no, status, hire_date, version FROM employees WHERE emp_no = :id FOR UPDATE;
SELECT e.*, de.dept_no, d.name AS dept_name, de.from_date AS dept_from,
       t.title, t.from_date AS title_from,
       s.amount, s.currency, s.from_date AS salary_from,
       m.emp_no AS mgr_emp_no, m.first_name AS mgr_first_name, m.last_name AS mgr_last_name
FROM employees e
LEFT JOIN dept_emp de ON de.emp_no = e.emp_no AND de.to_date = '9999-12-31'
LEFT JOIN departments d ON d.dept_no = de.dept_no
LEFT JOIN titles t ON t.emp_no = e.emp_no AND t.to_date = '9999-12-31'
LEFT JOIN salaries s ON s.emp_no = e.emp_no AND s.to_date = '9999-12-31'
LEFT JOIN dept_manager dm ON dm.dept_no = de.dept_no AND dm.to_date = '9999-12-31' AND dm.emp_no <> e.emp_no
LEFT JOIN employees m ON m.emp_no = dm.emp_no
WHERE e.emp_no = :id;
SELECT from_date FROM salaries WHERE emp_no = :id AND to_date = '9999-12-31' FOR UPDATE;
UPDATE salaries SET to_date = current_date WHERE emp_no = :id AND to_date = '9999-12-31' AND from_date < current_date;
INSERT INTO salaries (emp_no, amount, currency, from_date, to_date)
SELECT :id, 70000.00, 'USD', current_date, '9999-12-31'
WHERE NOT EXISTS (SELECT 1 FROM salaries WHERE emp_no = :id AND to_date = '9999-12-31') RETURNING id;
SELECT id, emp_no, amount, currency, from_date, to_date FROM salaries WHERE emp_no = :id AND to_date = '9999-12-31';
UPDATE employees SET updated_by = 'admin', updated_at = now(), version = version + 1 WHERE emp_no = :id;
SELECT e.*, de.dept_no, d.name AS dept_name, de.from_date AS dept_from,
       t.title, t.from_date AS title_from,
       s.amount, s.currency, s.from_date AS salary_from,
       m.emp_no AS mgr_emp_no, m.first_name AS mgr_first_name, m.last_name AS mgr_last_name
FROM employees e
LEFT JOIN dept_emp de ON de.emp_no = e.emp_no AND de.to_date = '9999-12-31'
LEFT JOIN departments d ON d.dept_no = de.dept_no
LEFT JOIN titles t ON t.emp_no = e.emp_no AND t.to_date = '9999-12-31'
LEFT JOIN salaries s ON s.emp_no = e.emp_no AND s.to_date = '9999-12-31'
LEFT JOIN dept_manager dm ON dm.dept_no = de.dept_no AND dm.to_date = '9999-12-31' AND dm.emp_no <> e.emp_no
LEFT JOIN employees m ON m.emp_no = dm.emp_no
WHERE e.emp_no = :id;
INSERT INTO audit_events (actor, actor_user_id, action, entity_type, entity_id, before, after, request_id, client_ip,
                          user_agent)
VALUES ('admin', NULL, 'EMPLOYEE_SALARY_CHANGED', 'EMPLOYEE', CAST(:id AS text),
        CAST('{"salary":{"amount":60000.00,"currency":"USD","fromDate":"2020-01-01"}}' AS jsonb),
        CAST('{"salary":{"amount":70000.00,"currency":"USD","fromDate":"2026-12-01"}}' AS jsonb), 'bench', '127.0.0.1',
        'pgbench');
COMMIT;
