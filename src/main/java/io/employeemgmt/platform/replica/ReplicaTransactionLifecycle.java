package io.employeemgmt.platform.replica;

import io.employeemgmt.platform.TransactionLifecycle;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.replication.LogSequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.TransactionDefinition;

/**
 * The two things routing needs from the transaction manager ({@link TransactionLifecycle}):
 *
 * <ul>
 *   <li>While a new transaction takes its connection, {@link #beginningReadOnly()} tells the
 *       {@link ReplicaRoutingDataSource} whether it is read-only ({@code @Transactional(readOnly = true)}, a
 *       read-only {@code TransactionTemplate}). The choice is made at begin, on the definition, because Spring
 *       publishes the read-only flag only after the connection is taken; a joined inner transaction keeps the outer
 *       one's connection.
 *   <li>After a read-write transaction commits, the primary's WAL position is read on the same connection and handed
 *       to {@link ReadYourWrites}. PostgreSQL does not report a commit's position; once COMMIT has returned, {@code
 *       pg_current_wal_lsn()} is at or past the end of its commit record, so a standby that replayed up to it has the
 *       write. One round trip per committed read-write transaction, only when replicas are configured.
 * </ul>
 */
final class ReplicaTransactionLifecycle implements TransactionLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReplicaTransactionLifecycle.class);

    private static final ThreadLocal<Boolean> BEGINNING_READ_ONLY = new ThreadLocal<>();

    private final ReadYourWrites readYourWrites;

    ReplicaTransactionLifecycle(ReadYourWrites readYourWrites) {
        this.readYourWrites = readYourWrites;
    }

    /** True while a read-only transaction is taking its connection on this thread. */
    static boolean beginningReadOnly() {
        return Boolean.TRUE.equals(BEGINNING_READ_ONLY.get());
    }

    @Override
    public void beforeBegin(TransactionDefinition definition) {
        BEGINNING_READ_ONLY.set(definition.isReadOnly());
    }

    @Override
    public void afterBegin() {
        BEGINNING_READ_ONLY.remove();
    }

    @Override
    public void afterCommit(Connection connection) {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select pg_current_wal_lsn()")) {
            row.next();
            readYourWrites.written(LogSequenceNumber.valueOf(row.getString(1)).asLong());
        } catch (SQLException e) {
            log.warn("WAL position after commit unavailable; the caller reads from the primary: {}", e.getMessage());
            readYourWrites.written(ReadYourWrites.UNKNOWN_POSITION);
        }
    }
}
