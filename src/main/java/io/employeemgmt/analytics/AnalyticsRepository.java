package io.employeemgmt.analytics;

import io.employeemgmt.analytics.AnalyticsDtos.DepartmentPerformance;
import io.employeemgmt.analytics.AnalyticsDtos.GenderDiversity;
import io.employeemgmt.analytics.AnalyticsDtos.SalaryBucket;
import io.employeemgmt.analytics.AnalyticsDtos.SalaryStatistics;
import io.employeemgmt.analytics.AnalyticsDtos.Summary;
import io.employeemgmt.analytics.AnalyticsDtos.TitleShare;
import io.employeemgmt.analytics.AnalyticsDtos.TrendPoint;
import io.employeemgmt.platform.CustomPlans;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Read-only aggregate queries. "As of D" means the effective-dated rows whose [from_date, to_date) contains D, so
 * the same query answers for today and for any past date.
 *
 * <p>Each query reads the staff employed on D from one of two sources, chosen inside the statement (one snapshot,
 * so no write can fall between the choice and the read): from D = {@code analytics_read_model_horizon()} on, the
 * current state, before it the history itself. The current state is the pre-aggregated state of V53, kept exact by
 * triggers in every writing transaction: per (department, title, gender) counts, sums and sums of squares, and a
 * salary histogram per (department, title) whose buckets locate the order statistics, read exactly from the read
 * model {@code analytics_current_staff} (V50). The branch not taken is a one-time filter that PostgreSQL evaluates
 * once and never runs (an aggregate without GROUP BY is gated by HAVING, so that it gives no row there). The
 * history's aggregates sit in a subquery with {@code OFFSET 0}, which keeps their gate above them: PostgreSQL would
 * otherwise push it into the parallel part of the plan and start the workers even when the branch is not taken
 * (about 12 ms of every current-state request at 300k, measured). Both
 * branches give the same results for any D from the horizon on, which is what {@code AnalyticsApiTest} and {@code
 * AnalyticsReadModelTest} prove against plain SQL over the history. The statements are constants because the
 * benchmark's pgbench scripts must be exactly them ({@code BenchSqlTest}).
 */
@Repository
class AnalyticsRepository {

    /** The staff on :asOf read from the history (dept_emp with the titles and salaries of that day). */
    private static final String HISTORY_SELECT = """
                SELECT de.emp_no, de.dept_no, t.title, s.amount
                FROM dept_emp de
                LEFT JOIN titles t ON t.emp_no = de.emp_no AND t.from_date <= :asOf AND t.to_date > :asOf
                LEFT JOIN salaries s ON s.emp_no = de.emp_no AND s.from_date <= :asOf AND s.to_date > :asOf
                WHERE CAST(:asOf AS date) < analytics_read_model_horizon()
                  AND de.from_date <= :asOf AND de.to_date > :asOf
                  AND (CAST(:department AS text) IS NULL OR de.dept_no = :department)
                  AND (CAST(:title AS text) IS NULL OR t.title = :title)
            """;

    /** Who was employed on :asOf, with their department, title and salary on that day (the model or the history). */
    static final String STAFF_AS_OF = """
            WITH staff AS (
                SELECT c.emp_no, c.dept_no, c.title, c.amount
                FROM analytics_current_staff c
                WHERE CAST(:asOf AS date) >= analytics_read_model_horizon() AND c.dept_no IS NOT NULL
                  AND (CAST(:department AS text) IS NULL OR c.dept_no = :department)
                  AND (CAST(:title AS text) IS NULL OR c.title = :title)
                UNION ALL
            """ + HISTORY_SELECT + """
            )
            """;

    /** The staff on :asOf from the history only: no rows from the horizon on. */
    private static final String HISTORY_AS_OF = """
            WITH history AS (
            """ + HISTORY_SELECT + """
            )
            """;

    /** The selected department and/or title (both optional) of a table of groups or buckets aliased {@code s}. */
    private static final String SELECTED = """
            (CAST(:department AS text) IS NULL OR s.dept_no = :department)
                  AND (CAST(:title AS text) IS NULL OR s.title = :title)""";

