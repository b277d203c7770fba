package io.employeemgmt.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiTestBase;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
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

    @Autowired
    PlatformTransactionManager transactionManager;

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

    /** The model equals the open rows, and from the horizon on every query's fast branch equals the history. */
    private void assertExact() {
        assertThat(jdbc.sql(MODEL_DIFFERENCES).query(Long.class).single()).isZero();
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

    /** The per-department queries give the same rows through either branch. */
    private void assertSameResults(LocalDate day) {
        for (String sql : List.of(AnalyticsRepository.DEPARTMENT_PERFORMANCE, AnalyticsRepository.GENDER_DIVERSITY)) {
            List<Map<String, Object>> fast = rows(sql, day);
            assertThat(fast).isNotEmpty();
            assertThat(fast).isEqualTo(rows(historyOnly(sql), day));
        }
    }

    private List<Map<String, Object>> rows(String sql, LocalDate day) {
        return jdbc.sql(sql)
                .param("asOf", day)
                .param("to", day)
                .param("from", day.minusYears(1))
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
