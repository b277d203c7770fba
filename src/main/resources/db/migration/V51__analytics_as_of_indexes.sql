-- Indexes for analytics_read_model_horizon() (V50): max(from_date) and max(to_date) of the closed rows of each
-- history table become index probes (salaries already has salaries_dates_idx for its from_date); the demo-data load
-- rebuilds them after its COPY like every plain index.
--
-- Plain CREATE INDEX, in the migration's transaction: writers wait while they build (about 4 s at 300k rows, load 9).
-- CREATE INDEX CONCURRENTLY would not block them, but it waits for every open transaction, and Flyway's default
-- PostgreSQL lock is held in one: every Flyway not configured with postgresql.transactional.lock=false (tests and
-- tools call Flyway directly) would wait forever (seen here in DemoDataGeneratorTest).
--
-- No index for the as-of days themselves: the rows in effect on a day D are about one per employee and in the
-- middle of the history (to_date > D matches 83 % of the salaries for D in 2016, 53 % for 2021); measured at 300k,
-- covering indexes on (from_date, to_date) INCLUDE (emp_no, value) turned the bitmap heap and sequential scans into
-- index-only scans without making the query faster (722-1,167 ms against 824-1,054 ms, EXPLAIN ANALYZE, load 9),
-- because the time goes into joining and aggregating the ~205k rows of that day, which any index leaves as they are.
CREATE INDEX dept_emp_from_date_idx ON dept_emp (from_date);
CREATE INDEX titles_from_date_idx ON titles (from_date);
CREATE INDEX dept_emp_to_date_idx ON dept_emp (to_date);
CREATE INDEX titles_to_date_idx ON titles (to_date);
CREATE INDEX salaries_to_date_idx ON salaries (to_date);
