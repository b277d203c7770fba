package io.employeemgmt.platform;

import java.net.URI;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;

/**
 * The one vocabulary of failures: every RFC 9457 problem this service sends is built here, whether it is answered
 * by the MVC handler, the security filters, the {@code /error} dispatch or the servlet container's error valve.
 * {@link #infrastructure(Throwable)} decides, from the exception's cause chain, which failures are the database's
 * (unavailable, lock or statement timeout) rather than the request's, wherever they surface.
 */
public final class Problems {

    /** Seconds a client should wait before retrying a request that failed because the database is unavailable. */
    public static final int RETRY_AFTER_UNAVAILABLE = 5;

    /** Seconds to wait after a lock timeout: the lock holder usually finishes within that. */
    public static final int RETRY_AFTER_LOCKED = 1;

    private Problems() {}

    public static ProblemDetail problem(HttpStatusCode status, String detail, @Nullable String instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        if (instance != null) {
            problem.setInstance(safeInstance(instance));
        }
        return problem;
    }

    public static ProblemDetail problem(
            HttpStatusCode status, String detail, @Nullable String instance, List<ApiException.FieldProblem> errors) {
        ProblemDetail problem = problem(status, detail, instance);
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return problem;
    }

    /** A problem that also carries response headers (e.g. Retry-After). */
    public static ErrorResponse response(HttpStatusCode status, String detail, @Nullable String instance) {
        return new ErrorResponseException(status, problem(status, detail, instance), null);
    }

    /** 503 with Retry-After: a dependency cannot serve the request now, the request itself is fine. */
    public static ErrorResponseException unavailable(String detail, int retryAfterSeconds) {
        ErrorResponseException unavailable = new ErrorResponseException(
                HttpStatus.SERVICE_UNAVAILABLE, problem(HttpStatus.SERVICE_UNAVAILABLE, detail, null), null);
        unavailable.getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
        return unavailable;
    }

    /**
     * Failures of the database rather than of the request, found anywhere in the cause chain: unavailable or pool
     * exhausted and a connection lost mid-transaction (503, also when a failed rollback hides the original error), a
     * lock wait over the lock timeout (503, retry soon) and a statement over its statement timeout (504).
     *
     * @return the answer, or null when the failure is not one of these
     */
    // The one decision table from a cause chain to 503/504: kept whole so no failure is classified twice.
    @SuppressWarnings({"PMD.CognitiveComplexity", "PMD.CyclomaticComplexity"})
    public static @Nullable ErrorResponseException infrastructure(Throwable failure) {
        boolean connection = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TransactionSystemException system) {
                // A commit or rollback failed: the connection is gone. The error that made the transaction roll
                // back (hidden behind the failed rollback) says more, when there is one.
                ErrorResponseException original = system.getApplicationException() == null
                        ? null
                        : infrastructure(system.getApplicationException());
                return original != null
                        ? original
                        : unavailable("The database connection was lost; retry later", RETRY_AFTER_UNAVAILABLE);
            }
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                if ("55P03".equals(state)) {
                    return unavailable(
                            "The data is locked by another request for longer than allowed; retry shortly",
                            RETRY_AFTER_LOCKED);
                }
                if ("57014".equals(state)) {
                    ProblemDetail timeout = problem(
                            HttpStatus.GATEWAY_TIMEOUT,
                            "The database did not answer within the time allowed for this kind of request",
                            null);
                    return new ErrorResponseException(HttpStatus.GATEWAY_TIMEOUT, timeout, null);
                }
                if (state.startsWith("08")
                        || state.startsWith("57P")
                        || state.startsWith("53")
                        || sql instanceof SQLTransientConnectionException) {
                    connection = true;
                }
            }
            if (cause instanceof CannotGetJdbcConnectionException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessResourceException) {
                connection = true;
            }
            if (cause instanceof QueryTimeoutException) {
                return new ErrorResponseException(
                        HttpStatus.GATEWAY_TIMEOUT,
                        problem(HttpStatus.GATEWAY_TIMEOUT, "The database did not answer in time", null),
                        null);
            }
        }
        return connection ? unavailable("The database is unavailable; retry later", RETRY_AFTER_UNAVAILABLE) : null;
    }

    /** The request path as the problem's instance; a path that is no valid URI (the reason for a 400) is left out. */
    private static @Nullable URI safeInstance(String path) {
        String bounded = path.length() > 256 ? path.substring(0, 256) : path;
        try {
            return new URI(null, null, bounded, null);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
