package io.employeemgmt.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiTestBase;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The read model of the current-state analytics ({@code analytics_current_staff}, V50) holds exactly the open rows
 * of the history after every kind of write, committed or rolled back, and from the horizon on the analytics
 * queries' fast branch reads the same rows as range containment over the history
 * ({@code daterange(from_date, to_date) @> day}) and the same results as their history branch. The demo data set the
 * tests start from went in through the generator's COPY, so the first check covers that path too.
 */
class AnalyticsReadModelTest extends ApiTestBase {

    /** Rows of the read model that are not the open rows of the history, and open rows it lacks. */
    private static final String MODEL_DIFFERENCES = """
            WITH expected AS (
                SELECT e.emp_no, e.gender, de.dept_no, t.title, s.amount
                FROM employees e
                LEFT JOIN dept_emp de ON de.emp_no = e.emp_no AND de.to_date = DATE '9999-12-31'
                LEFT JOIN titles t ON t.emp_no = e.emp_no AND t.to_date = DATE '9999-12-31'
                LEFT JOIN salaries s ON s.emp_no = e.emp_no AND s.to_date = DATE '9999-12-31'
            ), model AS (
                SELECT emp_no, gender, dept_no, title, amount FROM analytics_current_staff
            )
            SELECT count(*) FROM ((TABLE expected EXCEPT ALL TABLE model) UNION ALL (TABLE model EXCEPT ALL TABLE expected)) d
            """;

    /** The staff of the analytics queries against an independent reading of the history on :asOf. */
    private static final String STAFF_DIFFERENCES = AnalyticsRepository.STAFF_AS_OF + """
            , reference AS (
                SELECT de.emp_no, de.dept_no, t.title, s.amount
                FROM dept_emp de
                LEFT JOIN titles t ON t.emp_no = de.emp_no AND daterange(t.from_date, t.to_date) @> CAST(:asOf AS date)
                LEFT JOIN salaries s ON s.emp_no = de.emp_no
                    AND daterange(s.from_date, s.to_date) @> CAST(:asOf AS date)
                WHERE daterange(de.from_date, de.to_date) @> CAST(:asOf AS date)
                  AND (CAST(:department AS text) IS NULL OR de.dept_no = :department)
                  AND (CAST(:title AS text) IS NULL OR t.title = :title)
            ), found AS (
                SELECT emp_no, dept_no, title, amount FROM staff
            )
            SELECT count(*) FROM ((TABLE found EXCEPT ALL TABLE reference)
                                  UNION ALL (TABLE reference EXCEPT ALL TABLE found)) d
            """;

    /** The summed delta rows of the groups and buckets (V53) against the same aggregates over the read model. */
    private static final String STATE_DIFFERENCES = """
            WITH groups AS (
                SELECT dept_no, title, gender, sum(staff) AS staff, sum(salaried) AS salaried,
                       sum(amount_sum) AS amount_sum, sum(amount_sq_sum) AS amount_sq_sum
                FROM analytics_current_groups GROUP BY 1, 2, 3
                HAVING sum(staff) <> 0 OR sum(salaried) <> 0 OR sum(amount_sum) <> 0 OR sum(amount_sq_sum) <> 0
            ), expected_groups AS (
                SELECT dept_no, title, gender, CAST(count(*) AS numeric), CAST(count(amount) AS numeric),
                       coalesce(sum(amount), 0), coalesce(sum(amount * amount), 0)
                FROM analytics_current_staff WHERE dept_no IS NOT NULL GROUP BY 1, 2, 3
            ), buckets AS (
                SELECT dept_no, title, bucket, sum(salaries) FROM analytics_current_salary_buckets
                GROUP BY 1, 2, 3 HAVING sum(salaries) <> 0
            ), expected_buckets AS (
                SELECT dept_no, title, CAST(floor(amount / 1000) AS integer), CAST(count(*) AS numeric)
                FROM analytics_current_staff WHERE dept_no IS NOT NULL AND amount IS NOT NULL GROUP BY 1, 2, 3
            )
            SELECT (SELECT count(*) FROM ((TABLE groups EXCEPT ALL TABLE expected_groups)
                                          UNION ALL (TABLE expected_groups EXCEPT ALL TABLE groups)) d)
                 + (SELECT count(*) FROM ((TABLE buckets EXCEPT ALL TABLE expected_buckets)
                                          UNION ALL (TABLE expected_buckets EXCEPT ALL TABLE buckets)) d)
            """;

