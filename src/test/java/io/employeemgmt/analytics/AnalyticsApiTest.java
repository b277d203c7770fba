package io.employeemgmt.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiTestBase;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Every analytics figure equals an independently written SQL query over the same rows. The reference queries use
 * range containment ({@code daterange(from_date, to_date) @> day}) rather than the service's comparisons.
 */
class AnalyticsApiTest extends ApiTestBase {

    private static final String SALARIES_ON_DAY = """
            SELECT s.amount FROM salaries s
            JOIN dept_emp de ON de.emp_no = s.emp_no AND daterange(de.from_date, de.to_date) @> CAST(:day AS date)
            LEFT JOIN titles t ON t.emp_no = s.emp_no AND daterange(t.from_date, t.to_date) @> CAST(:day AS date)
            WHERE daterange(s.from_date, s.to_date) @> CAST(:day AS date)
              AND (:dept = '' OR de.dept_no = :dept) AND (:title = '' OR t.title = :title)
            """;

    @ParameterizedTest
    @CsvSource({
        "'', '', ''",
        "'', d005, ''",
        "'', '', Senior Engineer",
        "2019-06-30, d004, Engineer",
        "2015-01-01, '', ''",
        "2023-03-15, d007, ''"
    })
    void salaryStatisticsEqualSql(String asOf, String dept, String title) {
        String day = asOf.isEmpty()
                ? java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString()
                : asOf;
        StringBuilder query = new StringBuilder("/api/v1/analytics/salary-statistics?x=1");
        if (!asOf.isEmpty()) query.append("&asOf=").append(asOf);
        if (!dept.isEmpty()) query.append("&department=").append(dept);
        if (!title.isEmpty()) query.append("&title=").append(title.replace(" ", "%20"));
        JsonNode stats = api.get(query.toString()).json();

        Map<String, Object> expected = jdbc.sql(
                        "SELECT count(*) AS n, avg(amount) AS mean, min(amount) AS lo, max(amount) AS hi,"
                                + " percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS median,"
                                + " percentile_cont(0.9) WITHIN GROUP (ORDER BY amount) AS p90,"
                                + " stddev_samp(amount) AS sd FROM (" + SALARIES_ON_DAY + ") x")
                .param("day", day)
                .param("dept", dept)
                .param("title", title)
                .query()
                .singleRow();
        long count = ((Number) expected.get("n")).longValue();
        assertThat(count).as("the data set must make this case meaningful").isPositive();
        assertThat(stats.path("count").asLong()).isEqualTo(count);
        assertThat(stats.path("min").decimalValue())
                .isEqualByComparingTo(expected.get("lo").toString());
        assertThat(stats.path("max").decimalValue())
                .isEqualByComparingTo(expected.get("hi").toString());
        assertThat(stats.path("mean").decimalValue()).isEqualByComparingTo(cents(expected.get("mean")));
        assertThat(stats.path("median").decimalValue()).isEqualByComparingTo(cents(expected.get("median")));
        assertThat(stats.path("p90").decimalValue()).isEqualByComparingTo(cents(expected.get("p90")));
        if (count > 1) {
            assertThat(stats.path("stddev").decimalValue()).isEqualByComparingTo(cents(expected.get("sd")));
        }
    }

