package io.employeemgmt.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into RFC 9457 {@code application/problem+json}: a useful {@code detail}, the request path as
 * {@code instance}, and {@code errors[]} naming each rejected field. Framework errors (405, 406, 415, 404 for unknown
 * routes) come from the base class; this class adds field errors and maps the domain and database failures.
 * Stack traces, SQL and exception class names never reach the client.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    /** How a field's expected type is named in error messages, by the Java type's simple name. */
    private static final Map<String, String> TYPE_DESCRIPTIONS = Map.ofEntries(
            Map.entry("LocalDate", "a date (yyyy-MM-dd)"),
            Map.entry("Instant", "a timestamp (ISO-8601)"),
            Map.entry("OffsetDateTime", "a timestamp (ISO-8601)"),
            Map.entry("Integer", "a whole number"),
            Map.entry("int", "a whole number"),
            Map.entry("Long", "a whole number"),
            Map.entry("long", "a whole number"),
            Map.entry("BigDecimal", "a number"),
            Map.entry("Double", "a number"),
            Map.entry("double", "a number"),
            Map.entry("Boolean", "true or false"),
            Map.entry("boolean", "true or false"),
            Map.entry("String", "a string"),
            Map.entry("UUID", "a UUID"));

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> handleIntegrity(DataIntegrityViolationException exception, WebRequest request) {
        ApiException translated = DatabaseConstraints.translate(exception);
        log.info("Constraint rejected a write: {}", translated.getMessage());
        return handleErrorResponseException(translated, translated.getHeaders(), translated.getStatusCode(), request);
    }

    /** The firewall checks some parts (parameter names) only when they are read, inside the controller's binding. */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<Object> handleRejected(RequestRejectedException exception, WebRequest request) {
        return problem(
                HttpStatus.BAD_REQUEST,
                "The request contains a parameter or header name that is not acceptable",
                List.of(),
                request);
    }

    /** Concurrent writers that the database serialised (deadlock victim, serialization failure): retry. */
    @ExceptionHandler(ConcurrencyFailureException.class)
    ResponseEntity<Object> handleConcurrency(ConcurrencyFailureException exception, WebRequest request) {
        ErrorResponseException infrastructure = Problems.infrastructure(exception);
        if (infrastructure != null) {
            return infrastructure(infrastructure, exception, request);
        }
        return problem(
                HttpStatus.CONFLICT, "The record is being changed by another request; retry", List.of(), request);
    }

    /** Bean validation outside the MVC binding (e.g. on service methods). */
    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> handleConstraintViolation(ConstraintViolationException exception, WebRequest request) {
        List<ApiException.FieldProblem> errors = exception.getConstraintViolations().stream()
                .map(violation -> {
                    String path = violation.getPropertyPath().toString();
                    return new ApiException.FieldProblem(
                            path.substring(path.lastIndexOf('.') + 1), violation.getMessage());
                })
                .toList();
        return validationProblem(errors, request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> handleArgumentType(MethodArgumentTypeMismatchException exception, WebRequest request) {
        String expected =
                exception.getRequiredType() == null ? "a valid value" : describeType(exception.getRequiredType());
        return fieldProblem(exception.getName(), "must be " + expected, request);
    }

    /**
     * Everything else: the database's failures (unavailable, connection lost mid-transaction, lock or statement
     * timeout) get their 503/504, anything unknown a 500 without internals.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception exception, WebRequest request) {
        ErrorResponseException infrastructure = Problems.infrastructure(exception);
        if (infrastructure != null) {
            return infrastructure(infrastructure, exception, request);
        }
        log.error("Unhandled error", exception);
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "An unexpected error occurred; it has been logged",
                List.of(),
                request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException exception, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return bindingProblem(exception, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException exception,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        List<ApiException.FieldProblem> errors = new ArrayList<>();
        exception.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            result.getResolvableErrors().forEach(error -> {
                String field = error instanceof FieldError fieldError ? fieldError.getField() : name;
                errors.add(new ApiException.FieldProblem(field, message(error)));
            });
        });
        return validationProblem(errors, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException exception,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        return fieldProblem(exception.getParameterName(), "is required", request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException exception, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        JacksonException jackson = findCause(exception, JacksonException.class);
        if (jackson == null) {
            return problem(HttpStatus.BAD_REQUEST, "The request body is missing or unreadable", List.of(), request);
        }
        return jsonProblem(jackson, request);
    }

    /** Also used for bodies mapped by hand (merge patches), so both paths report the same way. */
    @ExceptionHandler(JacksonException.class)
    ResponseEntity<Object> jsonProblem(JacksonException exception, WebRequest request) {
        if (exception instanceof StreamReadException) {
            return problem(HttpStatus.BAD_REQUEST, "The request body is not valid JSON", List.of(), request);
        }
        String field = jsonPath(exception);
        String message = switch (exception) {
            case UnrecognizedPropertyException unknown -> "is not a known field";
            case InvalidNullException missing -> "must not be null";
            case InvalidFormatException invalid -> "must be " + describeType(invalid.getTargetType());
            case MismatchedInputException mismatched
            when mismatched.getTargetType() != null -> "must be " + describeType(mismatched.getTargetType());
            default -> "has an invalid value";
        };
        if (field.isEmpty()) {
            return problem(HttpStatus.BAD_REQUEST, "The request body has the wrong shape", List.of(), request);
        }
        return fieldProblem(field, message, request);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(
            @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getInstance() == null) {
            problem.setInstance(instance(request));
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private ResponseEntity<Object> infrastructure(
            ErrorResponseException answer, Exception exception, WebRequest request) {
        log.warn("Database failure answered {}: {}", answer.getStatusCode().value(), exception.toString());
        return handleErrorResponseException(answer, answer.getHeaders(), answer.getStatusCode(), request);
    }

    private ResponseEntity<Object> bindingProblem(BindException exception, WebRequest request) {
        List<ApiException.FieldProblem> errors = new ArrayList<>();
        exception
                .getFieldErrors()
                .forEach(error -> errors.add(new ApiException.FieldProblem(
                        error.getField(),
                        error.isBindingFailure()
                                ? "has an invalid value '" + error.getRejectedValue() + "'"
                                : message(error))));
        exception
                .getGlobalErrors()
                .forEach(error -> errors.add(new ApiException.FieldProblem(error.getObjectName(), message(error))));
        return validationProblem(errors, request);
    }

    private ResponseEntity<Object> validationProblem(List<ApiException.FieldProblem> errors, WebRequest request) {
        List<ApiException.FieldProblem> sorted = errors.stream()
                .sorted(Comparator.comparing(ApiException.FieldProblem::field))
                .toList();
        String detail = "Validation failed: "
                + sorted.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
        return problem(HttpStatus.BAD_REQUEST, detail, sorted, request);
    }

    private ResponseEntity<Object> fieldProblem(String field, String message, WebRequest request) {
        return problem(
                HttpStatus.BAD_REQUEST,
                "Invalid value for '" + field + "': " + message,
                List.of(new ApiException.FieldProblem(field, message)),
                request);
    }

    private ResponseEntity<Object> problem(
            HttpStatus status, String detail, List<ApiException.FieldProblem> errors, WebRequest request) {
        ProblemDetail problem = Problems.problem(status, detail, null, errors);
        problem.setInstance(instance(request));
        return createResponseEntity(problem, new HttpHeaders(), status, request);
    }

    private static String message(MessageSourceResolvable error) {
        return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
    }

    private static URI instance(WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            HttpServletRequest http = servlet.getRequest();
            return URI.create(http.getRequestURI());
        }
        return null;
    }

    private static String jsonPath(JacksonException exception) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : exception.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describeType(Class<?> type) {
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return "one of "
                    + java.util.Arrays.stream(constants).map(String::valueOf).collect(Collectors.joining(", "));
        }
        return TYPE_DESCRIPTIONS.getOrDefault(type.getSimpleName(), "a valid " + type.getSimpleName());
    }

    private static <T extends Throwable> T findCause(Throwable exception, Class<T> type) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
