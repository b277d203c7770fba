package io.employeemgmt.platform;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@link Problems} answer straight to the servlet response, for code that runs outside Spring MVC (security
 * filters, the {@code /error} dispatch, the container's error valve, request checks before dispatch). The body is
 * the same JSON the MVC handler writes, and no content negotiation is involved, so even a request with an
 * unparseable Accept header gets problem+json.
 */
@Component
public final class ProblemWriter {

    private final JsonMapper json;

    public ProblemWriter(JsonMapper json) {
        this.json = json.rebuild()
                .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
                .build();
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ErrorResponse error)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        ProblemDetail body = error.getBody();
        if (body.getInstance() == null) {
            // On the /error dispatch the path the client asked for is the forward's original request URI.
            Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            String path = original instanceof String uri ? uri : request.getRequestURI();
            if (path != null) {
                body.setInstance(
                        Problems.problem(error.getStatusCode(), "", path).getInstance());
            }
        }
        response.resetBuffer();
        response.setStatus(error.getStatusCode().value());
        error.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        byte[] bytes = json.writeValueAsBytes(body);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }
}
