-- Pre-aggregated state of the current-state analytics (issue 10, docs/performance.md "Analytics: the read model"),
-- so that a current-state query adds up a few thousand small rows instead of aggregating the ~271k rows of
-- analytics_current_staff (V50):
--   analytics_current_groups          per (department, title, gender): staff, salaries, their sum and sum of squares
--   analytics_current_salary_buckets  per (department, title, 1,000-wide salary bucket): the number of salaries
-- Both cover the staff with a department (the analytics count nobody else). The counts, sums, means and standard
-- deviations come from the groups; the histogram locates the k-th salary of any selection (percentiles, min, max)
-- in one bucket, and the exact value is read from analytics_current_staff through its amount index, inside the
-- bucket (see AnalyticsRepository).
--
-- Append-only deltas: a statement-level trigger with transition tables on analytics_current_staff inserts one row
-- per group (and bucket) a statement changed (old rows subtract, new rows add); readers SUM a group's rows. No row
-- is ever updated by a writer, so writers neither wait for each other nor deadlock on hot counter rows, and a
-- rolled-back write rolls its delta rows back. AnalyticsCompaction folds each group's rows into one, in one
-- statement (DELETE ... RETURNING feeding the INSERT): readers see the rows before or after it, equal sums.
--
-- Expand only: new tables, functions, a trigger and an index; the previous release ignores them, and its writes go
-- through analytics_current_staff, so the trigger keeps them exact during blue-green.

CREATE TABLE analytics_current_groups (
    dept_no       varchar(4)  NOT NULL,
    title         varchar(50),
    gender        char(1)     NOT NULL,
    staff         bigint      NOT NULL,
    salaried      bigint      NOT NULL,
    amount_sum    numeric     NOT NULL,
    amount_sq_sum numeric     NOT NULL
);

CREATE TABLE analytics_current_salary_buckets (
    dept_no  varchar(4)  NOT NULL,
    title    varchar(50),
    -- floor(amount / 1000): salary-distribution sums it for any bucketWidth that is a multiple of 1,000
    bucket   integer     NOT NULL,
    salaries bigint      NOT NULL
);

-- Neither table has an index: a reader scans a few thousand narrow rows (cheaper than keeping an index on a table
-- that only ever grows by deltas and is rewritten by the compaction), and the compaction reads them all anyway.

-- The exact salaries inside one bucket, in order, for any selection: a range scan of one bucket, index-only,
-- filtering department and title on the included columns.
CREATE INDEX analytics_current_staff_amount_idx ON analytics_current_staff (amount) INCLUDE (dept_no, title)
    WHERE dept_no IS NOT NULL AND amount IS NOT NULL;

-- One function for the three events: the rows a statement added count +1, the rows it removed -1 (an UPDATE
-- both); groups whose changes cancel out get no row. Dynamic SQL because a transition table exists only for the
-- events it was declared for.
CREATE FUNCTION analytics_current_groups_delta() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changes text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT dept_no, title, gender, amount, 1 AS sign FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT dept_no, title, gender, amount, -1 AS sign FROM old_rows'
        ELSE 'SELECT dept_no, title, gender, amount, 1 AS sign FROM new_rows'
             ' UNION ALL SELECT dept_no, title, gender, amount, -1 FROM old_rows'
    END;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        -- After a running compaction (AnalyticsCompaction.LOCK), so that it cannot put back rows deleted here.
        PERFORM pg_advisory_xact_lock(hashtext('employee-api:analytics:compaction'));
        DELETE FROM analytics_current_groups;
        DELETE FROM analytics_current_salary_buckets;
        RETURN NULL;
    END IF;
    EXECUTE format($sql$
        WITH changes AS (%s), groups AS (
            INSERT INTO analytics_current_groups (dept_no, title, gender, staff, salaried, amount_sum, amount_sq_sum)
            SELECT dept_no, title, gender, sum(sign), coalesce(sum(sign) FILTER (WHERE amount IS NOT NULL), 0),
                   coalesce(sum(sign * amount), 0), coalesce(sum(sign * amount * amount), 0)
            FROM changes WHERE dept_no IS NOT NULL
            GROUP BY dept_no, title, gender
            HAVING sum(sign) <> 0 OR sum(sign) FILTER (WHERE amount IS NOT NULL) <> 0
                OR sum(sign * amount) <> 0 OR sum(sign * amount * amount) <> 0
        )
        INSERT INTO analytics_current_salary_buckets (dept_no, title, bucket, salaries)
        SELECT dept_no, title, CAST(floor(amount / 1000) AS integer), sum(sign)
        FROM changes WHERE dept_no IS NOT NULL AND amount IS NOT NULL
        GROUP BY 1, 2, 3
        HAVING sum(sign) <> 0
    $sql$, changes);
    RETURN NULL;
