package io.employeemgmt.platform;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * Every transaction starts with its statement and lock timeouts ({@code SET LOCAL}, so they end with the
 * transaction and never leak to the next user of the pooled connection). The kind of request decides the limits:
 * analytics (the analytics feature's transactions), reads (read-only transactions) and writes (the rest). Without
 * them a request blocked on a row or table lock waited as long as the lock was held.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseTimeouts {

    private static final String ANALYTICS = "io.employeemgmt.analytics.";

    /** Replaces Boot's JdbcTransactionManager (same exception translation on commit), adding the timeouts. */
    @Bean
    JdbcTransactionManager transactionManager(DataSource dataSource, DatabaseProperties properties) {
        return new TimeBoundTransactionManager(dataSource, properties.timeouts());
    }

    static DatabaseProperties.Limits limitsFor(TransactionDefinition definition, DatabaseProperties.Timeouts timeouts) {
        String name = definition.getName();
        if (name != null && name.startsWith(ANALYTICS)) {
            return timeouts.analytics();
        }
        return definition.isReadOnly() ? timeouts.read() : timeouts.write();
    }

    static final class TimeBoundTransactionManager extends JdbcTransactionManager {

        private final transient DatabaseProperties.Timeouts timeouts;

        TimeBoundTransactionManager(DataSource dataSource, DatabaseProperties.Timeouts timeouts) {
            super(dataSource);
            this.timeouts = timeouts;
            // A failed commit (see doCommit) must roll back, never leave the transaction to the pool.
            setRollbackOnCommitFailure(true);
        }

        /** A request answered 503 at the end of the shutdown drain must not commit afterwards. */
        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            if (ShutdownDrain.abandoned()) {
                throw new TransactionSystemException("The request was answered 503 at the end of the shutdown drain");
            }
            super.doCommit(status);
        }

        @Override
        protected void prepareTransactionalConnection(Connection connection, TransactionDefinition definition)
                throws SQLException {
            super.prepareTransactionalConnection(connection, definition);
            DatabaseProperties.Limits limits = limitsFor(definition, timeouts);
            try (Statement statement = connection.createStatement()) {
                // Whole milliseconds from configuration, never client input.
                statement.execute(
                        "SET LOCAL statement_timeout = " + limits.statement().toMillis() + "; SET LOCAL lock_timeout = "
                                + limits.lock().toMillis());
            }
        }
    }
}