    /**
     * The fast path: repeated (cached) reads, a committed write (which must evict), a rolled-back write (which must
     * not), and more distinct days than the driver's prepare threshold, so later queries run as server-prepared
     * statements. Every answer equals the SQL over the committed rows at that moment.
     */
    @Test
    void currentStatisticsStayEqualToSqlThroughCachedReadsAndCommittedAndRolledBackWrites() {
        for (int i = 0; i < 3; i++) {
            salaryStatisticsEqualSql("", "d005", "");
        }
        long before = api.get("/api/v1/analytics/salary-statistics?department=d005")
                .json()
                .path("count")
                .asLong();

        hire("d005");
        salaryStatisticsEqualSql("", "d005", "");
        assertThat(api.get("/api/v1/analytics/salary-statistics?department=d005")
                        .json()
                        .path("count")
                        .asLong())
                .isEqualTo(before + 1);

        long terminated = jdbc.sql("SELECT emp_no FROM employees WHERE status = 'TERMINATED' ORDER BY emp_no LIMIT 1")
                .query(Long.class)
                .single();
        assertThat(api.post(
                                "/api/v1/employees/" + terminated + "/salary-changes",
                                Map.of("salary", Map.of("amount", 50000)))
                        .status())
                .isEqualTo(409);
        salaryStatisticsEqualSql("", "d005", "");

        for (int day = 1; day <= 12; day++) {
            salaryStatisticsEqualSql("2021-03-" + String.format("%02d", day), "d005", "");
        }
    }

    @Test
    void salaryDistributionBucketsAddUpToTheSqlCounts() {
        JsonNode distribution = api.get("/api/v1/analytics/salary-distribution?bucketWidth=15000&asOf=2022-01-01")
                .json();
        long total = 0;
        for (JsonNode bucket : distribution.path("buckets")) {
            long expected = jdbc.sql("SELECT count(*) FROM (" + SALARIES_ON_DAY + ") x"
                            + " WHERE amount >= :lower AND amount < :upper")
                    .param("day", "2022-01-01")
                    .param("dept", "")
                    .param("title", "")
                    .param("lower", bucket.path("lower").decimalValue())
                    .param("upper", bucket.path("upper").decimalValue())
                    .query(Long.class)
                    .single();
            assertThat(bucket.path("count").asLong()).isEqualTo(expected);
            total += expected;
        }
        long all = jdbc.sql("SELECT count(*) FROM (" + SALARIES_ON_DAY + ") x")
                .param("day", "2022-01-01")
                .param("dept", "")
                .param("title", "")
                .query(Long.class)
                .single();
        assertThat(total).isEqualTo(all).isPositive();
    }

    @Test
    void departmentPerformanceEqualsSql() {
        JsonNode report = api.get("/api/v1/analytics/department-performance?from=2021-01-01&to=2023-12-31")
                .json();
        assertThat(report.path("departments")).hasSizeGreaterThanOrEqualTo(9);
        for (JsonNode dept : report.path("departments")) {
            String deptNo = dept.path("deptNo").asString();
            long headcount = jdbc.sql("SELECT count(*) FROM dept_emp WHERE dept_no = :d"
                            + " AND daterange(from_date, to_date) @> DATE '2023-12-31'")
                    .param("d", deptNo)
                    .query(Long.class)
                    .single();
            long hires = jdbc.sql("SELECT count(*) FROM employees e WHERE e.hire_date BETWEEN '2021-01-01' AND"
                            + " '2023-12-31' AND (SELECT dept_no FROM dept_emp WHERE emp_no = e.emp_no"
                            + " ORDER BY from_date LIMIT 1) = :d")
                    .param("d", deptNo)
                    .query(Long.class)
                    .single();
            long terminations = jdbc.sql("SELECT count(*) FROM employees e WHERE e.termination_date BETWEEN"
                            + " '2021-01-01' AND '2023-12-31' AND (SELECT dept_no FROM dept_emp WHERE emp_no ="
                            + " e.emp_no ORDER BY from_date DESC LIMIT 1) = :d")
                    .param("d", deptNo)
                    .query(Long.class)
                    .single();
            assertThat(dept.path("headcount").asLong()).as(deptNo).isEqualTo(headcount);
            assertThat(dept.path("hires").asLong()).as(deptNo).isEqualTo(hires);
            assertThat(dept.path("terminations").asLong()).as(deptNo).isEqualTo(terminations);
        }
    }

