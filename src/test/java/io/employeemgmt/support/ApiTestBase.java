package io.employeemgmt.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Shared helpers for the HTTP integration tests: a client, direct SQL, and builders of valid requests. */
@IntegrationTest
public abstract class ApiTestBase {

    private static final AtomicInteger UNIQUE = new AtomicInteger();

    @LocalServerPort
    int port;

    @Autowired
    protected JdbcClient jdbc;

    protected ApiClient api;

    /** Every business test acts as the administrator; role rules are tested in the auth feature. */
    @BeforeEach
    void client() {
        ApiClient.Response login = new ApiClient(port)
                .post(
                        "/api/v1/auth/login",
                        Map.of("username", ApiIntegrationTest.ADMIN, "password", ApiIntegrationTest.ADMIN_PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        api = new ApiClient(port, login.json().path("accessToken").asString());
    }

    protected static String unique(String prefix) {
        return prefix + System.nanoTime() % 1_000_000 + "-" + UNIQUE.incrementAndGet();
    }

    protected static Map<String, Object> newEmployee(String deptNo) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("firstName", "Ada");
        body.put("lastName", "Lovelace");
        body.put("birthDate", "1990-12-10");
        body.put("gender", "F");
        body.put("hireDate", "2020-01-06");
        body.put("email", unique("ada") + "@example.com");
        body.put("phone", "+44 20 7946 0000");
        body.put("address", "12 St James's Square");
        body.put("deptNo", deptNo);
        body.put("title", "Engineer");
        body.put("salary", Map.of("amount", 70000, "currency", "USD"));
        return body;
    }

    /** Hires a fresh employee through the API and returns the response body. */
    protected JsonNode hire(String deptNo) {
        ApiClient.Response created = api.post("/api/v1/employees", newEmployee(deptNo));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    protected static void assertProblem(ApiClient.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode body = response.json();
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("title").asString()).isNotBlank();
        assertThat(body.path("detail").asString()).isNotBlank();
        assertThat(body.path("instance").asString()).startsWith("/api/v1/");
        assertThat(response.body())
                .doesNotContainIgnoringCase("exception")
                .doesNotContainIgnoringCase("select ")
                .doesNotContainIgnoringCase("insert into")
                .doesNotContain("\tat ")
                .doesNotContain("constraint");
    }

    protected static void assertFieldError(ApiClient.Response response, String field) {
        assertProblem(response, 400);
        assertThat(response.json()
                        .path("errors")
                        .valueStream()
                        .map(e -> e.path("field").asString()))
                .as(response.toString())
                .contains(field);
    }
}
