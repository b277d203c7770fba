package io.employeemgmt.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.IntegrationTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/** The generator is deterministic: the same seed and size give byte-identical tables in two fresh databases. */
@IntegrationTest
class DemoDataGeneratorTest {

    @Value("${spring.datasource.url}")
    String url;

    @Test
    void sameSeedGivesIdenticalDataAndTheClassicShape() throws SQLException {
        String first = loadInto("gen_a_" + System.nanoTime(), 2000);
        String second = loadInto("gen_b_" + System.nanoTime(), 2000);
        assertThat(first).isEqualTo(second);
    }

    private String loadInto(String database, int employees) throws SQLException {
        try (Connection admin = DriverManager.getConnection(url, "postgres", "");
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        String databaseUrl = url.replaceFirst("/postgres(\\?|$)", "/" + database + "$1");
        Flyway.configure()
                .dataSource(databaseUrl, "postgres", "")
                .locations("classpath:db/migration")
                .load()
                .migrate();
        List<String> progress = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "")) {
            assertThat(new DemoDataGenerator(42, employees, progress::add).load(connection))
                    .isTrue();
            assertThat(new DemoDataGenerator(42, employees, progress::add).load(connection))
                    .as("a second load into a filled database does nothing")
                    .isFalse();
            try (Statement statement = connection.createStatement()) {
                ResultSet shape = statement.executeQuery("""
                        SELECT (SELECT count(*) FROM employees), (SELECT count(*) FROM departments),
                               (SELECT count(DISTINCT title) FROM titles),
                               (SELECT count(*) FROM salaries)::numeric / (SELECT count(*) FROM employees),
                               (SELECT count(*) FROM titles)::numeric / (SELECT count(*) FROM employees),
                               (SELECT count(*) FROM dept_emp)::numeric / (SELECT count(*) FROM employees),
                               (SELECT count(*) FROM dept_manager WHERE to_date = '9999-12-31')
                        """);
                shape.next();
                assertThat(shape.getLong(1)).isEqualTo(employees);
                assertThat(shape.getLong(2)).isEqualTo(9);
                assertThat(shape.getLong(3)).isEqualTo(7);
                assertThat(shape.getDouble(4)).isBetween(7.0, 11.0);
                assertThat(shape.getDouble(5)).isBetween(1.3, 2.0);
                assertThat(shape.getDouble(6)).isBetween(1.02, 1.2);
                assertThat(shape.getLong(7)).isEqualTo(9);
                ResultSet digest = statement.executeQuery("""
                        SELECT md5(string_agg(row, '|' ORDER BY row)) FROM (
                            SELECT concat_ws(',', emp_no, first_name, last_name, birth_date, gender, hire_date,
                                             termination_date, status, email, phone, address) AS row FROM employees
                            UNION ALL SELECT concat_ws(',', emp_no, amount, from_date, to_date) FROM salaries
                            UNION ALL SELECT concat_ws(',', emp_no, title, from_date, to_date) FROM titles
                            UNION ALL SELECT concat_ws(',', emp_no, dept_no, from_date, to_date) FROM dept_emp
                            UNION ALL SELECT concat_ws(',', emp_no, dept_no, from_date, to_date) FROM dept_manager
                        ) x
                        """);
                digest.next();
                assertThat(progress).anyMatch(line -> line.startsWith("Demo data loaded: " + employees));
                return digest.getString(1);
            }
        }
    }
}
