package io.employeemgmt.auth;

import io.employeemgmt.platform.ApiException;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;
import org.postgresql.util.PSQLException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;

/** Maps violations of the auth_users constraints to the field the client sent. */
final class UserConstraints {

    private UserConstraints() {}

    static <T> T translate(Supplier<T> write) {
        try {
            return write.get();
        } catch (DataIntegrityViolationException e) {
            ApiException translated = switch (constraint(e)) {
                case "auth_users_username_key" -> conflict("username", "a user with this username already exists");
                case "auth_users_email_key" -> conflict("email", "a user with this email already exists");
                case "auth_users_emp_no_key" ->
                    conflict("employeeNumber", "another user is already linked to this employee");
                case "auth_users_emp_no_fkey" ->
                    ApiException.badRequest("employeeNumber", "no employee with this" + " number exists");
                case "auth_users_email_check" -> ApiException.badRequest("email", "must be an email address");
                case "auth_users_username_check" ->
                    ApiException.badRequest(
                            "username", "may contain only letters," + " digits, '.', '_' and '-' (3 to 64 characters)");
                default -> null;
            };
            if (translated == null) {
                throw e;
            }
            throw translated.causedBy(e);
        }
    }

    private static ApiException conflict(String field, String message) {
        return new ApiException(
                HttpStatus.CONFLICT,
                "Invalid value for '" + field + "': " + message,
                List.of(new ApiException.FieldProblem(field, message)));
    }

    static void translate(Runnable write) {
        translate(() -> {
            write.run();
            return null;
        });
    }

    private static String constraint(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                String name = psql.getServerErrorMessage().getConstraint();
                return name == null ? "" : name;
            }
            if (cause instanceof SQLException sql && sql.getNextException() instanceof PSQLException next) {
                return constraint(next);
            }
        }
        return "";
    }
}
