package io.employeemgmt.department;

import io.employeemgmt.department.DepartmentDtos.Assignment;
import io.employeemgmt.department.DepartmentDtos.DepartmentRequest;
import io.employeemgmt.department.DepartmentDtos.DepartmentView;
import io.employeemgmt.department.DepartmentDtos.Manager;
import io.employeemgmt.department.DepartmentDtos.Member;
import io.employeemgmt.department.DepartmentDtos.Statistics;
import io.employeemgmt.platform.EffectiveDating;
import io.employeemgmt.platform.SortOrder;
import io.employeemgmt.platform.SqlWhere;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class DepartmentRepository {

    private static final String SELECT_VIEW = """
            SELECT d.dept_no, d.name, d.description, d.budget, d.location, d.active, d.parent_dept_no, d.version,
                   d.created_at, d.updated_at,
                   (SELECT count(*) FROM dept_emp de WHERE de.dept_no = d.dept_no AND de.to_date = DATE '9999-12-31')
                       AS current_headcount
            FROM departments d
            """;

    private final JdbcClient jdbc;

    DepartmentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<DepartmentView> findPage(Boolean active, SortOrder sort, int limit, long offset) {
        SqlWhere where = new SqlWhere().andIf(active, "d.active = :active", "active");
        return jdbc.sql(SELECT_VIEW + where.sql() + " ORDER BY " + sort.column() + " " + sort.direction()
                        + ", d.dept_no LIMIT :limit OFFSET :offset")
                .params(where.params())
                .param("limit", limit)
                .param("offset", offset)
                .query(DepartmentView.class)
                .list();
    }

    long count(Boolean active) {
        SqlWhere where = new SqlWhere().andIf(active, "d.active = :active", "active");
        return jdbc.sql("SELECT count(*) FROM departments d" + where.sql())
                .params(where.params())
                .query(Long.class)
                .single();
    }

    Optional<DepartmentView> find(String deptNo) {
        return jdbc.sql(SELECT_VIEW + " WHERE d.dept_no = :deptNo")
                .param("deptNo", deptNo)
                .query(DepartmentView.class)
                .optional();
    }

    Optional<Boolean> activeFlag(String deptNo) {
        return jdbc.sql("SELECT active FROM departments WHERE dept_no = :deptNo")
                .param("deptNo", deptNo)
                .query(Boolean.class)
                .optional();
    }

    String insert(DepartmentRequest request, String actor) {
        return jdbc.sql("""
                        INSERT INTO departments
                            (dept_no, name, description, budget, location, active, parent_dept_no, created_by, updated_by)
                        VALUES ('d' || lpad(nextval('department_number_seq')::text, 3, '0'), :name, :description,
                                :budget, :location, :active, :parent, :actor, :actor)
                        RETURNING dept_no
                        """)
                .param("name", request.name().strip())
                .param("description", request.description())
                .param("budget", request.budget())
                .param("location", request.location())
                .param("active", request.active() == null || request.active())
                .param("parent", request.parentDeptNo())
                .param("actor", actor)
                .query(String.class)
                .single();
    }

    /** Updates when {@code expectedVersion} matches (or is null); returns the number of rows changed. */
    int update(String deptNo, DepartmentRequest request, Long expectedVersion, String actor) {
        return jdbc.sql("""
                        UPDATE departments
                        SET name = :name, description = :description, budget = :budget, location = :location,
                            active = :active, parent_dept_no = :parent, updated_by = :actor, updated_at = now(),
                            version = version + 1
                        WHERE dept_no = :deptNo AND (CAST(:expected AS bigint) IS NULL OR version = :expected)
                        """)
                .param("name", request.name().strip())
                .param("description", request.description())
                .param("budget", request.budget())
                .param("location", request.location())
                .param("active", request.active() == null || request.active())
                .param("parent", request.parentDeptNo())
                .param("actor", actor)
                .param("deptNo", deptNo)
                .param("expected", expectedVersion)
                .update();
    }

    int deactivate(String deptNo, String actor) {
        return jdbc.sql("""
                        UPDATE departments SET active = false, updated_by = :actor, updated_at = now(),
                            version = version + 1
                        WHERE dept_no = :deptNo
                        """).param("actor", actor).param("deptNo", deptNo).update();
    }

    long currentHeadcount(String deptNo) {
        return jdbc.sql("SELECT count(*) FROM dept_emp WHERE dept_no = :deptNo AND to_date = DATE '9999-12-31'")
                .param("deptNo", deptNo)
                .query(Long.class)
                .single();
    }

    long activeChildren(String deptNo) {
        return jdbc.sql("SELECT count(*) FROM departments WHERE parent_dept_no = :deptNo AND active")
                .param("deptNo", deptNo)
                .query(Long.class)
                .single();
    }

    List<Member> members(String deptNo, SortOrder sort, int limit, long offset) {
        return jdbc.sql("""
                        SELECT e.emp_no, e.first_name, e.last_name, e.email, t.title, de.from_date
                        FROM dept_emp de
                        JOIN employees e ON e.emp_no = de.emp_no
                        LEFT JOIN titles t ON t.emp_no = e.emp_no AND t.to_date = DATE '9999-12-31'
                        WHERE de.dept_no = :deptNo AND de.to_date = DATE '9999-12-31'
                        ORDER BY %s %s, e.emp_no
                        LIMIT :limit OFFSET :offset
                        """.formatted(sort.column(), sort.direction()))
                .param("deptNo", deptNo)
                .param("limit", limit)
                .param("offset", offset)
                .query(Member.class)
                .list();
    }

    List<Manager> managers(String deptNo, boolean currentOnly) {
        return jdbc.sql("""
                        SELECT e.emp_no, e.first_name, e.last_name, dm.from_date, dm.to_date
                        FROM dept_manager dm JOIN employees e ON e.emp_no = dm.emp_no
                        WHERE dm.dept_no = :deptNo AND (NOT :currentOnly OR dm.to_date = DATE '9999-12-31')
                        ORDER BY dm.from_date DESC
                        """)
                .param("deptNo", deptNo)
                .param("currentOnly", currentOnly)
                .query(Manager.class)
                .list();
    }

    Statistics statistics(String deptNo) {
        return jdbc.sql("""
                        SELECT :deptNo AS dept_no, count(de.emp_no) AS headcount,
                               round(avg(s.amount), 2) AS average_salary, min(s.amount) AS min_salary,
                               max(s.amount) AS max_salary, coalesce(sum(s.amount), 0) AS payroll
                        FROM dept_emp de
                        LEFT JOIN salaries s ON s.emp_no = de.emp_no AND s.to_date = DATE '9999-12-31'
                        WHERE de.dept_no = :deptNo AND de.to_date = DATE '9999-12-31'
                        """).param("deptNo", deptNo).query(Statistics.class).single();
    }

    void openAssignment(long empNo, String deptNo, LocalDate fromDate) {
        jdbc.sql("INSERT INTO dept_emp (emp_no, dept_no, from_date) VALUES (:empNo, :deptNo, :fromDate)")
                .param("empNo", empNo)
                .param("deptNo", deptNo)
                .param("fromDate", fromDate)
                .update();
    }

    boolean closeCurrentAssignment(long empNo, LocalDate date) {
        return EffectiveDating.closeCurrent(jdbc, "dept_emp", "emp_no", empNo, date, "department assignment");
    }

    Optional<String> currentDepartment(long empNo) {
        return jdbc.sql("SELECT dept_no FROM dept_emp WHERE emp_no = :empNo AND to_date = DATE '9999-12-31'")
                .param("empNo", empNo)
                .query(String.class)
                .optional();
    }

    void openManagement(String deptNo, long empNo, LocalDate fromDate) {
        jdbc.sql("INSERT INTO dept_manager (emp_no, dept_no, from_date) VALUES (:empNo, :deptNo, :fromDate)")
                .param("empNo", empNo)
                .param("deptNo", deptNo)
                .param("fromDate", fromDate)
                .update();
    }

    boolean closeCurrentManagement(String deptNo, LocalDate date) {
        return EffectiveDating.closeCurrent(jdbc, "dept_manager", "dept_no", deptNo, date, "manager");
    }

    Optional<String> employmentStatus(long empNo) {
        return jdbc.sql("SELECT status FROM employees WHERE emp_no = :empNo")
                .param("empNo", empNo)
                .query(String.class)
                .optional();
    }

    List<String> departmentsManagedBy(long empNo) {
        return jdbc.sql("SELECT dept_no FROM dept_manager WHERE emp_no = :empNo AND to_date = DATE '9999-12-31'")
                .param("empNo", empNo)
                .query(String.class)
                .list();
    }

    List<Assignment> assignments(long empNo) {
        return jdbc.sql("""
                        SELECT de.dept_no, d.name AS dept_name, de.from_date, de.to_date
                        FROM dept_emp de JOIN departments d ON d.dept_no = de.dept_no
                        WHERE de.emp_no = :empNo ORDER BY de.from_date DESC
                        """).param("empNo", empNo).query(Assignment.class).list();
    }
}