    /**
     * Headcount and pay per department on :to (the groups from the horizon on, before it the history); hires and
     * leavers in [:from, :to], each counted in one pass over the range grouped by department.
     */
    static final String DEPARTMENT_PERFORMANCE = """
            WITH history AS (
                SELECT de.emp_no, de.dept_no, s.amount
                FROM dept_emp de
                LEFT JOIN salaries s ON s.emp_no = de.emp_no AND s.from_date <= :to AND s.to_date > :to
                WHERE CAST(:to AS date) < analytics_read_model_horizon()
                  AND de.from_date <= :to AND de.to_date > :to
            ), per_department AS (
                SELECT s.dept_no, CAST(sum(s.staff) AS bigint) AS headcount,
                       round(round(sum(s.amount_sum), 2) / NULLIF(sum(s.salaried), 0), 2) AS average_salary,
                       CASE WHEN sum(s.salaried) <> 0 THEN round(sum(s.amount_sum), 2) END AS payroll
                FROM analytics_current_groups s
                WHERE CAST(:to AS date) >= analytics_read_model_horizon()
                GROUP BY s.dept_no HAVING sum(s.staff) <> 0
                UNION ALL
                SELECT * FROM (
                    SELECT dept_no, count(*), round(avg(amount), 2), sum(amount)
                    FROM history GROUP BY dept_no OFFSET 0) h
                WHERE CAST(:to AS date) < analytics_read_model_horizon()
            ), hires AS (
                SELECT h.dept_no, count(*) AS n
                FROM employees e JOIN dept_emp h ON h.emp_no = e.emp_no AND h.from_date = e.hire_date
                WHERE e.hire_date BETWEEN :from AND :to GROUP BY h.dept_no
            ), terminations AS (
                SELECT l.dept_no, count(*) AS n
                FROM employees e JOIN dept_emp l ON l.emp_no = e.emp_no AND l.to_date = e.termination_date
                WHERE e.termination_date BETWEEN :from AND :to GROUP BY l.dept_no
            )
            SELECT d.dept_no, d.name, coalesce(p.headcount, 0) AS headcount, p.average_salary,
                   coalesce(p.payroll, 0) AS payroll, coalesce(h.n, 0) AS hires, coalesce(t.n, 0) AS terminations
            FROM departments d
            LEFT JOIN per_department p ON p.dept_no = d.dept_no
            LEFT JOIN hires h ON h.dept_no = d.dept_no
            LEFT JOIN terminations t ON t.dept_no = d.dept_no
            ORDER BY d.dept_no
            """;

    /** Gender counts per department on :asOf (the groups from the horizon on, before it the history). */
    static final String GENDER_DIVERSITY = """
            WITH history AS (
                SELECT de.dept_no, e.gender
                FROM dept_emp de JOIN employees e ON e.emp_no = de.emp_no
                WHERE CAST(:asOf AS date) < analytics_read_model_horizon()
                  AND de.from_date <= :asOf AND de.to_date > :asOf
            ), per_department AS (
                SELECT s.dept_no, CAST(sum(s.staff) AS bigint) AS total,
                       coalesce(CAST(sum(s.staff) FILTER (WHERE s.gender = 'M') AS bigint), 0) AS male,
                       coalesce(CAST(sum(s.staff) FILTER (WHERE s.gender = 'F') AS bigint), 0) AS female,
                       coalesce(CAST(sum(s.staff) FILTER (WHERE s.gender = 'X') AS bigint), 0) AS other
                FROM analytics_current_groups s
                WHERE CAST(:asOf AS date) >= analytics_read_model_horizon()
                GROUP BY s.dept_no HAVING sum(s.staff) <> 0
                UNION ALL
                SELECT * FROM (
                    SELECT dept_no, count(*), count(*) FILTER (WHERE gender = 'M'),
                           count(*) FILTER (WHERE gender = 'F'), count(*) FILTER (WHERE gender = 'X')
                    FROM history GROUP BY dept_no OFFSET 0) h
                WHERE CAST(:asOf AS date) < analytics_read_model_horizon()
            )
            SELECT d.dept_no, d.name, coalesce(p.total, 0) AS total, coalesce(p.male, 0) AS male,
                   coalesce(p.female, 0) AS female, coalesce(p.other, 0) AS other,
                   round(CAST(p.female AS numeric) / p.total, 4) AS female_ratio
            FROM departments d
            LEFT JOIN per_department p ON p.dept_no = d.dept_no
            ORDER BY d.dept_no
            """;

