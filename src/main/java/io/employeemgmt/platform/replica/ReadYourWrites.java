package io.employeemgmt.platform.replica;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.postgresql.replication.LogSequenceNumber;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Remembers the primary's WAL position after a caller's last write, so that the caller's reads use only standbys
 * that have replayed it. The position reaches later requests two ways, both honoured by every instance:
 *
 * <ul>
 *   <li>returned to the client in the {@value #HEADER} response header and the {@value #COOKIE} cookie; a client
 *       that sends either back (browsers send the cookie by themselves) reads its writes on whichever instance the
 *       load balancer picks;
 *   <li>kept in memory per authenticated user (bounded, for {@code read-your-writes-window}), so a client that
 *       sends nothing back still reads its writes on the instance that took them.
 * </ul>
 *
 * After the window no standby in rotation can be missing the write any more (they lag less than {@code max-lag}),
 * which is why the window must exceed {@code max-lag + check-interval}. Work outside an HTTP request (start-up,
 * scheduled jobs) has no caller and reads from any standby in rotation.
 */
final class ReadYourWrites {

    static final String HEADER = "X-Last-Write-Lsn";
    static final String COOKIE = "last_write_lsn";

    /** Position recorded when the WAL position after a commit could not be read: read from the primary. */
    static final long UNKNOWN_POSITION = Long.MAX_VALUE;

    private static final String PRESENTED = ReadYourWrites.class.getName() + ".presented";
    private static final String WRITTEN = ReadYourWrites.class.getName() + ".written";

    private final Duration window;
    private final Cache<String, Long> bySubject;

    ReadYourWrites(Duration window) {
        this.window = window;
        this.bySubject = Caffeine.newBuilder()
                .expireAfterWrite(window)
                .maximumSize(100_000)
                .build();
    }

    /** The WAL position a standby must have replayed to serve the current caller; 0 when any standby will do. */
    long requiredPosition() {
        ServletRequestAttributes request = currentRequest();
        if (request == null) {
            return 0;
        }
        long required = Math.max(presented(request), attribute(request, WRITTEN));
        String subject = subject();
        if (subject != null) {
            Long remembered = bySubject.getIfPresent(subject);
            if (remembered != null) {
                required = Math.max(required, remembered);
            }
        }
        return required;
    }

    /** Called after a read-write transaction committed, with the primary's WAL position at that moment. */
    void written(long position) {
        String subject = subject();
        if (subject != null) {
            bySubject.asMap().merge(subject, position, Math::max);
        }
        ServletRequestAttributes request = currentRequest();
        if (request == null || position <= attribute(request, WRITTEN)) {
            return;
        }
        request.setAttribute(WRITTEN, position, RequestAttributes.SCOPE_REQUEST);
        HttpServletResponse response = request.getResponse();
        if (response == null || response.isCommitted()) {
            return;
        }
        String token = format(position);
        response.setHeader(HEADER, token);
        response.addHeader(
                HttpHeaders.SET_COOKIE,
                ResponseCookie.from(COOKIE, token)
                        .path("/")
                        .maxAge(window)
                        .httpOnly(true)
                        .secure(request.getRequest().isSecure())
                        .sameSite("Lax")
                        .build()
                        .toString());
    }

    static String format(long position) {
        return LogSequenceNumber.valueOf(position).asString();
    }

    /** What the client sent back (header or cookie), parsed once per request; garbage counts as nothing. */
    private static long presented(ServletRequestAttributes attributes) {
        Object cached = attributes.getAttribute(PRESENTED, RequestAttributes.SCOPE_REQUEST);
        if (cached instanceof Long value) {
            return value;
        }
        HttpServletRequest request = attributes.getRequest();
        long position = parse(request.getHeader(HEADER));
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (COOKIE.equals(cookie.getName())) {
                    position = Math.max(position, parse(cookie.getValue()));
                }
            }
        }
        attributes.setAttribute(PRESENTED, position, RequestAttributes.SCOPE_REQUEST);
        return position;
    }

    static long parse(@Nullable String token) {
        if (token == null || !token.matches("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}")) {
            return 0;
        }
        return LogSequenceNumber.valueOf(token).asLong();
    }

    private static long attribute(ServletRequestAttributes request, String name) {
        return request.getAttribute(name, RequestAttributes.SCOPE_REQUEST) instanceof Long value ? value : 0;
    }

    private static @Nullable ServletRequestAttributes currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet ? servlet : null;
    }

    private static @Nullable String subject() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null
                || authentication instanceof AnonymousAuthenticationToken
                || !authentication.isAuthenticated()) {
            return null;
        }
        return authentication.getName();
    }
}
