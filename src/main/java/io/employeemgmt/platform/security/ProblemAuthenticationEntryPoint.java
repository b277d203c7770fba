package io.employeemgmt.platform.security;

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
 * When the token could not be checked because the database is unavailable the answer is 503, like every other
 * request that needs the database.
 */
public final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private static final Logger log = LoggerFactory.getLogger(ProblemAuthenticationEntryPoint.class);
    private static final String DECODE_PREFIX = "An error occurred while attempting to decode the Jwt: ";

    private final SecurityProblems problems;

    public ProblemAuthenticationEntryPoint(SecurityProblems problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (failure instanceof AuthenticationServiceException) {
            log.error("Could not check an access token", failure);
            problems.write(
                    request,
                    response,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "The access token could not be checked right now; retry later");
            return;
        }
        if (failure instanceof OAuth2AuthenticationException oauth) {
            String reason = describe(oauth);
            response.setHeader(
                    HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer error=\"invalid_token\", error_description=\"" + reason.replace("\"", "'") + "\"");
            problems.write(request, response, HttpStatus.UNAUTHORIZED, "Invalid access token: " + reason);
            return;
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        problems.write(
                request,
                response,
                HttpStatus.UNAUTHORIZED,
                "Authentication required: send 'Authorization: Bearer <access token>' (POST /api/v1/auth/login"
                        + " issues one)");
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
