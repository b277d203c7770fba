package io.employeemgmt.auth;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/** Where a request came from, kept with a session for the user's and the administrator's information. */
record ClientInfo(@Nullable String ip, @Nullable String userAgent) {

    static final ClientInfo NONE = new ClientInfo(null, null);

    static ClientInfo of(HttpServletRequest request) {
        return new ClientInfo(
                truncate(request.getRemoteAddr(), 64), truncate(request.getHeader(HttpHeaders.USER_AGENT), 512));
    }

    private static @Nullable String truncate(@Nullable String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
