package io.employeemgmt.platform;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Controller;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * problem+json for the failures that never reach a controller, so that the API is as consistent as its worst path:
 * <ul>
 *   <li>requests the Spring Security firewall rejects ({@code //}, {@code /../}, {@code ;}, {@code %252e}, ...): 400;
 *   <li>everything the servlet container sends to its error page ({@code sendError} from the container, from
 *       filters, an exception escaping the filter chain, methods no servlet serves): the {@code /error} controller
 *       below, with the same database classification as the MVC handler;
 *   <li>requests Tomcat rejects before any servlet runs (invalid URI characters, encoded slash or backslash, NUL,
 *       headers over the size limit): Tomcat's own error valve is replaced by one that writes problem+json.
 * </ul>
 * docs/operations/resilience.md lists the few cases where Tomcat answers before any of this Java code can run.
 */
@Configuration(proxyBeanMethods = false)
class ContainerErrors {

    private static final Logger log = LoggerFactory.getLogger(ContainerErrors.class);

    private static final java.util.Set<String> METHODS =
            java.util.Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    @Bean
    RequestRejectedHandler firewallRejections(ProblemWriter problems) {
        return (request, response, rejected) -> {
            log.info("Firewall rejected a request: {}", rejected.getMessage());
            if (!METHODS.contains(request.getMethod())) {
                response.setHeader(org.springframework.http.HttpHeaders.ALLOW, String.join(", ", METHODS));
                problems.write(
                        request,
                        response,
                        Problems.response(HttpStatus.METHOD_NOT_ALLOWED, describe(405, request), null));
                return;
            }
            problems.write(
                    request,
                    response,
                    Problems.response(
                            HttpStatus.BAD_REQUEST,
                            "The request path or a header is not acceptable (it contains a sequence such as //,"
                                    + " /../, ;, an encoded '%' or '.' or a control character)",
                            null));
        };
    }

    @Bean
    ProblemValveCustomizer problemErrorValve(ProblemWriter problems) {
        return new ProblemValveCustomizer(problems);
    }

    /** Runs after Boot's own customizer, which adds Tomcat's HTML error valve, and swaps that valve for ours. */
    static final class ProblemValveCustomizer
            implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        private final ProblemWriter problems;

        ProblemValveCustomizer(ProblemWriter problems) {
            this.problems = problems;
        }

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    for (Valve valve : host.getPipeline().getValves()) {
                        if (valve instanceof ErrorReportValve) {
                            host.getPipeline().removeValve(valve);
                        }
                    }
                    host.getPipeline().addValve(new ProblemErrorReportValve(problems));
                    // Else the host adds Tomcat's HTML valve at start, as it finds none of that class name.
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
        }

        @Override
        public int getOrder() {
            return LOWEST_PRECEDENCE;
        }
    }

    /** Replaces Boot's BasicErrorController (JSON or HTML in Boot's own shape) for every error dispatch. */
    @Controller
    static final class ProblemErrorController implements ErrorController {

        private final ProblemWriter problems;

        ProblemErrorController(ProblemWriter problems) {
            this.problems = problems;
        }

        @RequestMapping("${server.error.path:${error.path:/error}}")
        void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            int status = code instanceof Integer number ? number : HttpStatus.NOT_FOUND.value();
            Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
            ErrorResponse answer = failure instanceof Throwable thrown ? Problems.infrastructure(thrown) : null;
            if (answer == null) {
                if (failure instanceof Throwable thrown && status >= 500) {
                    log.error("Unhandled error outside the MVC handlers", thrown);
                }
                answer = Problems.response(HttpStatusCode.valueOf(status), describe(status, request), null);
            }
            problems.write(request, response, answer);
        }
    }

    /** Tomcat's error valve, writing problem+json instead of an HTML page. */
    static final class ProblemErrorReportValve extends ErrorReportValve {

        private final ProblemWriter problems;

        ProblemErrorReportValve(ProblemWriter problems) {
            this.problems = problems;
            setShowReport(false);
            setShowServerInfo(false);
        }

        @Override
        protected void report(Request request, Response response, @Nullable Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            try {
                response.setSuspended(false);
                response.resetBuffer(true);
                problems.write(
                        request.getRequest(),
                        response.getResponse(),
                        Problems.response(HttpStatusCode.valueOf(status), describe(status, null), null));
            } catch (IOException | IllegalStateException e) {
                log.debug("Could not write the error response", e);
            }
        }
    }

    // A flat table of the servlet container's statuses and their client-facing details.
    @SuppressWarnings("PMD.CyclomaticComplexity")
    static String describe(int status, @Nullable HttpServletRequest request) {
        String method = request == null ? "This method" : "Method " + request.getMethod();
        return switch (status) {
            case 400 -> "The request is malformed (request line, path, query string or headers)";
            case 401 -> "Authentication required";
            case 403 -> "Access denied";
            case 404 -> "No such resource";
            case 405 -> method + " is not supported on this resource";
            case 408 -> "The request was not received in time";
            case 411 -> "A Content-Length is required";
            case 413 -> "The request body is too large";
            case 414 -> "The request URI is too long";
            case 415 -> "Unsupported Content-Type";
            case 431 -> "The request headers are too large";
            case 501 -> method + " is not implemented";
            case 503 -> "The service is unavailable; retry later";
            case 505 -> "This HTTP version is not supported";
            default -> {
                HttpStatus known = HttpStatus.resolve(status);
                yield known == null ? "The request failed" : known.getReasonPhrase();
            }
        };
    }
}
