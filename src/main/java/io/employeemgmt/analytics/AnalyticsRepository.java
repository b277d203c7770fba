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
 */
@Repository
class AnalyticsRepository {

    /** Who was employed on :asOf, with their department, title and salary on that day. */
    private static final String STAFF_AS_OF = """
            WITH staff AS (
                SELECT de.emp_no, de.dept_no, t.title, s.amount
                FROM dept_emp de
                LEFT JOIN titles t ON t.emp_no = de.emp_no AND t.from_date <= :asOf AND t.to_date > :asOf
                LEFT JOIN salaries s ON s.emp_no = de.emp_no AND s.from_date <= :asOf AND s.to_date > :asOf
                WHERE de.from_date <= :asOf AND de.to_date > :asOf
                  AND (CAST(:department AS text) IS NULL OR de.dept_no = :department)
                  AND (CAST(:title AS text) IS NULL OR t.title = :title)
            )
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
                .sql(STAFF_AS_OF + """
                        SELECT CAST(:asOf AS date) AS as_of, CAST(:department AS text) AS department,
                               CAST(:title AS text) AS title, count(amount) AS count,
                               round(avg(amount), 2) AS mean, min(amount) AS min, max(amount) AS max,
                               round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS numeric), 2) AS median,
                               round(CAST(percentile_cont(0.25) WITHIN GROUP (ORDER BY amount) AS numeric), 2) AS p25,
                               round(CAST(percentile_cont(0.75) WITHIN GROUP (ORDER BY amount) AS numeric), 2) AS p75,
                               round(CAST(percentile_cont(0.9) WITHIN GROUP (ORDER BY amount) AS numeric), 2) AS p90,
                               round(stddev_samp(amount), 2) AS stddev
                        FROM staff
                        """)
                .param("asOf", asOf)
                .param("department", department)
                .param("title", title)
                .query(SalaryStatistics.class)
                .single();
    }

    List<SalaryBucket> salaryBuckets(LocalDate asOf, String department, String title, BigDecimal width) {
        return customPlans()
                .sql(STAFF_AS_OF + """
                        SELECT floor(amount / :width) * :width AS lower, (floor(amount / :width) + 1) * :width AS upper,
                               count(*) AS count
                        FROM staff WHERE amount IS NOT NULL
                        GROUP BY 1, 2 ORDER BY 1
                        """)
                .param("asOf", asOf)
                .param("department", department)
                .param("title", title)
                .param("width", width)
                .query(SalaryBucket.class)
                .list();
    }

    List<DepartmentPerformance> departmentPerformance(LocalDate from, LocalDate to) {
        return customPlans()
                .sql("""
                        SELECT d.dept_no, d.name,
                               count(DISTINCT de.emp_no) AS headcount,
                               round(avg(s.amount), 2) AS average_salary,
                               coalesce(sum(s.amount), 0) AS payroll,
                               (SELECT count(*) FROM employees e JOIN dept_emp h
                                    ON h.emp_no = e.emp_no AND h.from_date = e.hire_date
                                WHERE h.dept_no = d.dept_no AND e.hire_date BETWEEN :from AND :to) AS hires,
                               (SELECT count(*) FROM employees e JOIN dept_emp l
                                    ON l.emp_no = e.emp_no AND l.to_date = e.termination_date
                                WHERE l.dept_no = d.dept_no AND e.termination_date BETWEEN :from AND :to)
                                   AS terminations
                        FROM departments d
                        LEFT JOIN dept_emp de ON de.dept_no = d.dept_no AND de.from_date <= :to AND de.to_date > :to
                        LEFT JOIN salaries s ON s.emp_no = de.emp_no AND s.from_date <= :to AND s.to_date > :to
                        GROUP BY d.dept_no, d.name
                        ORDER BY d.dept_no
                        """)
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
                .sql("""
                        WITH periods AS (
                            SELECT CAST(generate_series(date_trunc(:interval, CAST(:from AS date)),
                                                        date_trunc(:interval, CAST(:to AS date)),
                                                        CAST('1 ' || :interval AS interval)) AS date) AS period
                        )
                        SELECT p.period,
                               (SELECT count(*) FROM employees e
                                WHERE CAST(date_trunc(:interval, e.hire_date) AS date) = p.period
                                  AND e.hire_date BETWEEN :from AND :to) AS hires,
                               (SELECT count(*) FROM employees e
                                WHERE CAST(date_trunc(:interval, e.termination_date) AS date) = p.period
                                  AND e.termination_date BETWEEN :from AND :to) AS terminations
                        FROM periods p ORDER BY p.period
                        """)
                .param("interval", interval)
                .param("from", from)
                .param("to", to)
                .query(TrendPoint.class)
                .list();
    }

    List<GenderDiversity> genderDiversity(LocalDate asOf) {
        return customPlans()
                .sql("""
                        SELECT d.dept_no, d.name, count(e.emp_no) AS total,
                               count(*) FILTER (WHERE e.gender = 'M') AS male,
                               count(*) FILTER (WHERE e.gender = 'F') AS female,
                               count(*) FILTER (WHERE e.gender = 'X') AS other,
                               round(CAST(count(*) FILTER (WHERE e.gender = 'F') AS numeric)
                                     / nullif(count(e.emp_no), 0), 4) AS female_ratio
                        FROM departments d
                        LEFT JOIN dept_emp de ON de.dept_no = d.dept_no AND de.from_date <= :asOf AND de.to_date > :asOf
                        LEFT JOIN employees e ON e.emp_no = de.emp_no
                        GROUP BY d.dept_no, d.name ORDER BY d.dept_no
                        """)
                .param("asOf", asOf)
                .query(GenderDiversity.class)
                .list();
    }

    List<TitleShare> titleDistribution(LocalDate asOf, String department) {
        return customPlans()
                .sql(STAFF_AS_OF + """
                        SELECT title, count(*) AS count,
                               round(CAST(count(*) AS numeric) / sum(count(*)) OVER (), 4) AS share,
                               round(avg(amount), 2) AS average_salary
                        FROM staff WHERE title IS NOT NULL
                        GROUP BY title ORDER BY count(*) DESC, title
                        """)
                .param("asOf", asOf)
                .param("department", department)
                .param("title", null)
                .query(TitleShare.class)
                .list();
    }

    Summary summary(LocalDate asOf) {
        return customPlans()
                .sql(STAFF_AS_OF + """
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
                        """)
                .param("asOf", asOf)
                .param("department", null)
                .param("title", null)
                .query(Summary.class)
                .single();
    }
}
