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
 * <p>Each query reads who was employed on D from one of two sources, chosen inside the statement (one snapshot, so
 * no write can fall between the choice and the read): from D = {@code analytics_read_model_horizon()} on, the read
 * model {@code analytics_current_staff} (V50: the open rows, kept exact by triggers in every writing transaction;
 * 300k narrow rows instead of the 2.8M-row history), before it the history itself. The branch not taken is a
 * one-time filter that PostgreSQL evaluates once and never runs. Both branches give the same rows for any D from the
 * horizon on, which is what {@code AnalyticsApiTest} and {@code AnalyticsReadModelTest} prove against plain SQL over
 * the history. The statements are constants because the benchmark's pgbench scripts must be exactly them ({@code
 * BenchSqlTest}).
 */
@Repository
class AnalyticsRepository {

    /** Who was employed on :asOf, with their department, title and salary on that day. */
    static final String STAFF_AS_OF = """
            WITH staff AS (
                SELECT c.emp_no, c.dept_no, c.title, c.amount
                FROM analytics_current_staff c
                WHERE CAST(:asOf AS date) >= analytics_read_model_horizon() AND c.dept_no IS NOT NULL
                  AND (CAST(:department AS text) IS NULL OR c.dept_no = :department)
                  AND (CAST(:title AS text) IS NULL OR c.title = :title)
                UNION ALL
                SELECT de.emp_no, de.dept_no, t.title, s.amount
                FROM dept_emp de
                LEFT JOIN titles t ON t.emp_no = de.emp_no AND t.from_date <= :asOf AND t.to_date > :asOf
                LEFT JOIN salaries s ON s.emp_no = de.emp_no AND s.from_date <= :asOf AND s.to_date > :asOf
                WHERE CAST(:asOf AS date) < analytics_read_model_horizon()
                  AND de.from_date <= :asOf AND de.to_date > :asOf
                  AND (CAST(:department AS text) IS NULL OR de.dept_no = :department)
                  AND (CAST(:title AS text) IS NULL OR t.title = :title)
            )
            """;

    /**
     * Headcount and pay per department on :to (from the same two sources); hires and leavers in [:from, :to], each
     * counted in one pass over the range grouped by department rather than one pass per department.
     */
    static final String DEPARTMENT_PERFORMANCE = """
            WITH staff AS (
                SELECT c.emp_no, c.dept_no, c.amount
                FROM analytics_current_staff c
                WHERE CAST(:to AS date) >= analytics_read_model_horizon() AND c.dept_no IS NOT NULL
                UNION ALL
                SELECT de.emp_no, de.dept_no, s.amount
                FROM dept_emp de
                LEFT JOIN salaries s ON s.emp_no = de.emp_no AND s.from_date <= :to AND s.to_date > :to
                WHERE CAST(:to AS date) < analytics_read_model_horizon()
                  AND de.from_date <= :to AND de.to_date > :to
            ), per_department AS (
                SELECT dept_no, count(*) AS headcount, round(avg(amount), 2) AS average_salary,
                       sum(amount) AS payroll
                FROM staff GROUP BY dept_no
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

    /** Gender counts per department on :asOf (from the same two sources). */
    static final String GENDER_DIVERSITY = """
            WITH staff AS (
                SELECT c.dept_no, c.gender
                FROM analytics_current_staff c
                WHERE CAST(:asOf AS date) >= analytics_read_model_horizon() AND c.dept_no IS NOT NULL
                UNION ALL
                SELECT de.dept_no, e.gender
                FROM dept_emp de JOIN employees e ON e.emp_no = de.emp_no
                WHERE CAST(:asOf AS date) < analytics_read_model_horizon()
                  AND de.from_date <= :asOf AND de.to_date > :asOf
            ), per_department AS (
                SELECT dept_no, count(*) AS total, count(*) FILTER (WHERE gender = 'M') AS male,
                       count(*) FILTER (WHERE gender = 'F') AS female, count(*) FILTER (WHERE gender = 'X') AS other
                FROM staff GROUP BY dept_no
            )
            SELECT d.dept_no, d.name, coalesce(p.total, 0) AS total, coalesce(p.male, 0) AS male,
                   coalesce(p.female, 0) AS female, coalesce(p.other, 0) AS other,
                   round(CAST(p.female AS numeric) / p.total, 4) AS female_ratio
            FROM departments d
            LEFT JOIN per_department p ON p.dept_no = d.dept_no
            ORDER BY d.dept_no
            """;

    /** Count, mean, extremes, percentiles and spread of the salaries of the staff on :asOf. */
    static final String SALARY_STATISTICS = STAFF_AS_OF + """
            SELECT CAST(:asOf AS date) AS as_of, CAST(:department AS text) AS department,
                   CAST(:title AS text) AS title, count(amount) AS count,
                   round(avg(amount), 2) AS mean, min(amount) AS min, max(amount) AS max,
                   round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS numeric), 2) AS median,
                   round(CAST(percentile_cont(0.25) WITHIN GROUP (ORDER BY amount) AS numeric), 2) AS p25,
                   round(CAST(percentile_cont(0.75) WITHIN GROUP (ORDER BY amount) AS numeric), 2) AS p75,
                   round(CAST(percentile_cont(0.9) WITHIN GROUP (ORDER BY amount) AS numeric), 2) AS p90,
                   round(stddev_samp(amount), 2) AS stddev
            FROM staff
            """;

    /** Salaries of the staff on :asOf in buckets of :width. */
    static final String SALARY_BUCKETS = STAFF_AS_OF + """
            SELECT floor(amount / :width) * :width AS lower, (floor(amount / :width) + 1) * :width AS upper,
                   count(*) AS count
            FROM staff WHERE amount IS NOT NULL
            GROUP BY 1, 2 ORDER BY 1
            """;

    /** Headcount, share and mean salary per title of the staff on :asOf. */
    static final String TITLE_DISTRIBUTION = STAFF_AS_OF + """
            SELECT title, count(*) AS count,
                   round(CAST(count(*) AS numeric) / sum(count(*)) OVER (), 4) AS share,
                   round(avg(amount), 2) AS average_salary
            FROM staff WHERE title IS NOT NULL
            GROUP BY title ORDER BY count(*) DESC, title
            """;

    /** Headcount and payroll on :asOf, hires and leavers in the 12 months up to it. */
    static final String SUMMARY = STAFF_AS_OF + """
            SELECT CAST(:asOf AS date) AS as_of, count(*) AS employees,
                   (SELECT count(*) FROM departments WHERE active) AS departments,
                   round(avg(amount), 2) AS average_salary, coalesce(sum(amount), 0) AS payroll,
                   (SELECT count(*) FROM employees
                    WHERE hire_date > CAST(:asOf AS date) - interval '12 months'
                      AND hire_date <= :asOf) AS hires_last12_months,
                   (SELECT count(*) FROM employees
                    WHERE termination_date > CAST(:asOf AS date) - interval '12 months'
                      AND termination_date <= :asOf) AS terminations_last12_months
            FROM staff
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