    /**
     * Count, mean, extremes, percentiles and spread of the salaries of the staff on :asOf.
     *
     * <p>From the horizon on: count, mean and standard deviation from the selected groups' count, sum and sum of
     * squares ({@code analytics_stddev_samp}, V53). min, max and the values percentile_cont interpolates between
     * (positions floor and ceil of fraction * (n - 1), in float8 as PostgreSQL computes them) are order statistics:
     * the selected buckets, added up in order, say which bucket holds position k and where in it; the bucket's
     * salaries are then read in order from {@code analytics_current_staff} (its amount index, up to the last
     * position wanted there) and the interpolation is percentile_cont's own ({@code lo + p * (hi - lo)} in float8).
     * Before the horizon the same aggregates over the history.
     */
    static final String SALARY_STATISTICS = HISTORY_AS_OF + """
            , selected AS (
                SELECT coalesce(CAST(sum(s.salaried) AS bigint), 0) AS n, round(sum(s.amount_sum), 2) AS amount_sum,
                       round(sum(s.amount_sq_sum), 4) AS amount_sq_sum
                FROM analytics_current_groups s
                WHERE """ + SELECTED + """

            ), buckets AS (
                SELECT s.bucket, CAST(sum(s.salaries) AS bigint) AS salaries
                FROM analytics_current_salary_buckets s
                WHERE """ + SELECTED + """

                GROUP BY s.bucket HAVING sum(s.salaries) <> 0
            ), ranges AS (
                SELECT bucket, salaries, CAST(sum(salaries) OVER (ORDER BY bucket) AS bigint) - salaries AS first
                FROM buckets
            ), ranks AS (
                SELECT p.fraction, CAST(p.fraction AS float8) * (n - 1) AS rank
                FROM selected, (VALUES (0.25), (0.5), (0.75), (0.9)) p (fraction)
                WHERE n > 0
            ), wanted AS (
                SELECT 0 AS k FROM selected WHERE n > 0
                UNION SELECT n - 1 FROM selected WHERE n > 0
                UNION SELECT CAST(floor(rank) AS bigint) FROM ranks
                UNION SELECT CAST(ceil(rank) AS bigint) FROM ranks
            ), located AS (
                SELECT r.bucket, r.first, max(w.k) - r.first AS last
                FROM ranges r JOIN wanted w ON w.k >= r.first AND w.k < r.first + r.salaries
                GROUP BY r.bucket, r.first
            ), amounts AS (
                SELECT l.first, a.amounts
                FROM located l CROSS JOIN LATERAL (
                    SELECT array_agg(x.amount ORDER BY x.amount) AS amounts
                    FROM (SELECT c.amount FROM analytics_current_staff c
                          WHERE c.dept_no IS NOT NULL
                            AND c.amount >= CAST(l.bucket AS numeric) * 1000
                            AND c.amount < CAST(l.bucket + 1 AS numeric) * 1000
                            AND (CAST(:department AS text) IS NULL OR c.dept_no = :department)
                            AND (CAST(:title AS text) IS NULL OR c.title = :title)
                          ORDER BY c.amount LIMIT l.last + 1) x) a
            ), at AS (
                SELECT w.k, a.amounts[CAST(w.k - a.first AS int) + 1] AS amount
                FROM wanted w JOIN amounts a ON w.k >= a.first AND w.k < a.first + cardinality(a.amounts)
            ), percentiles AS (
                SELECT r.fraction, CASE WHEN floor(r.rank) = ceil(r.rank) THEN CAST(lo.amount AS float8)
                       ELSE CAST(lo.amount AS float8)
                            + ((r.rank - floor(r.rank)) * (CAST(hi.amount AS float8) - CAST(lo.amount AS float8)))
                       END AS value
                FROM ranks r JOIN at lo ON lo.k = floor(r.rank) JOIN at hi ON hi.k = ceil(r.rank)
            )
            SELECT CAST(:asOf AS date) AS as_of, CAST(:department AS text) AS department,
                   CAST(:title AS text) AS title, s.n AS count,
                   round(s.amount_sum / NULLIF(s.n, 0), 2) AS mean,
                   (SELECT amount FROM at WHERE k = 0) AS min, (SELECT amount FROM at WHERE k = s.n - 1) AS max,
                   round(CAST((SELECT value FROM percentiles WHERE fraction = 0.5) AS numeric), 2) AS median,
                   round(CAST((SELECT value FROM percentiles WHERE fraction = 0.25) AS numeric), 2) AS p25,
                   round(CAST((SELECT value FROM percentiles WHERE fraction = 0.75) AS numeric), 2) AS p75,
                   round(CAST((SELECT value FROM percentiles WHERE fraction = 0.9) AS numeric), 2) AS p90,
                   round(analytics_stddev_samp(s.n, s.amount_sum, s.amount_sq_sum), 2) AS stddev
            FROM selected s
            WHERE CAST(:asOf AS date) >= analytics_read_model_horizon()
            UNION ALL
            SELECT * FROM (
                SELECT CAST(:asOf AS date), CAST(:department AS text), CAST(:title AS text), count(amount),
                       round(avg(amount), 2), min(amount), max(amount),
                       round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS numeric), 2),
                       round(CAST(percentile_cont(0.25) WITHIN GROUP (ORDER BY amount) AS numeric), 2),
                       round(CAST(percentile_cont(0.75) WITHIN GROUP (ORDER BY amount) AS numeric), 2),
                       round(CAST(percentile_cont(0.9) WITHIN GROUP (ORDER BY amount) AS numeric), 2),
                       round(stddev_samp(amount), 2)
                FROM history OFFSET 0) h
            WHERE CAST(:asOf AS date) < analytics_read_model_horizon()
            """;

