-- Read model of the current-state analytics (issue 10, docs/performance.md "Analytics"): one row per employee with
-- the values of their open rows (to_date 9999-12-31) of dept_emp, titles and salaries. The analytics aggregate
-- these 300k narrow rows instead of joining the 2.8M-row history.
--
-- Kept exact by PostgreSQL itself, in the writing transaction: statement-level triggers with transition tables on
-- employees and the three history tables, so every code path (the services, the CSV import, the demo-data COPY,
-- a previous release during blue-green, psql) maintains it and a rolled-back write rolls it back too. Each trigger
-- writes only its own column (UPDATE ... SET amount = ...), so concurrent writers of different facts of one employee
-- never overwrite each other's values: the row lock serialises them and each re-reads the latest row version.
--
-- The model holds the open rows, which are the rows in effect on day D only when no row starts after D and no
-- closed row ends after D; analytics_read_model_horizon() is that earliest day, and the queries use the model only
-- from it on (a future-dated change sends "today" back to the history until its day has come).
--
-- Expand only: a new table, functions and triggers; the previous release neither reads nor minds them.

CREATE TABLE analytics_current_staff (
    emp_no  bigint         PRIMARY KEY,
    gender  char(1)        NOT NULL,
    dept_no varchar(4),
    title   varchar(50),
    amount  numeric(12, 2)
);
-- Filters by department, by title, or both; amount included so the aggregates are index-only where they filter.
CREATE INDEX analytics_current_staff_dept_idx ON analytics_current_staff (dept_no, title) INCLUDE (amount);
CREATE INDEX analytics_current_staff_title_idx ON analytics_current_staff (title) INCLUDE (amount)
    WHERE dept_no IS NOT NULL;

CREATE FUNCTION analytics_current_staff_employees() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM analytics_current_staff;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO analytics_current_staff (emp_no, gender) SELECT emp_no, gender FROM new_rows;
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE analytics_current_staff c SET gender = n.gender
        FROM new_rows n WHERE c.emp_no = n.emp_no AND c.gender IS DISTINCT FROM n.gender;
    ELSE
        DELETE FROM analytics_current_staff c USING old_rows o WHERE c.emp_no = o.emp_no;
    END IF;
    RETURN NULL;
END
$$;

-- One function per history table, the same shape: clear the column for the open rows a statement removed or
-- closed, then set it from the open rows it added or changed (at most one open row per employee: *_one_current).
CREATE FUNCTION analytics_current_staff_dept_emp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE analytics_current_staff SET dept_no = NULL WHERE dept_no IS NOT NULL;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE analytics_current_staff c SET dept_no = NULL
        FROM old_rows o WHERE c.emp_no = o.emp_no AND o.to_date = DATE '9999-12-31';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE analytics_current_staff c SET dept_no = n.dept_no
        FROM new_rows n WHERE c.emp_no = n.emp_no AND n.to_date = DATE '9999-12-31';
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION analytics_current_staff_titles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE analytics_current_staff SET title = NULL WHERE title IS NOT NULL;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE analytics_current_staff c SET title = NULL
        FROM old_rows o WHERE c.emp_no = o.emp_no AND o.to_date = DATE '9999-12-31';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE analytics_current_staff c SET title = n.title
        FROM new_rows n WHERE c.emp_no = n.emp_no AND n.to_date = DATE '9999-12-31';
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION analytics_current_staff_salaries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE analytics_current_staff SET amount = NULL WHERE amount IS NOT NULL;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE analytics_current_staff c SET amount = NULL
        FROM old_rows o WHERE c.emp_no = o.emp_no AND o.to_date = DATE '9999-12-31';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE analytics_current_staff c SET amount = n.amount
        FROM new_rows n WHERE c.emp_no = n.emp_no AND n.to_date = DATE '9999-12-31';
    END IF;
    RETURN NULL;
END
$$;

-- Transition tables allow one event per trigger, hence three (plus TRUNCATE) per table. The triggers are created
-- before the backfill, in its transaction: their SHARE ROW EXCLUSIVE locks hold writers off until the commit, so no
-- write falls between the backfill and the triggers.
DO $$
DECLARE
    source text;
BEGIN
    FOREACH source IN ARRAY ARRAY['employees', 'dept_emp', 'titles', 'salaries'] LOOP
        EXECUTE format('CREATE TRIGGER analytics_current_staff_ins AFTER INSERT ON %I'
                       ' REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT'
                       ' EXECUTE FUNCTION analytics_current_staff_%s()', source, source);
        EXECUTE format('CREATE TRIGGER analytics_current_staff_upd AFTER UPDATE ON %I'
                       ' REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT'
                       ' EXECUTE FUNCTION analytics_current_staff_%s()', source, source);
        EXECUTE format('CREATE TRIGGER analytics_current_staff_del AFTER DELETE ON %I'
                       ' REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT'
                       ' EXECUTE FUNCTION analytics_current_staff_%s()', source, source);
        EXECUTE format('CREATE TRIGGER analytics_current_staff_trunc AFTER TRUNCATE ON %I'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION analytics_current_staff_%s()', source, source);
    END LOOP;
END
$$;

INSERT INTO analytics_current_staff (emp_no, gender, dept_no, title, amount)
SELECT e.emp_no, e.gender, de.dept_no, t.title, s.amount
FROM employees e
LEFT JOIN dept_emp de ON de.emp_no = e.emp_no AND de.to_date = DATE '9999-12-31'
LEFT JOIN titles t ON t.emp_no = e.emp_no AND t.to_date = DATE '9999-12-31'
LEFT JOIN salaries s ON s.emp_no = e.emp_no AND s.to_date = DATE '9999-12-31';

-- The first day from which the open rows are the rows in effect: no row of the history starts later, and no closed
-- row ends later (a row that starts after D, or a closed one that ends after D, is in effect on D or after it
-- differently from the model). Six index probes (the from_date/to_date indexes of V51 and salaries_dates_idx).
CREATE FUNCTION analytics_read_model_horizon() RETURNS date LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT greatest(
        (SELECT max(from_date) FROM dept_emp),
        (SELECT max(to_date) FROM dept_emp WHERE to_date < DATE '9999-12-31'),
        (SELECT max(from_date) FROM titles),
        (SELECT max(to_date) FROM titles WHERE to_date < DATE '9999-12-31'),
        (SELECT max(from_date) FROM salaries),
        (SELECT max(to_date) FROM salaries WHERE to_date < DATE '9999-12-31'),
        DATE '-infinity')
$$;