    /** The selections the salary and title queries are compared for: all, by department, by title, by both. */
    private static final List<List<String>> SELECTIONS = Arrays.asList(
            Arrays.asList(null, null),
            Arrays.asList("d005", null),
            Arrays.asList(null, "Senior Engineer"),
            Arrays.asList("d004", "Engineer"),
            Arrays.asList("d001", "Manager"));

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    AnalyticsCompaction compaction;

    @Test
    void theReadModelHoldsTheOpenRowsAfterEveryKindOfWrite() {
        assertExact();

        long empNo = hire("d005").path("empNo").asLong();
        assertExact();
        assertThat(api.post("/api/v1/employees/" + empNo + "/transfers", Map.of("deptNo", "d007"))
                        .status())
                .isEqualTo(200);
        assertExact();
        assertThat(api.post("/api/v1/employees/" + empNo + "/promotions", Map.of("title", "Senior Engineer"))
                        .status())
                .isEqualTo(200);
        assertExact();
        assertThat(api.post(
                                "/api/v1/employees/" + empNo + "/salary-changes",
                                Map.of("salary", Map.of("amount", 91234.56, "currency", "USD")))
                        .status())
                .isEqualTo(200);
        assertExact();
        assertThat(model(empNo)).isEqualTo(Map.of("dept_no", "d007", "title", "Senior Engineer", "amount", "91234.56"));

        // Terminated today (a second employee: a change dated today leaves no later day to end on).
        long leaver = hire("d006").path("empNo").asLong();
        assertThat(api.delete("/api/v1/employees/" + leaver).status()).isEqualTo(204);
        assertExact();
        assertThat(model(leaver).get("dept_no")).isNull();

        // One good row and one rejected row: the rejected one is rolled back alone (a savepoint), the file is kept.
        String header =
                "firstName,lastName,birthDate,gender,hireDate,email,phone,address,deptNo,title,salary,currency\n";
        String good = unique("grace") + "@example.com";
        String csv = header + "Grace,Hopper,1980-12-09,F,2020-03-02," + good + ",,,d004,Engineer,81000.50,USD\n"
                + "Grace,Hopper,1980-12-09,F,2020-03-02," + good + ",,,d004,Engineer,81000.50,USD\n";
        assertThat(api.send("POST", "/api/v1/employees/import?validOnly=true", csv, "text/csv", Map.of())
                        .status())
                .isEqualTo(201);
        assertExact();
        // The same file without validOnly is refused as a whole: everything it wrote is rolled back.
        String other = unique("alan") + "@example.com";
        assertThat(api.send("POST", "/api/v1/employees/import", csv.replace(good, other), "text/csv", Map.of())
                        .status())
                .isEqualTo(400);
        assertExact();
    }

    @Test
    void aRolledBackWriteLeavesTheReadModelAsItWas() {
        long empNo = hire("d005").path("empNo").asLong();
        Map<String, Object> before = model(empNo);
        new TransactionTemplate(transactionManager).executeWithoutResult(tx -> {
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            jdbc.sql("UPDATE salaries SET to_date = :d WHERE emp_no = :e AND to_date = DATE '9999-12-31'")
                    .param("d", today)
                    .param("e", empNo)
                    .update();
            jdbc.sql("INSERT INTO salaries (emp_no, amount, from_date) VALUES (:e, 12345.67, :d)")
                    .param("e", empNo)
                    .param("d", today)
                    .update();
            jdbc.sql("UPDATE dept_emp SET to_date = :d WHERE emp_no = :e AND to_date = DATE '9999-12-31'")
                    .param("d", today)
                    .param("e", empNo)
                    .update();
            assertThat(model(empNo)).containsEntry("amount", "12345.67").containsEntry("dept_no", null);
            assertExact();
            tx.setRollbackOnly();
        });
        assertThat(model(empNo)).isEqualTo(before);
        assertExact();
    }