    /**
     * Salaries of the staff on :asOf in buckets of :width: from the horizon on, for a width that is a multiple of
     * the histogram's 1,000, the histogram added up (per 1,000-bucket first, in integers, then per :width over
     * those ~130 rows); for other widths the rows of the read model; before the horizon the history.
     */
    static final String SALARY_BUCKETS = STAFF_AS_OF + """
            SELECT lower, upper, count FROM (
                SELECT floor(CAST(h.bucket AS numeric) * 1000 / :width) * :width AS lower,
                       (floor(CAST(h.bucket AS numeric) * 1000 / :width) + 1) * :width AS upper,
                       CAST(sum(h.salaries) AS bigint) AS count
                FROM (
                    SELECT s.bucket, sum(s.salaries) AS salaries
                    FROM analytics_current_salary_buckets s
                    WHERE CAST(:asOf AS date) >= analytics_read_model_horizon() AND mod(:width, 1000) = 0
                      AND """ + SELECTED + """

                    GROUP BY s.bucket) h
                GROUP BY 1, 2 HAVING sum(h.salaries) <> 0
                UNION ALL
                SELECT * FROM (
                    SELECT floor(amount / :width) * :width, (floor(amount / :width) + 1) * :width, count(*)
                    FROM staff WHERE amount IS NOT NULL
                    GROUP BY 1, 2 OFFSET 0) r
                WHERE CAST(:asOf AS date) < analytics_read_model_horizon() OR mod(:width, 1000) <> 0
            ) b
            ORDER BY lower
            """;

    /** Headcount, share and mean salary per title of the staff on :asOf (the groups, or the history). */
    static final String TITLE_DISTRIBUTION = HISTORY_AS_OF + """
            SELECT title, count, share, average_salary FROM (
                SELECT s.title, CAST(sum(s.staff) AS bigint) AS count,
                       round(sum(s.staff) / sum(sum(s.staff)) OVER (), 4) AS share,
                       round(round(sum(s.amount_sum), 2) / NULLIF(sum(s.salaried), 0), 2) AS average_salary
                FROM analytics_current_groups s
                WHERE CAST(:asOf AS date) >= analytics_read_model_horizon() AND s.title IS NOT NULL
                  AND """ + SELECTED + """

                GROUP BY s.title HAVING sum(s.staff) <> 0
                UNION ALL
                SELECT * FROM (
                    SELECT title, count(*), round(CAST(count(*) AS numeric) / sum(count(*)) OVER (), 4),
                           round(avg(amount), 2)
                    FROM history WHERE title IS NOT NULL
                    GROUP BY title OFFSET 0) h
                WHERE CAST(:asOf AS date) < analytics_read_model_horizon()
            ) t
            ORDER BY count DESC, title
            """;

    /** Headcount and payroll on :asOf (the groups, or the history), hires and leavers in the 12 months up to it. */
    static final String SUMMARY = HISTORY_AS_OF + """
            , totals AS (
                SELECT coalesce(CAST(sum(s.staff) AS bigint), 0) AS employees,
                       round(round(sum(s.amount_sum), 2) / NULLIF(sum(s.salaried), 0), 2) AS average_salary,
                       CASE WHEN sum(s.salaried) <> 0 THEN round(sum(s.amount_sum), 2) ELSE 0 END AS payroll
                FROM analytics_current_groups s
                HAVING CAST(:asOf AS date) >= analytics_read_model_horizon()
                UNION ALL
                SELECT * FROM (
                    SELECT count(*), round(avg(amount), 2), coalesce(sum(amount), 0)
                    FROM history OFFSET 0) h
                WHERE CAST(:asOf AS date) < analytics_read_model_horizon()
            )
            SELECT CAST(:asOf AS date) AS as_of, t.employees,
                   (SELECT count(*) FROM departments WHERE active) AS departments,
                   t.average_salary, t.payroll,
                   (SELECT count(*) FROM employees
                    WHERE hire_date > CAST(:asOf AS date) - interval '12 months'
                      AND hire_date <= :asOf) AS hires_last12_months,
                   (SELECT count(*) FROM employees
                    WHERE termination_date > CAST(:asOf AS date) - interval '12 months'
                      AND termination_date <= :asOf) AS terminations_last12_months
            FROM totals t
            """;

