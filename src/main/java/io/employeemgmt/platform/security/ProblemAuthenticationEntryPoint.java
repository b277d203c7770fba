package io.employeemgmt.platform.security;

import io.employeemgmt.platform.ProblemWriter;
import io.employeemgmt.platform.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 for a missing or rejected access token, as problem+json with an RFC 6750 {@code WWW-Authenticate} challenge.
 * When the token could not be checked because the database is unavailable the answer is 503 with Retry-After, like
 * every other request that needs the database. Bodies come from {@link Problems}, as everywhere else.
 */
public final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private static final Logger log = LoggerFactory.getLogger(ProblemAuthenticationEntryPoint.class);
    private static final String DECODE_PREFIX = "An error occurred while attempting to decode the Jwt: ";

    private final ProblemWriter problems;

    public ProblemAuthenticationEntryPoint(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (failure instanceof AuthenticationServiceException) {
            log.warn("Could not check an access token: {}", String.valueOf(failure.getCause()));
            var answer = Problems.infrastructure(failure);
            problems.write(
                    request,
                    response,
                    answer != null && answer.getStatusCode().value() != HttpStatus.SERVICE_UNAVAILABLE.value()
                            ? answer
                            : Problems.unavailable(
                                    "The access token could not be checked right now; retry later",
                                    Problems.RETRY_AFTER_UNAVAILABLE));
            return;
        }
        if (failure instanceof OAuth2AuthenticationException oauth) {
            String reason = describe(oauth);
            response.setHeader(
                    HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer error=\"invalid_token\", error_description=\"" + reason.replace("\"", "'") + "\"");
            problems.write(
                    request,
                    response,
                    Problems.response(HttpStatus.UNAUTHORIZED, "Invalid access token: " + reason, null));
            return;
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        problems.write(
                request,
                response,
                Problems.response(
                        HttpStatus.UNAUTHORIZED,
                        "Authentication required: send 'Authorization: Bearer <access token>' (POST /api/v1/auth/login"
                                + " issues one)",
                        null));
    }

    private static String describe(OAuth2AuthenticationException failure) {
        String description = failure.getError().getDescription();
        if (description == null || description.isBlank()) {
            description = failure.getMessage();
        }
        if (description == null || description.isBlank()) {
            return "the token was rejected";
        }
        if (description.startsWith(DECODE_PREFIX)) {
            description = description.substring(DECODE_PREFIX.length());
        }
        // Nimbus and Spring describe what failed (signature, algorithm, expiry, audience); never the token itself.
        return description.length() > 200 ? description.substring(0, 200) : description;
    }
}
