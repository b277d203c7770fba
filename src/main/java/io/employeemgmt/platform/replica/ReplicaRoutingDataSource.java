package io.employeemgmt.platform.replica;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * The application's one {@link DataSource} when replicas are configured: connections for a beginning read-only
 * transaction come from the {@link ReplicaRouter}, every other connection (read-write transactions, work outside a
 * transaction, Flyway, the health check) from the primary.
 */
final class ReplicaRoutingDataSource extends AbstractDataSource {

    private final DataSource primary;
    private final ReplicaRouter replicas;

    ReplicaRoutingDataSource(DataSource primary, ReplicaRouter replicas) {
        this.primary = primary;
        this.replicas = replicas;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return ReplicaTransactionLifecycle.beginningReadOnly() ? replicas.getConnection() : primary.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLException("The routing datasource uses the configured credentials only");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T unwrap(Class<T> type) throws SQLException {
        // Lets Boot's pool metrics and tools find the primary pool behind the router.
        return type.isInstance(this) ? (T) this : primary.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || primary.isWrapperFor(type);
    }
}