    /**
     * Hires and leavers per :interval (month or year) in [:from, :to]: one range scan of each date index, grouped,
     * rather than a scan of the whole range per period.
     */
    static final String TRENDS = """
            WITH periods AS (
                SELECT CAST(generate_series(date_trunc(:interval, CAST(:from AS date)),
                                            date_trunc(:interval, CAST(:to AS date)),
                                            CAST('1 ' || :interval AS interval)) AS date) AS period
            ), hires AS (
                SELECT CAST(date_trunc(:interval, hire_date) AS date) AS period, count(*) AS n
                FROM employees WHERE hire_date BETWEEN :from AND :to GROUP BY 1
            ), terminations AS (
                SELECT CAST(date_trunc(:interval, termination_date) AS date) AS period, count(*) AS n
                FROM employees WHERE termination_date BETWEEN :from AND :to GROUP BY 1
            )
            SELECT p.period, coalesce(h.n, 0) AS hires, coalesce(t.n, 0) AS terminations
            FROM periods p
            LEFT JOIN hires h ON h.period = p.period
            LEFT JOIN terminations t ON t.period = p.period
            ORDER BY p.period
            """;

    private final JdbcClient jdbc;

    AnalyticsRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private JdbcClient customPlans() {
        return CustomPlans.inThisTransaction(jdbc);
    }

    SalaryStatistics salaryStatistics(LocalDate asOf, String department, String title) {
        return customPlans()
                .sql(SALARY_STATISTICS)
                .param("asOf", asOf)
                .param("department", department)
                .param("title", title)
                .query(SalaryStatistics.class)
                .single();
    }

    List<SalaryBucket> salaryBuckets(LocalDate asOf, String department, String title, BigDecimal width) {
        return customPlans()
                .sql(SALARY_BUCKETS)
                .param("asOf", asOf)
                .param("department", department)
                .param("title", title)
                .param("width", width)
                .query(SalaryBucket.class)
                .list();
    }

    List<DepartmentPerformance> departmentPerformance(LocalDate from, LocalDate to) {
        return customPlans()
                .sql(DEPARTMENT_PERFORMANCE)
                .param("from", from)
                .param("to", to)
                .query((rs, row) -> {
                    long headcount = rs.getLong("headcount");
                    long terminations = rs.getLong("terminations");
                    return new DepartmentPerformance(
                            rs.getString("dept_no"),
                            rs.getString("name"),
                            headcount,
                            rs.getBigDecimal("average_salary"),
                            rs.getBigDecimal("payroll"),
                            rs.getLong("hires"),
                            terminations,
                            headcount == 0
                                    ? null
                                    : BigDecimal.valueOf(terminations)
                                            .divide(BigDecimal.valueOf(headcount), 4, java.math.RoundingMode.HALF_UP));
                })
                .list();
    }

    List<TrendPoint> trends(String interval, LocalDate from, LocalDate to) {
        return customPlans()
                .sql(TRENDS)
                .param("interval", interval)
                .param("from", from)
                .param("to", to)
                .query(TrendPoint.class)
                .list();
    }

    List<GenderDiversity> genderDiversity(LocalDate asOf) {
        return customPlans()
                .sql(GENDER_DIVERSITY)
                .param("asOf", asOf)
                .query(GenderDiversity.class)
                .list();
    }

    List<TitleShare> titleDistribution(LocalDate asOf, String department) {
        return customPlans()
                .sql(TITLE_DISTRIBUTION)
                .param("asOf", asOf)
                .param("department", department)
                .param("title", null)
                .query(TitleShare.class)
                .list();
    }

    Summary summary(LocalDate asOf) {
        return customPlans()
                .sql(SUMMARY)
                .param("asOf", asOf)
                .param("department", null)
                .param("title", null)
                .query(Summary.class)
                .single();
    }
}
