package io.employeemgmt.platform;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;

/**
 * Translates a constraint the database rejected into the client's terms. The schema is the last line of defence
 * for the invariants (one current record, no overlapping ranges, sane dates); when a request reaches it, the
 * client still gets the field and the rule, never the SQL or the constraint text. The only place constraint names
 * are mapped: every feature's writes (employees, departments, history, user accounts) end up here through the
 * problem handler.
 */
public final class DatabaseConstraints {

    private record Rule(HttpStatus status, String field, String message) {}

    private static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("employees_email_key", conflict("email", "an employee with this email already exists")),
            Map.entry("departments_name_key", conflict("name", "a department with this name already exists")),
            Map.entry("employees_hired_at_least_14", invalid("hireDate", "must be at least 14 years after birthDate")),
            Map.entry("employees_termination_after_hire", invalid("terminationDate", "must not be before hireDate")),
            Map.entry("dept_emp_no_overlap", conflict("fromDate", "overlaps another department assignment")),
            Map.entry("dept_emp_one_current", conflict("toDate", "the employee already has a current department")),
            Map.entry("dept_manager_no_overlap", conflict("fromDate", "overlaps another manager of this department")),
            Map.entry("dept_manager_one_current", conflict("toDate", "the department already has a current manager")),
            Map.entry("titles_no_overlap", conflict("fromDate", "overlaps another title of this employee")),
            Map.entry("titles_one_current", conflict("toDate", "the employee already has a current title")),
            Map.entry("salaries_no_overlap", conflict("fromDate", "overlaps another salary of this employee")),
            Map.entry("salaries_one_current", conflict("toDate", "the employee already has a current salary")),
            Map.entry("salaries_dates", invalid("toDate", "must be after fromDate (a period covers at least one day)")),
            Map.entry("titles_dates", invalid("toDate", "must not be before fromDate")),
            Map.entry("dept_emp_dates", invalid("toDate", "must not be before fromDate")),
            Map.entry("dept_manager_dates", invalid("toDate", "must not be before fromDate")),
            Map.entry("salaries_emp_no_fkey", invalid("empNo", "no employee with this number exists")),
            Map.entry("titles_emp_no_fkey", invalid("empNo", "no employee with this number exists")),
            Map.entry("dept_emp_emp_no_fkey", invalid("empNo", "no employee with this number exists")),
            Map.entry("dept_emp_dept_no_fkey", invalid("deptNo", "no department with this number exists")),
            Map.entry("dept_manager_emp_no_fkey", invalid("empNo", "no employee with this number exists")),
            Map.entry("departments_parent_dept_no_fkey", invalid("parentDeptNo", "no department with this number")),
            Map.entry("departments_not_own_parent", invalid("parentDeptNo", "a department cannot be its own parent")),
            Map.entry("auth_users_username_key", conflict("username", "a user with this username already exists")),
            Map.entry("auth_users_email_key", conflict("email", "a user with this email already exists")),
            Map.entry(
                    "auth_users_emp_no_key",
                    conflict("employeeNumber", "another user is already linked to this employee")),
            Map.entry("auth_users_emp_no_fkey", invalid("employeeNumber", "no employee with this number exists")),
            Map.entry("auth_users_email_check", invalid("email", "must be an email address")),
            Map.entry(
                    "auth_users_username_check",
                    invalid("username", "may contain only letters, digits, '.', '_' and '-' (3 to 64 characters)")));

    private DatabaseConstraints() {}

    public static ApiException translate(DataIntegrityViolationException exception) {
        Optional<ServerErrorMessage> serverError = serverError(exception);
        String constraint = serverError.map(ServerErrorMessage::getConstraint).orElse(null);
        Rule rule = constraint == null ? null : RULES.get(constraint);
        if (rule != null) {
            return new ApiException(
                    rule.status(),
                    "Invalid value for '" + rule.field() + "': " + rule.message(),
                    List.of(new ApiException.FieldProblem(rule.field(), rule.message())));
        }
        String sqlState = serverError.map(ServerErrorMessage::getSQLState).orElse("");
        return switch (sqlState) {
            case "22001", "22003", "22007", "22008", "23502", "23514" ->
                new ApiException(
                        HttpStatus.BAD_REQUEST, "The request contains a value the system cannot store", List.of());
            default -> ApiException.conflict("The request conflicts with the current state of the data");
        };
    }

    private static Optional<ServerErrorMessage> serverError(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                return Optional.of(psql.getServerErrorMessage());
            }
            if (cause instanceof SQLException sql && sql.getNextException() instanceof PSQLException next) {
                return Optional.ofNullable(next.getServerErrorMessage());
            }
        }
        return Optional.empty();
    }

    private static Rule conflict(String field, String message) {
        return new Rule(HttpStatus.CONFLICT, field, message);
    }

    private static Rule invalid(String field, String message) {
        return new Rule(HttpStatus.BAD_REQUEST, field, message);
    }
}
