package io.employeemgmt.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.EmployeeApiApplication;
import io.employeemgmt.support.ApiClient;
import io.employeemgmt.support.ApiIntegrationTest;
import io.employeemgmt.support.EmbeddedPostgresLauncher;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Shutdown with a request still running when the drain ends: it gets 503 problem+json with Retry-After instead of
 * a closed connection, and its write does not commit afterwards.
 */
class ShutdownDrainTest {

    @Test
    void aRequestStillRunningWhenTheDrainEndsGets503AndChangesNothing() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(EmployeeApiApplication.class)
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--employee-mgmt.demo-data.enabled=true",
                        "--employee-mgmt.security.bootstrap-admin.password=" + ApiIntegrationTest.ADMIN_PASSWORD,
                        "--spring.lifecycle.timeout-per-shutdown-phase=2s",
                        "--employee-mgmt.database.timeouts.write.lock=60s",
                        "--employee-mgmt.database.timeouts.write.statement=60s");
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        ApiClient anonymous = new ApiClient(port);
        String token = anonymous
                .post(
                        "/api/v1/auth/login",
                        Map.of("username", ApiIntegrationTest.ADMIN, "password", ApiIntegrationTest.ADMIN_PASSWORD))
                .json()
                .path("accessToken")
                .asString();
        ApiClient api = new ApiClient(port, token);
        long empNo = context.getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
                .sql("SELECT emp_no FROM employees WHERE status = 'ACTIVE' AND emp_no < 20000 ORDER BY emp_no"
                        + " OFFSET 7 LIMIT 1")
                .query(Long.class)
                .single();
        JsonNode current = api.get("/api/v1/employees/" + empNo).json();
        Map<String, Object> update = new LinkedHashMap<>();
        for (String field : List.of("firstName", "lastName", "birthDate", "gender", "email", "address", "status")) {
            if (current.has(field)) {
                update.put(field, current.get(field).asString());
            }
        }
        update.put("phone", "+1 555 0199");

        try (Connection locker = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + EmbeddedPostgresLauncher.port() + "/postgres", "postgres", "")) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("SELECT 1 FROM employees WHERE emp_no = " + empNo + " FOR UPDATE");
            CompletableFuture<ApiClient.Response> put =
                    CompletableFuture.supplyAsync(() -> api.put("/api/v1/employees/" + empNo, update, Map.of()));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                assertThat(put.isDone())
                        .as("the PUT must wait on the lock: %s", put.getNow(null))
                        .isFalse();
                try (var rows = locker.createStatement()
                        .executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
                    rows.next();
                    return rows.getLong(1) > 0;
                }
            });
            long start = System.nanoTime();
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(context::close);
            ApiClient.Response response = put.get(30, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(response.status()).as(response.toString()).isEqualTo(503);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.header("Retry-After")).isNotBlank();
            // The drain is 2 s here; the answer comes at its end, not when the request would have finished.
            assertThat(millis).isLessThan(2_000 + 5_000);
            locker.rollback();
            shutdown.get(60, TimeUnit.SECONDS);
        }
        try (Connection check = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + EmbeddedPostgresLauncher.port() + "/postgres",
                        "postgres",
                        "");
                var rows = check.createStatement()
                        .executeQuery("SELECT coalesce(phone, '') FROM employees WHERE emp_no = " + empNo)) {
            rows.next();
            assertThat(rows.getString(1)).isNotEqualTo("+1 555 0199");
        }
    }
}
