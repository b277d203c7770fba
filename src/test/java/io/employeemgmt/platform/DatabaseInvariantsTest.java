package io.employeemgmt.platform;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.employeemgmt.support.ApiTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * The one-current-record and no-overlap invariants hold even for writes that bypass the service: each statement
 * here goes straight to PostgreSQL and must be refused by the schema itself.
 */
class DatabaseInvariantsTest extends ApiTestBase {

    private long freshEmployee() {
        return hire("d008").path("empNo").asLong();
    }

    private void refused(String sql, long empNo) {
        assertThatThrownBy(() -> jdbc.sql(sql).param("e", empNo).update())
                .as(sql)
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void atMostOneCurrentTitleSalaryAndDepartment() {
        long e = freshEmployee();
        // The second current row starts after the first so only the one-current rule (not overlap) can object...
        // ...but an open-ended row always overlaps the current one, so both constraints guard it.
        refused("INSERT INTO titles (emp_no, title, from_date) VALUES (:e, 'Staff', '2030-01-01')", e);
        refused("INSERT INTO salaries (emp_no, amount, from_date) VALUES (:e, 1, '2030-01-01')", e);
        refused("INSERT INTO dept_emp (emp_no, dept_no, from_date) VALUES (:e, 'd001', '2030-01-01')", e);
    }

    @Test
    void oneCurrentRowIsEnforcedEvenWithoutOverlapChecks() {
        long e = freshEmployee();
        jdbc.sql("ALTER TABLE titles DROP CONSTRAINT titles_no_overlap").update();
        try {
            refused("INSERT INTO titles (emp_no, title, from_date) VALUES (:e, 'Staff', '2030-01-01')", e);
        } finally {
            jdbc.sql("ALTER TABLE titles ADD CONSTRAINT titles_no_overlap"
                            + " EXCLUDE USING gist (emp_no WITH =, daterange(from_date, to_date) WITH &&)")
                    .update();
        }
    }

    @Test
    void noOverlappingRangesForOneEmployee() {
        long e = freshEmployee();
        refused(
                "INSERT INTO titles (emp_no, title, from_date, to_date) VALUES (:e, 'Staff', '2020-02-01', '2020-03-01')",
                e);
        refused(
                "INSERT INTO salaries (emp_no, amount, from_date, to_date) VALUES (:e, 5, '2019-12-01', '2020-02-01')",
                e);
        refused(
                "INSERT INTO dept_emp (emp_no, dept_no, from_date, to_date)"
                        + " VALUES (:e, 'd002', '2020-01-01', '2021-01-01')",
                e);
        // Two current managers of one department at once.
        refused("INSERT INTO dept_manager (emp_no, dept_no, from_date) SELECT :e, 'd008', '2031-01-01'", e);
    }

    @Test
    void datesAndAmountsMustBeSane() {
        long e = freshEmployee();
        refused(
                "INSERT INTO titles (emp_no, title, from_date, to_date) VALUES (:e, 'Staff', '2019-02-01', '2019-01-01')",
                e);
        refused(
                "INSERT INTO salaries (emp_no, amount, from_date, to_date) VALUES (:e, 0, '2010-01-01', '2011-01-01')",
                e);
        refused("UPDATE employees SET birth_date = hire_date - interval '13 years' WHERE emp_no = :e", e);
        refused("UPDATE employees SET termination_date = hire_date - 1, status = 'TERMINATED' WHERE emp_no = :e", e);
        refused("UPDATE employees SET status = 'TERMINATED' WHERE emp_no = :e", e);
        refused(
                "INSERT INTO salaries (emp_no, amount, from_date, to_date) VALUES (:e + 100000000, 5, '2010-01-01',"
                        + " '2011-01-01')",
                e);
    }
}
