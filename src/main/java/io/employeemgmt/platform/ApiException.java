package io.employeemgmt.platform;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A failure the client can act on. The global handler turns it into an RFC 9457 problem with this status,
 * detail and field errors; features throw the specific factories below instead of building responses.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final List<FieldProblem> fieldErrors;

    public ApiException(HttpStatus status, String detail, List<FieldProblem> fieldErrors) {
        super(detail);
        this.status = status;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    /** Keeps {@code cause} for the server log and traces; the client's problem answer never shows it. */
    public ApiException causedBy(Throwable cause) {
        initCause(cause);
        return this;
    }

    public static ApiException notFound(String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, detail, List.of());
    }

    /** 403: the caller's roles reach the route, but not this record, department or field. */
    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, detail, List.of());
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, detail, List.of());
    }

    public static ApiException preconditionFailed(String detail) {
        return new ApiException(HttpStatus.PRECONDITION_FAILED, detail, List.of());
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(
                HttpStatus.BAD_REQUEST,
                "Invalid value for '" + field + "': " + message,
                List.of(new FieldProblem(field, message)));
    }

    public static ApiException invalid(List<FieldProblem> problems) {
        String detail = "Validation failed: "
                + String.join(
                        "; ",
                        problems.stream()
                                .map(p -> p.field() + " " + p.message())
                                .toList());
        return new ApiException(HttpStatus.BAD_REQUEST, detail, problems);
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldProblem> fieldErrors() {
        return fieldErrors;
    }

    /** One rejected field or parameter: its name as the client sent it and why it was rejected. */
    public record FieldProblem(String field, String message) {}
}
