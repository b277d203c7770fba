package io.employeemgmt.platform;

import java.sql.Connection;
import org.springframework.transaction.TransactionDefinition;

/**
 * What another part of the platform needs from the one transaction manager ({@link DatabaseTimeouts}): a moment
 * around the start of a new transaction, while its connection is being taken, and a moment after a read-write
 * transaction committed, on its still-held connection. The read-replica routing is the one user: it routes a
 * read-only transaction's connection to a standby and reads the primary's WAL position after a write.
 */
public interface TransactionLifecycle {

    /** A new transaction is about to take its connection (the definition says whether it is read-only). */
    void beforeBegin(TransactionDefinition definition);

    /** The new transaction has its connection, or failed to get one. */
    void afterBegin();

    /** A read-write transaction committed; {@code connection} is still the transaction's. */
    void afterCommit(Connection connection);
}
