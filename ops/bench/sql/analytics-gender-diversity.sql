-- GET /analytics/gender-diversity?asOf=D, as of a day in [2016-01-01, 2026-01-01) (analytics.AnalyticsRepository)
\set d random(0, 3649)
BEGIN READ ONLY;
-- platform.CustomPlans
SET LOCAL plan_cache_mode = force_custom_plan;
SELECT d.dept_no, d.name, count(e.emp_no) AS total,
       count(*) FILTER (WHERE e.gender = 'M') AS male,
       count(*) FILTER (WHERE e.gender = 'F') AS female,
       count(*) FILTER (WHERE e.gender = 'X') AS other,
       round(CAST(count(*) FILTER (WHERE e.gender = 'F') AS numeric)
             / nullif(count(e.emp_no), 0), 4) AS female_ratio
FROM departments d
LEFT JOIN dept_emp de ON de.dept_no = d.dept_no AND de.from_date <= (DATE '2016-01-01' + CAST(:d AS int)) AND de.to_date > (DATE '2016-01-01' + CAST(:d AS int))
LEFT JOIN employees e ON e.emp_no = de.emp_no
GROUP BY d.dept_no, d.name ORDER BY d.dept_no;
COMMIT;
