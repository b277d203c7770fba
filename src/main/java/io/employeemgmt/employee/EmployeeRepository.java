package io.employeemgmt.employee;

import io.employeemgmt.employee.EmployeeDtos.CurrentDepartment;
import io.employeemgmt.employee.EmployeeDtos.CurrentSalary;
import io.employeemgmt.employee.EmployeeDtos.CurrentTitle;
import io.employeemgmt.employee.EmployeeDtos.Details;
import io.employeemgmt.employee.EmployeeDtos.Gender;
import io.employeemgmt.employee.EmployeeDtos.ManagerRef;
import io.employeemgmt.employee.EmployeeDtos.NewEmployee;
import io.employeemgmt.employee.EmployeeDtos.Status;
import io.employeemgmt.employee.EmployeeDtos.Summary;
import io.employeemgmt.employee.EmployeeDtos.Update;
import io.employeemgmt.platform.CustomPlans;
import io.employeemgmt.platform.SortOrder;
import io.employeemgmt.platform.SqlWhere;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class EmployeeRepository {

    /** API sort field → column; every column is NOT NULL and indexed together with emp_no for keyset paging. */
    static final Map<String, String> SORTS = SortOrder.allow(
            "empNo", "e.emp_no",
            "lastName", "e.last_name",
            "firstName", "e.first_name",
            "hireDate", "e.hire_date",
            "birthDate", "e.birth_date");

    private static final Map<String, String> SORT_TYPES =
            Map.of("empNo", "bigint", "lastName", "text", "firstName", "text", "hireDate", "date", "birthDate", "date");

    private static final String SEARCH_EXPRESSION = "(e.first_name || ' ' || e.last_name || ' ' || e.email)";

    /**
     * Picks the page from employees alone (filters, order, limit), then looks up the current department and title
     * of just those rows; joining first would make PostgreSQL walk the whole history tables for a deep page.
     */
    private static String pageQuery(String where, String order, String limit) {
        return """
                SELECT e.emp_no, e.first_name, e.last_name, e.email, e.gender, e.birth_date, e.hire_date, e.status,
                       de.dept_no, d.name AS dept_name, t.title
                FROM (SELECT e.* FROM employees e %s %s %s) e
                LEFT JOIN dept_emp de ON de.emp_no = e.emp_no AND de.to_date = DATE '9999-12-31'
                LEFT JOIN departments d ON d.dept_no = de.dept_no
                LEFT JOIN titles t ON t.emp_no = e.emp_no AND t.to_date = DATE '9999-12-31'
                %s
                """.formatted(where, order, limit, order);
    }

    /**
     * One employee with their current department, title, salary and manager (the point read); ops/bench's
     * point-read script sends the same statement ({@code PointReadBenchSqlTest}).
     */
    static final String DETAILS = """
            SELECT e.*, de.dept_no, d.name AS dept_name, de.from_date AS dept_from,
                   t.title, t.from_date AS title_from,
                   s.amount, s.currency, s.from_date AS salary_from,
                   m.emp_no AS mgr_emp_no, m.first_name AS mgr_first_name, m.last_name AS mgr_last_name
            FROM employees e
            LEFT JOIN dept_emp de ON de.emp_no = e.emp_no AND de.to_date = DATE '9999-12-31'
            LEFT JOIN departments d ON d.dept_no = de.dept_no
            LEFT JOIN titles t ON t.emp_no = e.emp_no AND t.to_date = DATE '9999-12-31'
            LEFT JOIN salaries s ON s.emp_no = e.emp_no AND s.to_date = DATE '9999-12-31'
            LEFT JOIN dept_manager dm ON dm.dept_no = de.dept_no AND dm.to_date = DATE '9999-12-31'
                                     AND dm.emp_no <> e.emp_no
            LEFT JOIN employees m ON m.emp_no = dm.emp_no
            WHERE e.emp_no = :empNo
            """;

    private final JdbcClient jdbc;

    EmployeeRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private static SqlWhere where(EmployeeFilter filter) {
        SqlWhere where = new SqlWhere();
        if (filter.status() == null) {
            where.and("e.status <> 'TERMINATED'");
        } else {
            where.andIf(filter.status().name(), "e.status = :status", "status");
        }
        where.andIf(
                        filter.department(),
                        "EXISTS (SELECT 1 FROM dept_emp fd WHERE fd.emp_no = e.emp_no AND fd.to_date = DATE '9999-12-31'"
                                + " AND fd.dept_no = :department)",
                        "department")
                .andIf(
                        filter.title(),
                        "EXISTS (SELECT 1 FROM titles ft WHERE ft.emp_no = e.emp_no AND ft.to_date = DATE '9999-12-31'"
                                + " AND ft.title = :title)",
                        "title")
                .andIf(filter.hiredFrom(), "e.hire_date >= :hiredFrom", "hiredFrom")
                .andIf(filter.hiredTo(), "e.hire_date <= :hiredTo", "hiredTo")
                .andIf(filter.gender() == null ? null : filter.gender().name(), "e.gender = :gender", "gender");
        if (filter.q() != null) {
            where.and("(" + SEARCH_EXPRESSION + " ILIKE :qLike OR :q <% " + SEARCH_EXPRESSION + ")")
                    .param("q", filter.q().strip())
                    .param("qLike", SqlWhere.likeContains(filter.q().strip()));
        }
        return where;
    }

    /** @param sort the order, or null to order a {@code q} search by relevance (best match first) */
    List<Summary> findPage(EmployeeFilter filter, SortOrder sort, int limit, long offset) {
        SqlWhere where = where(filter);
        String order = sort != null
                ? orderBy(sort)
                : " ORDER BY word_similarity(:q, " + SEARCH_EXPRESSION + ") DESC, e.emp_no";
        return CustomPlans.inThisTransaction(jdbc)
                .sql(pageQuery(where.sql(), order, "LIMIT :limit OFFSET :offset"))
                .params(where.params())
                .param("limit", limit)
                .param("offset", offset)
                .query(Summary.class)
                .list();
    }

    /** Rows strictly after {@code cursor} in sort order: an index range scan however deep the page. */
    List<Summary> findAfter(EmployeeFilter filter, SortOrder sort, KeysetCursor cursor, int limit) {
        SqlWhere where = where(filter);
        String comparison = sort.descending() ? "<" : ">";
        where.and("(" + sort.column() + ", e.emp_no) " + comparison + " (CAST(:cursorValue AS "
                        + SORT_TYPES.get(sort.field()) + "), :cursorEmpNo)")
                .param("cursorValue", cursor.lastValue())
                .param("cursorEmpNo", cursor.lastEmpNo());
        return CustomPlans.inThisTransaction(jdbc)
                .sql(pageQuery(where.sql(), orderBy(sort), "LIMIT :limit"))
                .params(where.params())
                .param("limit", limit)
                .query(Summary.class)
                .list();
    }

    long count(EmployeeFilter filter) {
        SqlWhere where = where(filter);
        return CustomPlans.inThisTransaction(jdbc)
                .sql("SELECT count(*) FROM employees e" + where.sql())
                .params(where.params())
                .query(Long.class)
                .single();
    }

    private static String orderBy(SortOrder sort) {
        return " ORDER BY " + sort.column() + " " + sort.direction() + ", e.emp_no " + sort.direction();
    }

    Optional<Details> findDetails(long empNo) {
        return jdbc.sql(DETAILS)
                .param("empNo", empNo)
                .query(EmployeeRepository::mapDetails)
                .optional();
    }

    @SuppressWarnings("PMD.UnusedFormalParameter") // a RowMapper: the row number is part of its signature
    private static Details mapDetails(ResultSet rs, int row) throws SQLException {
        String deptNo = rs.getString("dept_no");
        String title = rs.getString("title");
        long managerEmpNo = rs.getLong("mgr_emp_no");
        boolean hasManager = !rs.wasNull();
        return new Details(
                rs.getLong("emp_no"),
                rs.getObject("uuid", UUID.class),
                rs.getString("first_name"),
                rs.getString("last_name"),
                rs.getObject("birth_date", LocalDate.class),
                Gender.valueOf(rs.getString("gender")),
                rs.getObject("hire_date", LocalDate.class),
                rs.getObject("termination_date", LocalDate.class),
                Status.valueOf(rs.getString("status")),
                rs.getString("email"),
                rs.getString("phone"),
                rs.getString("address"),
                deptNo == null
                        ? null
                        : new CurrentDepartment(
                                deptNo, rs.getString("dept_name"), rs.getObject("dept_from", LocalDate.class)),
                title == null ? null : new CurrentTitle(title, rs.getObject("title_from", LocalDate.class)),
                rs.getBigDecimal("amount") == null
                        ? null
                        : new CurrentSalary(
                                rs.getBigDecimal("amount"),
                                rs.getString("currency"),
                                rs.getObject("salary_from", LocalDate.class)),
                hasManager
                        ? new ManagerRef(managerEmpNo, rs.getString("mgr_first_name"), rs.getString("mgr_last_name"))
                        : null,
                rs.getLong("version"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                rs.getString("created_by"),
                rs.getString("updated_by"));
    }

    long insert(NewEmployee employee, String actor) {
        return jdbc.sql("""
                        INSERT INTO employees (first_name, last_name, birth_date, gender, hire_date, email, phone,
                                               address, created_by, updated_by)
                        VALUES (:firstName, :lastName, :birthDate, :gender, :hireDate, :email, :phone, :address,
                                :actor, :actor)
                        RETURNING emp_no
                        """)
                .param("firstName", employee.firstName().strip())
                .param("lastName", employee.lastName().strip())
                .param("birthDate", employee.birthDate())
                .param("gender", employee.gender().name())
                .param("hireDate", employee.hireDate())
                .param("email", employee.email().strip())
                .param("phone", employee.phone())
                .param("address", employee.address())
                .param("actor", actor)
                .query(Long.class)
                .single();
    }

    /** Applies {@code update} if the row still has {@code expectedVersion} (any version when null). */
    int update(long empNo, Update update, Long expectedVersion, String actor) {
        return jdbc.sql("""
                        UPDATE employees
                        SET first_name = :firstName, last_name = :lastName, birth_date = :birthDate, gender = :gender,
                            email = :email, phone = :phone, address = :address, status = :status,
                            updated_by = :actor, updated_at = now(), version = version + 1
                        WHERE emp_no = :empNo AND status <> 'TERMINATED'
                          AND (CAST(:expected AS bigint) IS NULL OR version = :expected)
                        """)
                .param("firstName", update.firstName().strip())
                .param("lastName", update.lastName().strip())
                .param("birthDate", update.birthDate())
                .param("gender", update.gender().name())
                .param("email", update.email().strip())
                .param("phone", update.phone())
                .param("address", update.address())
                .param("status", update.status().name())
                .param("actor", actor)
                .param("empNo", empNo)
                .param("expected", expectedVersion)
                .update();
    }

    /** Locks the employee row for the rest of the transaction; serializes all history changes of one person. */
    Optional<Locked> lock(long empNo) {
        return jdbc.sql("SELECT emp_no, status, hire_date, version FROM employees WHERE emp_no = :empNo FOR UPDATE")
                .param("empNo", empNo)
                .query(Locked.class)
                .optional();
    }

    boolean exists(long empNo) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM employees WHERE emp_no = :empNo)")
                .param("empNo", empNo)
                .query(Boolean.class)
                .single();
    }

    record Locked(long empNo, Status status, LocalDate hireDate, long version) {}

    void terminate(long empNo, LocalDate terminationDate, String actor) {
        jdbc.sql("""
                        UPDATE employees SET status = 'TERMINATED', termination_date = :date, updated_by = :actor,
                            updated_at = now(), version = version + 1
                        WHERE emp_no = :empNo
                        """)
                .param("date", terminationDate)
                .param("actor", actor)
                .param("empNo", empNo)
                .update();
    }

    void touch(long empNo, String actor) {
        jdbc.sql("UPDATE employees SET updated_by = :actor, updated_at = now(), version = version + 1"
                        + " WHERE emp_no = :empNo")
                .param("actor", actor)
                .param("empNo", empNo)
                .update();
    }
}
