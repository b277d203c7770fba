package io.employeemgmt.platform;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Every transaction starts with its statement and lock timeouts ({@code SET LOCAL}, so they end with the
 * transaction and never leak to the next user of the pooled connection). The kind of request decides the limits:
 * analytics (the analytics feature's transactions), reads (read-only transactions) and writes (the rest). Without
 * them a request blocked on a row or table lock waited as long as the lock was held.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseTimeouts {

    private static final String ANALYTICS = "io.employeemgmt.analytics.";

    /**
     * Replaces Boot's JdbcTransactionManager (same exception translation on commit, same customizers), adding the
     * timeouts and the {@link TransactionLifecycle} moments (read-replica routing, when configured).
     */
    @Bean
    JdbcTransactionManager transactionManager(
            DataSource dataSource,
            DatabaseProperties properties,
            ObjectProvider<TransactionLifecycle> lifecycles,
            ObjectProvider<TransactionManagerCustomizers> customizers) {
        TimeBoundTransactionManager transactionManager = new TimeBoundTransactionManager(
                dataSource, properties.timeouts(), lifecycles.orderedStream().toList());
        customizers.ifAvailable(c -> c.customize(transactionManager));
        return transactionManager;
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
        private final transient List<TransactionLifecycle> lifecycles;

        TimeBoundTransactionManager(
                DataSource dataSource, DatabaseProperties.Timeouts timeouts, List<TransactionLifecycle> lifecycles) {
            super(dataSource);
            this.timeouts = timeouts;
            this.lifecycles = lifecycles;
            // A failed commit (see doCommit) must roll back, never leave the transaction to the pool.
            setRollbackOnCommitFailure(true);
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
            lifecycles.forEach(lifecycle -> lifecycle.beforeBegin(definition));
            try {
                super.doBegin(transaction, definition);
            } finally {
                lifecycles.forEach(TransactionLifecycle::afterBegin);
            }
        }

        /** A request answered 503 at the end of the shutdown drain must not commit afterwards. */
        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            if (ShutdownDrain.abandoned()) {
                throw new TransactionSystemException("The request was answered 503 at the end of the shutdown drain");
            }
            super.doCommit(status);
            if (status.isReadOnly() || lifecycles.isEmpty()) {
                return;
            }
            // Still the transaction's connection: it is reset and released after the commit.
            if (TransactionSynchronizationManager.getResource(obtainDataSource()) instanceof ConnectionHolder holder) {
                lifecycles.forEach(lifecycle -> lifecycle.afterCommit(holder.getConnection()));
            }
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
