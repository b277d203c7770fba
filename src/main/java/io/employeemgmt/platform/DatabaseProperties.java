package io.employeemgmt.platform;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Time limits on the database, per kind of request ({@code employee-mgmt.database} in application.yml).
 *
 * @param timeouts statement and lock timeouts for reads, writes and analytics
 * @param readinessTimeout how long the readiness check waits for a connection and {@code SELECT 1}
 */
@ConfigurationProperties("employee-mgmt.database")
public record DatabaseProperties(Timeouts timeouts, Duration readinessTimeout) {

    /** One limit pair per kind of transaction. */
    public record Timeouts(Limits read, Limits write, Limits analytics) {}

    /**
     * The limits of one kind of transaction.
     *
     * @param statement longest a single statement may run (PostgreSQL {@code statement_timeout})
     * @param lock longest a statement may wait for a lock ({@code lock_timeout})
     */
    public record Limits(Duration statement, Duration lock) {}
}
