package io.employeemgmt.platform;

import io.employeemgmt.platform.security.AuthenticatedUser;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Retry-safe writes: a POST in {@link #ROUTES} carrying {@code Idempotency-Key} runs in one transaction with the
 * key. The key's row is inserted first (a concurrent request with the same key waits on it), the request runs,
 * and a 2xx outcome (status, Location, ETag, body) is stored with the key before the transaction commits - so a
 * key is either unused or answered, never half-done. A replay of the same request gets the stored answer
 * ({@code Idempotent-Replayed: true}) and creates nothing; the same key with a different method, path or body is
 * 422. A failed request (4xx/5xx) stores nothing and rolls back with its writes, so it may be retried with the same
 * key. Keys belong to the authenticated user and expire after {@code employee-mgmt.idempotency.ttl} (24 h).
 */
@Component
public class IdempotentRequests extends OncePerRequestFilter {

    public static final String HEADER = "Idempotency-Key";

    public static final String REPLAYED = "Idempotent-Replayed";

    /** The POSTs that create or change things, as OpenAPI path templates (OpenApiConfig documents the header). */
    public static final List<String> ROUTES = List.of(
            "/api/v1/employees",
            "/api/v1/employees/{empNo}/transfers",
            "/api/v1/employees/{empNo}/promotions",
            "/api/v1/employees/{empNo}/salary-changes",
            "/api/v1/departments",
            "/api/v1/salaries");

    private static final Logger log = LoggerFactory.getLogger(IdempotentRequests.class);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    private static final List<PathPattern> PATTERNS = ROUTES.stream()
            .map(route -> PathPatternParser.defaultInstance.parse(route))
            .toList();

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ProblemWriter problems;
    private final Duration ttl;

    IdempotentRequests(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            ProblemWriter problems,
            @Value("${employee-mgmt.idempotency.ttl:24h}") Duration ttl) {
        this.jdbc = jdbc;
        DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
        definition.setName(IdempotentRequests.class.getName());
        this.transactions = new TransactionTemplate(transactionManager, definition);
        this.problems = problems;
        this.ttl = ttl;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null) {
            return true;
        }
        var path = org.springframework.http.server.PathContainer.parsePath(request.getRequestURI());
        return PATTERNS.stream().noneMatch(pattern -> pattern.matches(path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (!KEY.matcher(key).matches()) {
            problems.write(
                    request,
                    response,
                    Problems.response(
                            HttpStatus.BAD_REQUEST,
                            HEADER + " must be 1 to 255 visible ASCII characters (a UUID is a good choice)",
                            null));
            return;
        }
        String owner = owner();
        if (owner == null) {
            // Not authenticated: the security filters have answered already; nothing to remember.
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        byte[] hash = hash(request, body);
        ContentCachingResponseWrapper buffered = new ContentCachingResponseWrapper(response);
        Outcome outcome;
        try {
            outcome = transactions.execute(status -> {
                try {
                    return run(key, owner, hash, request, body, buffered, chain, status);
                } catch (IOException | ServletException e) {
                    throw new WrappedFailure(e);
                }
            });
        } catch (WrappedFailure e) {
            // The wrapper only carried the original through the callback: rethrow that very exception.
            if (e.getCause() instanceof ServletException servlet) {
                throw servlet; // NOPMD - PreserveStackTrace: this is the original exception
            }
            throw (IOException) e.getCause(); // NOPMD - PreserveStackTrace: this is the original exception
        } catch (RuntimeException e) {
            // The commit (or the key's insert) failed: whatever the request produced must not reach the client.
            ErrorResponse answer = Problems.infrastructure(e);
            if (answer == null) {
                throw e;
            }
            buffered.resetBuffer();
            response.reset();
            problems.write(request, response, answer);
            return;
        }
        if (outcome instanceof Outcome.Replay replay) {
            writeReplay(replay, response);
            return;
        }
        if (outcome instanceof Outcome.Mismatch) {
            problems.write(
                    request,
                    response,
                    Problems.response(
                            HttpStatus.UNPROCESSABLE_CONTENT,
                            HEADER + " '" + key + "' was already used for a different request (method, path or"
                                    + " body); use a new key for a new request",
                            null));
            return;
        }
        buffered.copyBodyToResponse();
    }

    private Outcome run(
            String key,
            String owner,
            byte[] hash,
            HttpServletRequest request,
            byte[] body,
            ContentCachingResponseWrapper buffered,
            FilterChain chain,
            org.springframework.transaction.TransactionStatus status)
            throws IOException, ServletException {
        jdbc.sql("DELETE FROM idempotency_keys WHERE owner = :owner AND idempotency_key = :key AND expires_at <= now()")
                .param("owner", owner)
                .param("key", key)
                .update();
        int inserted = jdbc.sql("INSERT INTO idempotency_keys (owner, idempotency_key, method, path, request_hash,"
                        + " expires_at) VALUES (:owner, :key, :method, :path, :hash, now() + make_interval(secs =>"
                        + " :ttl)) ON CONFLICT (owner, idempotency_key) DO NOTHING")
                .param("owner", owner)
                .param("key", key)
                .param("method", request.getMethod())
                .param("path", truncate(request.getRequestURI(), 512))
                .param("hash", hash)
                .param("ttl", ttl.toSeconds())
                .update();
        if (inserted == 0) {
            Optional<Outcome.Replay> stored = jdbc.sql("SELECT request_hash, status, content_type, location, etag,"
                            + " body FROM idempotency_keys WHERE owner = :owner AND idempotency_key = :key")
                    .param("owner", owner)
                    .param("key", key)
                    .query((rows, n) -> new Outcome.Replay(
                            rows.getBytes("request_hash"),
                            rows.getInt("status"),
                            rows.getString("content_type"),
                            rows.getString("location"),
                            rows.getString("etag"),
                            rows.getBytes("body")))
                    .optional();
            if (stored.isEmpty()) {
                // Purged between the insert and the read: unlikely, and a retry will find the key free.
                return new Outcome.Mismatch();
            }
            return MessageDigest.isEqual(stored.get().requestHash(), hash) ? stored.get() : new Outcome.Mismatch();
        }
        chain.doFilter(new BufferedBodyRequest(request, body), buffered);
        int answered = buffered.getStatus();
        if (answered < 200 || answered > 299 || status.isRollbackOnly()) {
            status.setRollbackOnly();
            return new Outcome.Executed();
        }
        jdbc.sql("UPDATE idempotency_keys SET status = :status, content_type = :type, location = :location,"
                        + " etag = :etag, body = :body WHERE owner = :owner AND idempotency_key = :key")
                .param("status", answered)
                .param("type", buffered.getContentType())
                .param("location", buffered.getHeader(HttpHeaders.LOCATION))
                .param("etag", buffered.getHeader(HttpHeaders.ETAG))
                .param("body", buffered.getContentAsByteArray())
                .param("owner", owner)
                .param("key", key)
                .update();
        return new Outcome.Executed();
    }

    private static void writeReplay(Outcome.Replay replay, HttpServletResponse response) throws IOException {
        response.setStatus(replay.status());
        response.setHeader(REPLAYED, "true");
        if (replay.contentType() != null) {
            response.setContentType(replay.contentType());
        }
        if (replay.location() != null) {
            response.setHeader(HttpHeaders.LOCATION, replay.location());
        }
        if (replay.etag() != null) {
            response.setHeader(HttpHeaders.ETAG, replay.etag());
        }
        byte[] body = replay.body() == null ? new byte[0] : replay.body();
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Expired keys are deleted hourly; an expired key is also free for reuse before that. */
    @Scheduled(
            fixedDelayString = "${employee-mgmt.idempotency.purge-interval:1h}",
            initialDelayString = "${employee-mgmt.idempotency.purge-interval:1h}")
    public void purgeExpired() {
        int purged = jdbc.sql("DELETE FROM idempotency_keys WHERE expires_at <= now()")
                .update();
        if (purged > 0) {
            log.info("Purged {} expired idempotency keys", purged);
        }
    }

    private static @Nullable String owner() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof AuthenticatedUser user) {
            return user.id().toString();
        }
        return null;
    }

    private static byte[] hash(HttpServletRequest request, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((request.getMethod() + " " + request.getRequestURI() + "?"
                            + (request.getQueryString() == null ? "" : request.getQueryString()) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static String truncate(String text, int length) {
        return text.length() > length ? text.substring(0, length) : text;
    }

    private sealed interface Outcome {
        record Executed() implements Outcome {}

        record Mismatch() implements Outcome {}

        // equals and hashCode below compare the arrays' contents, which is what the rule is about.
        @SuppressWarnings("ArrayRecordComponent")
        record Replay(
                byte[] requestHash,
                int status,
                @Nullable String contentType,
                @Nullable String location,
                @Nullable String etag,
                byte @Nullable [] body)
                implements Outcome {

            @Override
            public boolean equals(Object other) {
                return other instanceof Replay replay
                        && status == replay.status
                        && Arrays.equals(requestHash, replay.requestHash)
                        && Arrays.equals(body, replay.body);
            }

            @Override
            public int hashCode() {
                return 31 * Arrays.hashCode(requestHash) + status;
            }

            @Override
            public String toString() {
                return "Replay[" + status + "]";
            }
        }
    }

    private static final class WrappedFailure extends RuntimeException {
        WrappedFailure(Exception cause) {
            super(cause);
        }
    }

    /** The request with its body already read (for the hash), readable again by the controller. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