END
$$;

-- Created before the backfill, in its transaction: their SHARE ROW EXCLUSIVE lock on analytics_current_staff holds
-- off every writer (the V50 triggers write it) until the commit, so no change falls between backfill and trigger.
CREATE TRIGGER analytics_current_groups_ins AFTER INSERT ON analytics_current_staff
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_current_groups_delta();
CREATE TRIGGER analytics_current_groups_upd AFTER UPDATE ON analytics_current_staff
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION analytics_current_groups_delta();
CREATE TRIGGER analytics_current_groups_del AFTER DELETE ON analytics_current_staff
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_current_groups_delta();
CREATE TRIGGER analytics_current_groups_trunc AFTER TRUNCATE ON analytics_current_staff
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_current_groups_delta();

INSERT INTO analytics_current_groups (dept_no, title, gender, staff, salaried, amount_sum, amount_sq_sum)
SELECT dept_no, title, gender, count(*), count(amount), coalesce(sum(amount), 0), coalesce(sum(amount * amount), 0)
FROM analytics_current_staff WHERE dept_no IS NOT NULL
GROUP BY dept_no, title, gender;

INSERT INTO analytics_current_salary_buckets (dept_no, title, bucket, salaries)
SELECT dept_no, title, CAST(floor(amount / 1000) AS integer), count(*)
FROM analytics_current_staff WHERE dept_no IS NOT NULL AND amount IS NOT NULL
GROUP BY 1, 2, 3;

-- stddev_samp from count, sum and sum of squares, digit for digit as PostgreSQL's numeric stddev_samp computes it
-- (numeric_stddev_internal): NULL below two values, 0 when N*sum(x^2) - sum(x)^2 <= 0, else the square root of
-- (N*sum(x^2) - sum(x)^2) / (N*(N-1)) divided at select_div_scale (what numeric's "/" uses) and rounded at that
-- same scale. sqrt() picks a larger scale of its own, so its result is rounded to the quotient's scale and then
-- corrected by one unit where that double rounding went the wrong way: c is the square root correctly rounded
-- (half away from zero) exactly when (c - u/2)^2 <= variance < (c + u/2)^2. The numerator has scale 4 as in
-- PostgreSQL (sums of numeric(12, 2) amounts and of their squares). AnalyticsReadModelTest compares it with
-- stddev_samp over every selection.
CREATE FUNCTION analytics_stddev_samp(n bigint, amount_sum numeric, amount_sq_sum numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN n IS NULL OR n < 2 THEN NULL
        WHEN q.numerator <= 0 THEN 0
        ELSE (SELECT round(CASE WHEN (r.c - r.half) * (r.c - r.half) > v.variance THEN r.c - 2 * r.half
                                WHEN (r.c + r.half) * (r.c + r.half) <= v.variance THEN r.c + 2 * r.half
                                ELSE r.c END, scale(v.variance))
              FROM (SELECT q.numerator / (CAST(n AS numeric) * (n - 1)) AS variance) v
              CROSS JOIN LATERAL (SELECT round(sqrt(v.variance), scale(v.variance)) AS c,
                                         power(CAST(10 AS numeric), -scale(v.variance)) / 2 AS half) r)
    END
    FROM (SELECT round(n * amount_sq_sum - amount_sum * amount_sum, 4) AS numerator) q
$$;

-- The same horizon as V50's, in PL/pgSQL: a SQL function that is not inlined plans its six probes again in every
-- statement that calls it (about 2 ms of planning each time, twice per analytics statement, measured at 300k);
-- PL/pgSQL keeps the plan for the connection. Same name, result and snapshot (STABLE: the caller's), so the
-- previous release calls it unchanged.
CREATE OR REPLACE FUNCTION analytics_read_model_horizon() RETURNS date LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN greatest(
        (SELECT max(from_date) FROM dept_emp),
        (SELECT max(to_date) FROM dept_emp WHERE to_date < DATE '9999-12-31'),
        (SELECT max(from_date) FROM titles),
        (SELECT max(to_date) FROM titles WHERE to_date < DATE '9999-12-31'),
        (SELECT max(from_date) FROM salaries),
        (SELECT max(to_date) FROM salaries WHERE to_date < DATE '9999-12-31'),
        DATE '-infinity');
END
$$;