    @Test
    void aFutureDatedChangeSendsTheDaysBeforeItToTheHistory() {
        long empNo = hire("d005").path("empNo").asLong();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate later = today.plusDays(30);
        new TransactionTemplate(transactionManager).executeWithoutResult(tx -> {
            jdbc.sql("UPDATE salaries SET to_date = :d WHERE emp_no = :e AND to_date = DATE '9999-12-31'")
                    .param("d", later)
                    .param("e", empNo)
                    .update();
            jdbc.sql("INSERT INTO salaries (emp_no, amount, from_date) VALUES (:e, 23456.78, :d)")
                    .param("e", empNo)
                    .param("d", later)
                    .update();
            assertThat(horizon()).isAfterOrEqualTo(later);
            // Today the old salary is in effect, the model already holds the new one: today must come from the
            // history, and from the change on from the model.
            assertThat(model(empNo)).containsEntry("amount", "23456.78");
            assertSameStaff(today, null, null);
            assertSameStaff(later, null, null);
            assertSameStaff(later, "d005", null);
            assertSameResults(today);
            tx.setRollbackOnly();
        });
    }

    @Test
    void theGroupsStayExactThroughConcurrentWritersAndCompactions() throws Exception {
        List<Long> hired = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            hired.add(hire("d005").path("empNo").asLong());
        }
        assertExact();
        // Salary changes, transfers and promotions of employees of the same groups at once, with compactions among
        // them: the delta rows are only ever inserted, so nobody waits for another group writer and nothing deadlocks.
        List<Callable<Integer>> writes = new ArrayList<>();
        for (int i = 0; i < hired.size(); i++) {
            String employee = "/api/v1/employees/" + hired.get(i);
            BigDecimal amount = new BigDecimal("60000.50").add(BigDecimal.valueOf(1000L * i));
            String department = i % 2 == 0 ? "d007" : "d004";
            writes.add(() -> api.post(
                            employee + "/salary-changes", Map.of("salary", Map.of("amount", amount, "currency", "USD")))
                    .status());
            writes.add(() -> api.post(employee + "/transfers", Map.of("deptNo", department))
                    .status());
            writes.add(() -> api.post(employee + "/promotions", Map.of("title", "Senior Engineer"))
                    .status());
            writes.add(() -> compaction.compact() >= -1 ? 200 : 500);
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (Future<Integer> write : pool.invokeAll(writes)) {
                assertThat(write.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        }
        assertExact();
        assertThat(compaction.compact()).isNotNegative();
        assertThat(jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM analytics_current_groups"
                                + " GROUP BY dept_no, title, gender HAVING count(*) > 1) g")
                        .query(Long.class)
                        .single())
                .as("one row per group after a compaction")
                .isZero();
        assertExact();
    }

