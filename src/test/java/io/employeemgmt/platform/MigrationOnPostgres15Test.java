package io.employeemgmt.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The migrations also run on PostgreSQL 15. Uses the server at 127.0.0.1:5432 when one is there (CI machines have
 * it; override with PG15_URL); elsewhere the test is skipped, since the embedded server is 16.
 */
class MigrationOnPostgres15Test {

    @Test
    void migratesAFreshDatabase() throws SQLException {
        String url = System.getenv().getOrDefault("PG15_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getenv().getOrDefault("PG15_USER", "postgres");
        String database = "employee_mgmt_migration_" + ProcessHandle.current().pid();
        Connection admin;
        try {
            admin = DriverManager.getConnection(url + "?connectTimeout=2", user, "");
        } catch (SQLException unavailable) {
            assumeTrue(false, "no PostgreSQL at " + url);
            return;
        }
        try (admin;
                Statement statement = admin.createStatement()) {
            var version = statement.executeQuery("SHOW server_version_num");
            version.next();
            assumeTrue(version.getInt(1) / 10000 == 15, "server at " + url + " is not PostgreSQL 15");
            statement.execute("DROP DATABASE IF EXISTS " + database);
            statement.execute("CREATE DATABASE " + database);
            try {
                var result = Flyway.configure()
                        .dataSource(url.replaceFirst("/[^/]+$", "/" + database), user, "")
                        .locations("classpath:db/migration")
                        .load()
                        .migrate();
                assertThat(result.success).isTrue();
                assertThat(result.migrationsExecuted).isPositive();
            } finally {
                statement.execute("DROP DATABASE " + database + " WITH (FORCE)");
            }
        }
    }
}
