package io.employeemgmt.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiClient;
import io.employeemgmt.support.ApiIntegrationTest;
import io.employeemgmt.support.ApiTestBase;
import io.employeemgmt.support.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests no well-behaved client sends, over a raw socket: every one gets application/problem+json with the 4xx
 * that names the problem, within 5 s, and never a 5xx, an HTML page or Boot's default error JSON.
 */
class HostileInputTest extends ApiTestBase {

    private static final long BOUND_MILLIS = 5_000;

    @LocalServerPort
    int serverPort;

    private String token;

    @BeforeEach
    void token() {
        ApiClient.Response login = new ApiClient(serverPort)
                .post(
                        "/api/v1/auth/login",
                        Map.of("username", ApiIntegrationTest.ADMIN, "password", ApiIntegrationTest.ADMIN_PASSWORD));
        token = login.json().path("accessToken").asString();
    }

    @SuppressWarnings("ArrayRecordComponent") // a test case never compared or hashed
    private record Case(String name, int status, byte[] request) {}

    private Case get(String name, int status, String target, String... headers) {
        return raw(name, status, "GET " + target + " HTTP/1.1", headers);
    }

    private Case raw(String name, int status, String requestLine, String... headers) {
        StringBuilder text = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\n");
        text.append("Authorization: Bearer ").append(token).append("\r\n");
        for (String header : headers) {
            text.append(header).append("\r\n");
        }
        text.append("Connection: close\r\n\r\n");
        if (requestLine.startsWith("POST")) {
            text.append("{}");
        }
        return new Case(name, status, text.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyMalformedRequestGetsAProblemWithTheRight4xxInBoundedTime() {
        List<Case> cases = new ArrayList<>();
        // Query strings the container cannot decode.
        cases.add(get("truncated UTF-8 in a value", 400, "/api/v1/employees?title=%e2%82"));
        cases.add(get("bad percent-encoding", 400, "/api/v1/employees?cursor=%%%"));
        cases.add(get("surrogate as UTF-8", 400, "/api/v1/employees?size=%ED%A0%80"));
        cases.add(get("bad percent-encoding in a name", 400, "/api/v1/employees?%zz=1"));
        String many = IntStream.range(0, 1001).mapToObj(i -> "p" + i + "=1").collect(Collectors.joining("&"));
        cases.add(get("over 1,000 parameters", 400, "/api/v1/employees?" + many));
        cases.add(get("bracket syntax on page", 400, "/api/v1/employees?page[a]=1"));
        cases.add(get("bracket syntax on sort", 400, "/api/v1/employees?sort[a]=lastName"));
        // Headers.
        String emoji = new String(utf8("X-Request-ID: abc\uD83D\uDE00"), StandardCharsets.ISO_8859_1);
        cases.add(get("emoji in X-Request-ID on a paged list", 400, "/api/v1/employees", emoji));
        cases.add(get("emoji in X-Request-ID on departments", 400, "/api/v1/departments", emoji));
        cases.add(get("malformed Accept", 406, "/api/v1/employees", "Accept: not a media type;;"));
        cases.add(raw(
                "wildcard Content-Type on a POST",
                415,
                "POST /api/v1/departments HTTP/1.1",
                "Content-Type: */*",
                "Content-Length: 2"));
        cases.add(get("header over the size limit", 400, "/api/v1/employees", "X-Big: " + "a".repeat(20_000)));
        cases.add(get("huge query string", 400, "/api/v1/employees?q=" + "a".repeat(20_000)));
        // Values the schema does not allow.
        cases.add(get("extreme year", 400, "/api/v1/analytics/employee-trends?to=-999999999-01-01"));
        cases.add(get("five-digit year", 400, "/api/v1/analytics/employee-trends?to=10000-01-01"));
        cases.add(get("hex path id", 400, "/api/v1/salaries/0x10"));
        cases.add(get("signed path id", 400, "/api/v1/salaries/+16"));
        cases.add(get("negative path id", 400, "/api/v1/employees/-10001"));
        cases.add(get("full-width digits", 400, "/api/v1/salaries/%EF%BC%91%EF%BC%96"));
        cases.add(get("enum with a trailing space", 400, "/api/v1/employees?status=ACTIVE%20"));
        cases.add(get("enum with a trailing NUL", 400, "/api/v1/employees?status=ACTIVE%00"));
        cases.add(get("enum in lower case", 400, "/api/v1/employees?status=active"));
        // Paths the container or the firewall refuses.
        cases.add(get("double slash", 400, "//api/v1/employees"));
        cases.add(get("dot-dot segment", 400, "/api/v1/../api/v1/employees"));
        cases.add(get("semicolon", 400, "/api/v1/employees;jsessionid=1"));
        cases.add(get("double-encoded dot", 400, "/api/v1/%252e%252e/employees"));
        cases.add(get("encoded slash", 400, "/api/v1/employees%2F10001"));
        cases.add(get("encoded backslash", 400, "/api/v1/employees%5C10001"));
        cases.add(get("encoded NUL", 400, "/api/v1/employees%00"));
        // Methods and protocol.
        cases.add(raw("TRACE", 405, "TRACE /api/v1/employees HTTP/1.1"));
        cases.add(raw("PROPFIND", 405, "PROPFIND /api/v1/employees HTTP/1.1"));
        cases.add(raw("FOO", 405, "FOO /api/v1/employees HTTP/1.1"));
        cases.add(
                raw("unknown transfer encoding", 501, "POST /api/v1/departments HTTP/1.1", "Transfer-Encoding: gzip"));

        SoftAssertions soft = new SoftAssertions();
        for (Case c : cases) {
            RawHttp.Response response = RawHttp.send(serverPort, c.request());
            soft.assertThat(response.status()).as("%s: %s", c.name(), response).isEqualTo(c.status());
            soft.assertThat(response.contentType())
                    .as("%s: %s", c.name(), response)
                    .startsWith("application/problem+json");
            soft.assertThat(response.millis()).as("%s took", c.name()).isLessThan(BOUND_MILLIS);
            if (response.contentType().startsWith("application/problem+json")) {
                var body = JsonMapper.builder().build().readTree(response.body());
                soft.assertThat(body.path("status").asInt()).as(c.name()).isEqualTo(c.status());
                soft.assertThat(body.path("detail").asString()).as(c.name()).isNotBlank();
                soft.assertThat(response.body())
                        .as(c.name())
                        .doesNotContain("Exception")
                        .doesNotContain("\tat ");
            }
        }
        soft.assertAll();
    }

    @Test
    void anEnumIsNeverReadFromANumberInAJsonBody() {
        String userId = jdbc.sql("SELECT id::text FROM auth_users WHERE username = 'admin'")
                .query(String.class)
                .single();
        ApiClient.Response response =
                api.put("/api/v1/users/" + userId + "/roles", Map.of("roles", List.of(0)), Map.of());
        assertProblem(response, 400);
        assertThat(jdbc.sql("SELECT count(*) FROM auth_user_roles r JOIN auth_users u ON u.id = r.user_id"
                                + " WHERE u.username = 'admin' AND r.role = 'ADMIN'")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }
}
