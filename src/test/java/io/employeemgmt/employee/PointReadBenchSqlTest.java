package io.employeemgmt.employee;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's point-read script ({@code ops/bench/sql/point-read.sql}) is what one {@code GET
 * /employees/{empNo}} sends: the read-only transaction, its timeouts and {@link EmployeeRepository#DETAILS} with
 * the employee drawn by pgbench. A copy that had drifted hid the bound open-end date the generic plan could not
 * see, so the script is derived from the statement; the expected script is written to {@code target/bench-sql/}.
 */
class PointReadBenchSqlTest {

    @Test
    void thePointReadScriptSendsTheRepositorysStatement() throws IOException {
        String expected = "-- GET /employees/{empNo} (employee.EmployeeRepository.DETAILS, checked by"
                + " PointReadBenchSqlTest)\n"
                + "\\set id random(10001, :last_emp)\n"
                + "BEGIN READ ONLY;\n"
                + "-- platform.DatabaseTimeouts: the limits of a read (employee-mgmt.database.timeouts.read)\n"
                + "SET LOCAL statement_timeout = 3000;\n"
                + "SET LOCAL lock_timeout = 1000;\n"
                + EmployeeRepository.DETAILS.replace(":empNo", ":id").stripTrailing() + ";\n"
                + "COMMIT;\n";
        Path target = Path.of("target", "bench-sql");
        Files.createDirectories(target);
        Files.writeString(target.resolve("point-read.sql"), expected);

        assertThat(Files.readString(Path.of("ops", "bench", "sql", "point-read.sql")))
                .as("ops/bench/sql/point-read.sql (the expected script is in target/bench-sql/)")
                .isEqualTo(expected);
    }
}
