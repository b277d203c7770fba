package io.employeemgmt.salary;

import io.employeemgmt.platform.EffectiveDating;
import io.employeemgmt.platform.SortOrder;
import io.employeemgmt.platform.SqlWhere;
import io.employeemgmt.salary.SalaryDtos.SalaryView;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class SalaryRepository {

    private static final String COLUMNS = "SELECT id, emp_no, amount, currency, from_date, to_date FROM salaries";

    private final JdbcClient jdbc;

    SalaryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Filter(Long empNo, BigDecimal minAmount, BigDecimal maxAmount, LocalDate from, LocalDate to) {

        SqlWhere where() {
            return new SqlWhere()
                    .andIf(empNo, "emp_no = :empNo", "empNo")
                    .andIf(minAmount, "amount >= :minAmount", "minAmount")
                    .andIf(maxAmount, "amount <= :maxAmount", "maxAmount")
                    .andIf(from, "to_date > :from", "from")
                    .andIf(to, "from_date <= :to", "to");
        }
    }

    List<SalaryView> findPage(Filter filter, SortOrder sort, int limit, long offset) {
        SqlWhere where = filter.where();
        return jdbc.sql(COLUMNS + where.sql() + " ORDER BY " + sort.column() + " " + sort.direction()
                        + ", id LIMIT :limit OFFSET :offset")
                .params(where.params())
                .param("limit", limit)
                .param("offset", offset)
                .query(SalaryView.class)
                .list();
    }

    long count(Filter filter) {
        SqlWhere where = filter.where();
        return jdbc.sql("SELECT count(*) FROM salaries" + where.sql())
                .params(where.params())
                .query(Long.class)
                .single();
    }

    Optional<SalaryView> find(long id) {
        return jdbc.sql(COLUMNS + " WHERE id = :id")
                .param("id", id)
                .query(SalaryView.class)
                .optional();
    }

    List<SalaryView> history(long empNo) {
        return jdbc.sql(COLUMNS + " WHERE emp_no = :empNo ORDER BY from_date DESC")
                .param("empNo", empNo)
                .query(SalaryView.class)
                .list();
    }

    boolean employeeExists(long empNo) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM employees WHERE emp_no = :empNo)")
                .param("empNo", empNo)
                .query(Boolean.class)
                .single();
    }

    Optional<SalaryView> current(long empNo) {
        return jdbc.sql(COLUMNS + " WHERE emp_no = :empNo AND to_date = DATE '9999-12-31'")
                .param("empNo", empNo)
                .query(SalaryView.class)
                .optional();
    }

    long insert(long empNo, BigDecimal amount, String currency, LocalDate fromDate, LocalDate toDate) {
        return jdbc.sql("""
                        INSERT INTO salaries (emp_no, amount, currency, from_date, to_date)
                        VALUES (:empNo, :amount, :currency, :fromDate, :toDate) RETURNING id
                        """)
                .param("empNo", empNo)
                .param("amount", amount)
                .param("currency", currency)
                .param("fromDate", fromDate)
                .param("toDate", toDate)
                .query(Long.class)
                .single();
    }

    int update(long id, BigDecimal amount, String currency, LocalDate fromDate, LocalDate toDate) {
        return jdbc.sql("""
                        UPDATE salaries SET amount = :amount, currency = :currency, from_date = :fromDate,
                            to_date = :toDate
                        WHERE id = :id
                        """)
                .param("id", id)
                .param("amount", amount)
                .param("currency", currency)
                .param("fromDate", fromDate)
                .param("toDate", toDate)
                .update();
    }

    int delete(long id) {
        return jdbc.sql("DELETE FROM salaries WHERE id = :id").param("id", id).update();
    }

    void closeCurrent(long empNo, LocalDate date) {
        EffectiveDating.closeCurrent(jdbc, "salaries", "emp_no", empNo, date, "salary");
    }
}
