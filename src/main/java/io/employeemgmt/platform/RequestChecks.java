package io.employeemgmt.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Rejects, before any other filter, requests whose envelope this service cannot interpret, with the status a
 * client can act on - instead of failing later inside a filter or a controller with a 500:
 * <ul>
 *   <li>a query string or form body that cannot be decoded (malformed percent-encoding, invalid UTF-8) or has more
 *       parameters than the container accepts (1,000): 400;
 *   <li>parameter names in bracket syntax ({@code page[a]=1}): 400, no parameter of this API has one;
 *   <li>parameter values with control characters or leading or trailing whitespace (Spring would trim
 *       {@code ACTIVE%20} or {@code ACTIVE%00} into a valid enum name): 400;
 *   <li>header values with bytes outside visible ASCII (HTTP allows them as opaque data, but this API defines no
 *       header that may carry them): 400;
 *   <li>an {@code Accept} header that is no list of media types: 406;
 *   <li>a {@code Content-Type} that is no media type or a wildcard such as {@code *}{@code /*}: 415.
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestChecks extends OncePerRequestFilter {

    /** Tomcat sets this attribute when it skipped parameters it could not parse. */
    private static final String PARAMETER_PARSE_FAILED = "org.apache.catalina.parameter_parse_failed";

    private final ProblemWriter problems;

    RequestChecks(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String rejection = headerProblem(request);
        HttpStatus status = HttpStatus.BAD_REQUEST;
        if (rejection == null) {
            rejection = acceptProblem(request);
            status = HttpStatus.NOT_ACCEPTABLE;
        }
        if (rejection == null) {
            rejection = contentTypeProblem(request);
            status = HttpStatus.UNSUPPORTED_MEDIA_TYPE;
        }
        if (rejection == null) {
            rejection = parameterProblem(request);
            status = HttpStatus.BAD_REQUEST;
        }
        if (rejection != null) {
            problems.write(request, response, Problems.response(status, rejection, null));
            return;
        }
        chain.doFilter(request, response);
    }

    private static @Nullable String headerProblem(HttpServletRequest request) {
        for (String name : Collections.list(request.getHeaderNames())) {
            Enumeration<String> values = request.getHeaders(name);
            while (values.hasMoreElements()) {
                String value = values.nextElement();
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if ((c < 0x20 && c != '\t') || c > 0x7e) {
                        return "Header '" + printable(name) + "' contains a character outside visible ASCII";
                    }
                }
            }
        }
        return null;
    }

    private static @Nullable String acceptProblem(HttpServletRequest request) {
        for (String accept : Collections.list(request.getHeaders(HttpHeaders.ACCEPT))) {
            try {
                MediaType.parseMediaTypes(accept);
            } catch (InvalidMediaTypeException e) {
                return "The Accept header is not a list of media types; this API answers application/json and"
                        + " application/problem+json";
            }
        }
        return null;
    }

    private static @Nullable String contentTypeProblem(HttpServletRequest request) {
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null) {
            return null;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                return "Content-Type must name one media type (such as application/json), not a wildcard";
            }
            return null;
        } catch (InvalidMediaTypeException e) {
            return "The Content-Type header is not a media type";
        }
    }

    private static @Nullable String parameterProblem(HttpServletRequest request) {
        try {
            for (var parameter : request.getParameterMap().entrySet()) {
                String name = parameter.getKey();
                if (name.chars().anyMatch(Character::isISOControl)) {
                    return "A parameter name contains control characters";
                }
                if (name.indexOf('[') >= 0 || name.indexOf(']') >= 0) {
                    return "Parameter '" + printable(name) + "' uses bracket syntax, which this API does not"
                            + " support; send plain names such as page=1";
                }
                for (String value : parameter.getValue()) {
                    if (!value.equals(value.strip()) || value.chars().anyMatch(Character::isISOControl)) {
                        return "Parameter '" + printable(name) + "' has control characters or leading or trailing"
                                + " whitespace";
                    }
                }
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            return undecodable();
        }
        return request.getAttribute(PARAMETER_PARSE_FAILED) != null ? undecodable() : null;
    }

    private static String undecodable() {
        return "The query string or form body cannot be decoded: malformed percent-encoding, invalid UTF-8 or more"
                + " than 1,000 parameters";
    }

    private static String printable(String text) {
        String ascii = text.replaceAll("[^\\x21-\\x7e]", "?");
        return ascii.length() > 64 ? ascii.substring(0, 64) + "..." : ascii;
    }
}
