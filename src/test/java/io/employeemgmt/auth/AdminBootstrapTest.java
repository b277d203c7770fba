package io.employeemgmt.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.EmployeeApiApplication;
import io.employeemgmt.support.ApiIntegrationTest;
import io.employeemgmt.support.TokenApiClient;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The dev run's first administrator: on an empty database (its own, on the embedded server) the application
 * generates a password, prints it once, and the password works; the next start prints nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminBootstrapTest extends ApiIntegrationTest {

    private static final String BANNER = "Development administrator created";

    @Autowired
    JdbcClient jdbc;

    @Value("${spring.datasource.url}")
    String sharedUrl;

    @Test
    void aGeneratedPasswordIsPrintedOnceAndWorks(CapturedOutput output) {
        String database = "bootstrap_" + System.nanoTime();
        jdbc.sql("CREATE DATABASE " + database).update();
        String url = sharedUrl.replaceFirst("/postgres(\\?|$)", "/" + database + "$1");
        assertThat(url).contains(database);
        try {
            String password;
            try (ConfigurableApplicationContext first = start(url)) {
                Matcher printed = Pattern.compile("password: (\\S+)").matcher(output.getOut());
                assertThat(printed.find())
                        .as("banner with the password on standard output")
                        .isTrue();
                password = printed.group(1);
                // The dev run's last words: where the console is, then the password, readable at a glance.
                String[] lines = output.getOut().strip().split("\\R");
                int port = ((WebServerApplicationContext) first).getWebServer().getPort();
                assertThat(lines[lines.length - 1]).matches("=+");
                assertThat(String.join("\n", List.of(lines).subList(lines.length - 7, lines.length)))
                        .contains("Web console: http://localhost:" + port + "/console")
                        .contains("password: " + password);
                TokenApiClient client = client(first);
                assertThat(client.post(
                                        "/api/v1/auth/login",
                                        Map.of("username", "first-admin", "password", password),
                                        null)
                                .status())
                        .isEqualTo(200);
            }
            assertThat(count(output.getOut(), BANNER)).isEqualTo(1);
            try (ConfigurableApplicationContext second = start(url)) {
                assertThat(client(second).get("/api/v1/health/ready", null).status())
                        .isEqualTo(200);
            }
            assertThat(count(output.getOut(), BANNER)).isEqualTo(1);
            // Standard output carries it once; no log line (logs are collected) ever does.
            assertThat(count(output.getAll(), password)).isEqualTo(1);
        } finally {
            jdbc.sql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)").update();
        }
    }

    private static ConfigurableApplicationContext start(String url) {
        return new SpringApplicationBuilder(EmployeeApiApplication.class)
                .run(
                        "--spring.datasource.url=" + url,
                        "--spring.datasource.username=postgres",
                        "--spring.datasource.password=",
                        "--server.port=0",
                        "--management.server.port=0",
                        "--employee-mgmt.security.bootstrap-admin.username=first-admin",
                        "--employee-mgmt.security.bootstrap-admin.password=",
                        "--employee-mgmt.security.bootstrap-admin.generate-password=true");
    }

    private static TokenApiClient client(ConfigurableApplicationContext context) {
        return new TokenApiClient(
                ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
