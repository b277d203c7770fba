package io.employeemgmt.platform.observability;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Per request on the API port: accepts or creates the {@code X-Request-ID} and returns it, puts it in the MDC so every
 * log line of the request carries it, adds {@code X-Response-Time}, and writes one INFO access-log line with method,
 * route template, status and duration. Nothing else of the request is logged: no query string, headers or bodies,
 * so tokens and passwords cannot reach the log.
 *
 * <p>Runs just inside Spring's {@link ServerHttpObservationFilter}, so the trace and span ids are already in the MDC
 * and the route template is the same {@code uri} the {@code http_server_requests} metric uses.
 */
class RequestObservabilityFilter extends OncePerRequestFilter {

    static final String RESPONSE_TIME_HEADER = "X-Response-Time";
    static final String USER_ID_MDC_KEY = "userId";
    /** Request attribute where {@link UserIdInterceptor} leaves the user id for the access-log line. */
    static final String USER_ID_ATTRIBUTE = RequestObservabilityFilter.class.getName() + ".userId";

    private static final Logger accessLog = LoggerFactory.getLogger("io.employeemgmt.access");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        String requestId = RequestIds.acceptOrCreate(request.getHeader(RequestIds.HEADER));
        response.setHeader(RequestIds.HEADER, requestId);
        TimedResponse timed = new TimedResponse(response, start);
        MDC.put(RequestIds.MDC_KEY, requestId);
        int status = 500;
        try {
            chain.doFilter(request, timed);
            status = timed.getStatus();
        } finally {
            timed.stamp();
            long nanos = System.nanoTime() - start;
            logAccess(request, status, nanos);
            MDC.remove(RequestIds.MDC_KEY);
        }
    }

    private static void logAccess(HttpServletRequest request, int status, long nanos) {
        Object userId = request.getAttribute(USER_ID_ATTRIBUTE);
        if (userId != null) {
            MDC.put(USER_ID_MDC_KEY, userId.toString());
        }
        try {
            String route = route(request, status);
            long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
            accessLog
                    .atInfo()
                    .addKeyValue("http.request.method", request.getMethod())
                    .addKeyValue("http.route", route)
                    .addKeyValue("http.response.status_code", status)
                    .addKeyValue("event.duration", nanos)
                    .log("{} {} {} {}ms", request.getMethod(), route, status, millis);
        } finally {
            MDC.remove(USER_ID_MDC_KEY);
        }
    }

    /**
     * The route template, named exactly as the {@code uri} tag of {@code http_server_requests}: the matched path
     * pattern, otherwise NOT_FOUND, REDIRECTION or UNKNOWN. The raw path never appears (ids, e-mail addresses).
     */
    static String route(HttpServletRequest request, int status) {
        String pattern = ServerHttpObservationFilter.findObservationContext(request)
                .map(ServerRequestObservationContext::getPathPattern)
                .orElse(null);
        if (pattern == null
                && request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String p) {
            pattern = p;
        }
        if (pattern != null && !pattern.isEmpty()) {
            return pattern;
        }
        if (status == 404) {
            return "NOT_FOUND";
        }
        if (status >= 300 && status < 400) {
            return "REDIRECTION";
        }
        return "UNKNOWN";
    }

    static String formatDuration(long nanos) {
        return String.format(Locale.ROOT, "%.3fms", nanos / 1_000_000.0);
    }

    /** Sets {@code X-Response-Time} at the last moment headers can still change: when the body starts. */
    static final class TimedResponse extends HttpServletResponseWrapper {

        private final long start;
        private boolean stamped;

        TimedResponse(HttpServletResponse response, long start) {
            super(response);
            this.start = start;
        }

        void stamp() {
            if (!stamped && !isCommitted()) {
                setHeader(RESPONSE_TIME_HEADER, formatDuration(System.nanoTime() - start));
                stamped = true;
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            stamp();
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            stamp();
            return super.getWriter();
        }

        @Override
        public void flushBuffer() throws IOException {
            stamp();
            super.flushBuffer();
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            stamp();
            super.sendError(sc, msg);
        }

        @Override
        public void sendError(int sc) throws IOException {
            stamp();
            super.sendError(sc);
        }

        @Override
        public void sendRedirect(String location) throws IOException {
            stamp();
            super.sendRedirect(location);
        }
    }
}
