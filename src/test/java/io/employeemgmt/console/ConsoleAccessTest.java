package io.employeemgmt.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiIntegrationTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The console's own filter chain, over HTTP without a browser: every console route but the sign-in page needs a
 * signed-in session, a form post needs its CSRF token, and the pages carry the strict Content-Security-Policy and a
 * session cookie scripts cannot read.
 */
class ConsoleAccessTest extends ApiIntegrationTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyConsoleRouteButSignInSendsAnAnonymousCallerToSignIn() throws Exception {
        List<String> open = new ArrayList<>();
        int checked = 0;
        for (var entry : mappings.getHandlerMethods().entrySet()) {
            for (String pattern : entry.getKey().getPatternValues()) {
                if (!pattern.startsWith("/console") || pattern.equals("/console/login")) {
                    continue;
                }
                String path = pattern.replaceAll("\\{action:[^}]*}", "edit")
                        .replaceAll("\\{empNo}", "10001")
                        .replaceAll("\\{deptNo}", "d005")
                        .replaceAll("\\{[^}]+}", "x");
                Set<RequestMethod> methods =
                        entry.getKey().getMethodsCondition().getMethods();
                for (RequestMethod method : methods) {
                    HttpResponse<String> response = send(method.name(), path);
                    String location = response.headers().firstValue("Location").orElse("");
                    boolean refused = (response.statusCode() == 302 && location.contains("/console/login"))
                            || response.statusCode() == 403;
                    if (!refused) {
                        open.add(method + " " + path + " -> " + response.statusCode());
                    }
                    checked++;
                }
            }
        }
        assertThat(open).as("console routes reachable without signing in").isEmpty();
        assertThat(checked).isGreaterThan(15);
    }

    @Test
    void theSignInPageHasAStrictContentSecurityPolicyAndAnHttpOnlySameSiteCookie() throws Exception {
        HttpResponse<String> page = send("GET", "/console/login");
        assertThat(page.statusCode()).isEqualTo(200);
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertThat(csp)
                .contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.headers().firstValue("Set-Cookie").orElse(""))
                .startsWith("console-session=")
                .contains("HttpOnly", "SameSite=Lax", "Path=/console");
        assertThat(page.body())
                .contains("name=\"_csrf\"")
                .doesNotContain("style=\"")
                .doesNotContain("<script>");
    }

    @Test
    void aSignInWithoutItsCsrfTokenIsRefused() throws Exception {
        HttpResponse<String> response = send("POST", "/console/login?username=admin&password=" + ADMIN_PASSWORD);
        assertThat(response.statusCode()).isIn(302, 403);
        assertThat(response.headers().firstValue("Set-Cookie").orElse("")).doesNotContain("JSESSIONID");
        assertThat(response.headers().firstValue("Location").orElse("")).doesNotContain("/console/employees");
    }
}