    @Test
    void salaryStatisticsEqualTheHistoryForEveryDepartmentAndTitle() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate day = horizon().isAfter(today) ? horizon() : today;
        List<String> departments = new ArrayList<>(jdbc.sql("SELECT dept_no FROM departments ORDER BY 1")
                .query(String.class)
                .list());
        departments.add(null);
        List<String> titles = new ArrayList<>(jdbc.sql("SELECT DISTINCT title FROM titles ORDER BY 1")
                .query(String.class)
                .list());
        titles.add(null);
        for (String department : departments) {
            for (String title : titles) {
                assertSameRows(AnalyticsRepository.SALARY_STATISTICS, day, department, title, null);
            }
        }
    }

    /**
     * analytics_stddev_samp (V53) equals PostgreSQL's numeric stddev_samp digit for digit (value and scale) over
     * some 36,000 selections of two-decimal amounts from 0.01 to 99,999.99: single values (NULL), pairs, equal
     * values (0) and groups of up to 20,000.
     */
    @Test
    void theStandardDeviationFromTheSumsEqualsPostgresqlsOwn() {
        Map<String, Object> compared = jdbc.sql("""
                        WITH data AS (
                            SELECT i, CAST((i * 2654435761 % 9999999 + 1) / 100.0 AS numeric(12, 2)) AS amount
                            FROM generate_series(1, 20000) i
                        ), selections AS (
                            SELECT m, i % m AS g, amount
                            FROM data, (VALUES (1), (2), (3), (10), (997), (5000), (10000), (20000)) v (m)
                            UNION ALL
                            SELECT 0, i % 50, CAST(12345.67 AS numeric(12, 2)) FROM data WHERE i <= 500
                        ), results AS (
                            SELECT analytics_stddev_samp(count(amount), sum(amount), sum(amount * amount)) AS mine,
                                   stddev_samp(amount) AS theirs
                            FROM selections GROUP BY m, g
                        )
                        SELECT count(*) AS selections,
                               count(*) FILTER (WHERE mine IS DISTINCT FROM theirs
                                   OR scale(mine) IS DISTINCT FROM scale(theirs)) AS different,
                               count(*) FILTER (WHERE theirs IS NULL) AS single,
                               count(*) FILTER (WHERE theirs = 0) AS equal
                        FROM results
                        """).query().singleRow();
        assertThat(((Number) compared.get("selections")).longValue()).isGreaterThan(36_000);
        assertThat(((Number) compared.get("single")).longValue()).isEqualTo(20_000);
        assertThat(((Number) compared.get("equal")).longValue()).isGreaterThanOrEqualTo(50);
        assertThat(((Number) compared.get("different")).longValue()).isZero();
    }

    /** The model equals the open rows, and from the horizon on every query's fast branch equals the history. */
    private void assertExact() {
        assertThat(jdbc.sql(MODEL_DIFFERENCES).query(Long.class).single()).isZero();
        assertThat(jdbc.sql(STATE_DIFFERENCES).query(Long.class).single()).isZero();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate day = horizon().isAfter(today) ? horizon() : today;
        assertSameStaff(day, null, null);
        assertSameStaff(day, "d005", null);
        assertSameStaff(day, "d004", "Engineer");
        assertSameResults(day);
    }

    private void assertSameStaff(LocalDate day, String department, String title) {
        assertThat(jdbc.sql(STAFF_DIFFERENCES)
                        .param("asOf", day)
                        .param("department", department)
                        .param("title", title)
                        .query(Long.class)
                        .single())
                .as("staff on %s, department %s, title %s", day, department, title)
                .isZero();
    }

    /**
     * Every current-state query gives the same rows through either branch, every column equal (value and scale):
     * the pre-aggregated state from the horizon on, the history with the model switched off.
     */
    private void assertSameResults(LocalDate day) {
        for (String sql : List.of(
                AnalyticsRepository.DEPARTMENT_PERFORMANCE,
                AnalyticsRepository.GENDER_DIVERSITY,
                AnalyticsRepository.SUMMARY)) {
            assertSameRows(sql, day, null, null, null);
        }
        for (List<String> selection : SELECTIONS) {
            String department = selection.get(0);
            String title = selection.get(1);
            assertSameRows(AnalyticsRepository.SALARY_STATISTICS, day, department, title, null);
            assertSameRows(AnalyticsRepository.TITLE_DISTRIBUTION, day, department, null, null);
            // 10,000 (the default) and 15,000 add up the histogram, 2,500 reads the rows of the model.
            for (String width : List.of("10000", "15000", "2500")) {
                assertSameRows(AnalyticsRepository.SALARY_BUCKETS, day, department, title, new BigDecimal(width));
            }
        }
    }

    private void assertSameRows(String sql, LocalDate day, String department, String title, BigDecimal width) {
        List<Map<String, Object>> fast = rows(sql, day, department, title, width);
        assertThat(fast)
                .as("%s on %s, %s, %s", name(sql), day, department, title)
                .isNotEmpty();
        assertThat(fast)
                .as("%s on %s, %s, %s", name(sql), day, department, title)
                .isEqualTo(rows(historyOnly(sql), day, department, title, width));
    }

    private static String name(String sql) {
        return sql.lines()
                .filter(line -> !line.isBlank())
                .skip(1)
                .findFirst()
                .orElse(sql)
                .strip();
    }

    private List<Map<String, Object>> rows(
            String sql, LocalDate day, String department, String title, BigDecimal width) {
        return jdbc.sql(sql)
                .param("asOf", day)
                .param("to", day)
                .param("from", day.minusYears(1))
                .param("department", department)
                .param("title", title)
                .param("width", width)
                .query()
                .listOfRows();
    }

    /** The same query with the read model switched off: every day is before the horizon. */
    private static String historyOnly(String sql) {
        assertThat(sql).contains("analytics_read_model_horizon()");
        return sql.replace("analytics_read_model_horizon()", "DATE 'infinity'");
    }

    private LocalDate horizon() {
        return jdbc.sql("SELECT analytics_read_model_horizon()")
                .query(LocalDate.class)
                .single();
    }

    private Map<String, Object> model(long empNo) {
        return jdbc.sql("SELECT dept_no, title, CAST(amount AS text) AS amount FROM analytics_current_staff"
                        + " WHERE emp_no = :e")
                .param("e", empNo)
                .query()
                .singleRow();
    }
}