    @Test
    void employeeTrendsEqualSql() {
        JsonNode trends = api.get("/api/v1/analytics/employee-trends?interval=YEAR&from=2012-01-01&to=2024-12-31")
                .json();
        assertThat(trends.path("points")).hasSize(13);
        for (JsonNode point : trends.path("points")) {
            int year = Integer.parseInt(point.path("period").asString().substring(0, 4));
            long hires = jdbc.sql("SELECT count(*) FROM employees WHERE extract(year FROM hire_date) = :y")
                    .param("y", year)
                    .query(Long.class)
                    .single();
            long terminations = jdbc.sql(
                            "SELECT count(*) FROM employees WHERE extract(year FROM termination_date) = :y")
                    .param("y", year)
                    .query(Long.class)
                    .single();
            assertThat(point.path("hires").asLong()).as("hires %d", year).isEqualTo(hires);
            assertThat(point.path("terminations").asLong())
                    .as("terminations %d", year)
                    .isEqualTo(terminations);
        }
        JsonNode months = api.get("/api/v1/analytics/employee-trends?interval=MONTH&from=2020-01-01&to=2020-12-31")
                .json();
        assertThat(months.path("points")).hasSize(12);
    }

    @Test
    void genderDiversityAndTitleDistributionEqualSql() {
        JsonNode diversity =
                api.get("/api/v1/analytics/gender-diversity?asOf=2024-06-30").json();
        for (JsonNode dept : diversity) {
            long female = jdbc.sql("SELECT count(*) FROM dept_emp de JOIN employees e ON e.emp_no = de.emp_no"
                            + " WHERE de.dept_no = :d AND e.gender = 'F'"
                            + " AND daterange(de.from_date, de.to_date) @> DATE '2024-06-30'")
                    .param("d", dept.path("deptNo").asString())
                    .query(Long.class)
                    .single();
            assertThat(dept.path("female").asLong()).isEqualTo(female);
            assertThat(dept.path("male").asLong()
                            + dept.path("female").asLong()
                            + dept.path("other").asLong())
                    .isEqualTo(dept.path("total").asLong());
        }
        JsonNode titles = api.get("/api/v1/analytics/title-distribution?asOf=2024-06-30&department=d005")
                .json();
        for (JsonNode title : titles) {
            long count = jdbc.sql("SELECT count(*) FROM titles t JOIN dept_emp de ON de.emp_no = t.emp_no"
                            + " AND daterange(de.from_date, de.to_date) @> DATE '2024-06-30'"
                            + " WHERE de.dept_no = 'd005' AND t.title = :t"
                            + " AND daterange(t.from_date, t.to_date) @> DATE '2024-06-30'")
                    .param("t", title.path("title").asString())
                    .query(Long.class)
                    .single();
            assertThat(title.path("count").asLong()).isEqualTo(count);
        }
    }

    @Test
    void summaryEqualsSql() {
        JsonNode summary = api.get("/api/v1/analytics/summary?asOf=2021-07-01").json();
        long employed = jdbc.sql("SELECT count(*) FROM employees WHERE hire_date <= DATE '2021-07-01'"
                        + " AND (termination_date IS NULL OR termination_date > DATE '2021-07-01')")
                .query(Long.class)
                .single();
        long hires = jdbc.sql("SELECT count(*) FROM employees WHERE hire_date > DATE '2020-07-01'"
                        + " AND hire_date <= DATE '2021-07-01'")
                .query(Long.class)
                .single();
        assertThat(summary.path("employees").asLong()).isEqualTo(employed);
        assertThat(summary.path("hiresLast12Months").asLong()).isEqualTo(hires);
    }

    @Test
    void rejectsBadRanges() {
        assertFieldError(api.get("/api/v1/analytics/employee-trends?from=2024-01-01&to=2023-01-01"), "from");
        assertFieldError(api.get("/api/v1/analytics/employee-trends?from=1800-01-01"), "from");
        assertFieldError(api.get("/api/v1/analytics/salary-distribution?bucketWidth=1"), "bucketWidth");
    }

    private static BigDecimal cents(Object value) {
        return new BigDecimal(value.toString()).setScale(2, RoundingMode.HALF_UP);
    }
}
