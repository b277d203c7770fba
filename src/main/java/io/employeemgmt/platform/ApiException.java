package io.employeemgmt.platform;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A failure the client can act on: a Spring {@link org.springframework.web.ErrorResponse} whose RFC 9457 body
 * (built by {@link Problems}) has this status, detail and field errors. Features throw the specific factories below
 * instead of building responses.
 */
public class ApiException extends ErrorResponseException {

    private final HttpStatus status;
    private final String detail;
    private final List<FieldProblem> fieldErrors;

    public ApiException(HttpStatus status, String detail, List<FieldProblem> fieldErrors) {
        this(status, detail, fieldErrors, null);
    }

    private ApiException(HttpStatus status, String detail, List<FieldProblem> fieldErrors, Throwable cause) {
        super(status, Problems.problem(status, detail, null, fieldErrors), cause);
        this.status = status;
        this.detail = detail;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    /** 428: the operation changes a resource only under a precondition, and the request sent none. */
    public static ApiException preconditionRequired(String detail) {
        return new ApiException(HttpStatus.PRECONDITION_REQUIRED, detail, List.of());
    }

    /**
     * The same failure with {@code cause} kept for the server log and traces; the client's problem answer never
     * shows it. (ErrorResponseException fixes its cause in the constructor, so this is a new instance.)
     */
    public ApiException causedBy(Throwable cause) {
        return new ApiException(status, detail, fieldErrors, cause);
    }

    @Override
    public String getMessage() {
        return detail;
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
