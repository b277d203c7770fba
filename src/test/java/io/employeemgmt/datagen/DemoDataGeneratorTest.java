package io.employeemgmt.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/**
 * The generator is deterministic: the same seed and size give byte-identical tables whatever the number of COPY
 * streams, equal to what the sequential one-connection loader produced; a failed load leaves nothing behind.
 */
@IntegrationTest
class DemoDataGeneratorTest {

    /** Seed of application.yml. */
    private static final long SEED = 20261126;

    /**
     * md5 of the 2,000-employee data set with {@link #SEED} as loaded by the sequential loader (one connection, one
     * transaction) before the parallel streams, commit 9173e50: the parallel load must produce the same rows.
     */
    private static final String SEQUENTIAL_DIGEST = "44d7c50b9ed8c01b888abe80690f1681";

    @Value("${spring.datasource.url}")
    String url;

    @Test
    void theParallelStreamsLoadTheSameRowsAsTheSequentialLoaderAndTheClassicShape() throws SQLException {
        String oneStream = loadInto(createDatabase("gen_a_"), 2000, 1);
        String fourStreams = loadInto(createDatabase("gen_b_"), 2000, 4);
        assertThat(oneStream).isEqualTo(SEQUENTIAL_DIGEST);
        assertThat(fourStreams).isEqualTo(SEQUENTIAL_DIGEST);
    }

    @Test
    void aFailedLoadLeavesNoRowsAndEveryIndexAndConstraintInPlace() throws SQLException {
        String databaseUrl = createDatabase("gen_fail_");
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "");
                Statement statement = connection.createStatement()) {
            String schemaBefore = schema(statement);
            // A rule the generated data breaks half-way through, in one of the streams.
            statement.execute("ALTER TABLE salaries ADD CONSTRAINT test_breaks_the_load CHECK (emp_no < 11500)");
            assertThatThrownBy(() -> new DemoDataGenerator(SEED, 2000, line -> {})
                            .load(connection, () -> DriverManager.getConnection(databaseUrl, "postgres", ""), 4))
                    .hasMessageContaining("test_breaks_the_load");
            statement.execute("ALTER TABLE salaries DROP CONSTRAINT test_breaks_the_load");
            assertThat(rowCounts(statement)).isEqualTo("0,0,0,0,0,0");
            assertThat(schema(statement)).isEqualTo(schemaBefore);
        }
    }

    @Test
    void aLoadThatDiedHalfWayIsUndoneByTheNextLoader() throws SQLException {
        String databaseUrl = createDatabase("gen_died_");
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "");
                Statement statement = connection.createStatement()) {
            String schemaBefore = schema(statement);
            // What a killed loader leaves: its record of the dropped objects, the objects gone, some rows in.
            LoadSchema.relax(connection);
            statement.execute("INSERT INTO departments (dept_no, name) VALUES ('d001', 'Marketing')");
            statement.execute("INSERT INTO employees (first_name, last_name, birth_date, gender, hire_date, email)"
                    + " VALUES ('Half', 'Loaded', '1980-01-01', 'F', '2010-01-01', 'half.loaded@example.com')");
            assertThat(schema(statement)).isNotEqualTo(schemaBefore);

            assertThat(new DemoDataGenerator(SEED, 2000, line -> {})
                            .load(connection, () -> DriverManager.getConnection(databaseUrl, "postgres", ""), 2))
                    .isTrue();
            assertThat(schema(statement)).isEqualTo(schemaBefore);
            assertThat(digest(statement)).isEqualTo(SEQUENTIAL_DIGEST);
        }
    }

    private String createDatabase(String prefix) throws SQLException {
        String database = prefix + System.nanoTime();
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
        return databaseUrl;
    }

    /** Every index and constraint of the public schema with its definition (and no leftover tables). */
    private static String schema(Statement statement) throws SQLException {
        ResultSet rs = statement.executeQuery("""
                SELECT string_agg(d, E'\n' ORDER BY d) FROM (
                    SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index
                    WHERE indrelid::regclass::text NOT LIKE 'pg_%' AND indrelid::regclass::text NOT LIKE 'flyway%'
                    UNION ALL SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
                    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                    UNION ALL SELECT 'table ' || tablename FROM pg_tables WHERE schemaname = 'public'
                ) x
                """);
        rs.next();
        return rs.getString(1);
    }

    private static String rowCounts(Statement statement) throws SQLException {
        ResultSet rs = statement.executeQuery("""
                SELECT concat_ws(',', (SELECT count(*) FROM employees), (SELECT count(*) FROM departments),
                       (SELECT count(*) FROM salaries), (SELECT count(*) FROM titles),
                       (SELECT count(*) FROM dept_emp), (SELECT count(*) FROM dept_manager))
                """);
        rs.next();
        return rs.getString(1);
    }

    private String loadInto(String databaseUrl, int employees, int streams) throws SQLException {
        List<String> progress = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "")) {
            DemoDataGenerator.Connections more = () -> DriverManager.getConnection(databaseUrl, "postgres", "");
            assertThat(new DemoDataGenerator(SEED, employees, progress::add).load(connection, more, streams))
                    .isTrue();
            assertThat(new DemoDataGenerator(SEED, employees, progress::add).load(connection, more, streams))
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
                assertThat(progress).anyMatch(line -> line.startsWith("Demo data loaded: " + employees));
                return digest(statement);
            }
        }
    }

    /** md5 over every generated row (all columns but the surrogate ids and audit timestamps). */
    private static String digest(Statement statement) throws SQLException {
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
        return digest.getString(1);
    }
}
