package io.employeemgmt.platform.replica;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.replication.LogSequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * The read-only datasource: a connection from the next standby in rotation (round robin) that can serve the
 * caller, else from the primary. Every read is counted in {@code employee_mgmt.db.reads} by target and reason.
 *
 * <p>A caller who wrote recently ({@link ReadYourWrites}) gets a standby only after the standby's own connection
 * confirms it has replayed the write ({@code pg_last_wal_replay_lsn()}). The check runs on the borrowed connection
 * rather than trusting the monitor's sample because a configured URL may be a Service in front of several standbys
 * (CloudNativePG's {@code -ro}), whose connections can each land on a different one.
 */
final class ReplicaRouter extends AbstractDataSource {

    private static final Logger log = LoggerFactory.getLogger(ReplicaRouter.class);

    private final DataSource primary;
    private final List<ReplicaEndpoint> endpoints;
    private final ReplicaMonitor monitor;
    private final ReadYourWrites readYourWrites;
    private final MeterRegistry registry;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    ReplicaRouter(
            DataSource primary,
            List<ReplicaEndpoint> endpoints,
            ReplicaMonitor monitor,
            ReadYourWrites readYourWrites,
            MeterRegistry registry) {
        this.primary = primary;
        this.endpoints = endpoints;
        this.monitor = monitor;
        this.readYourWrites = readYourWrites;
        this.registry = registry;
    }

    @Override
    public Connection getConnection() throws SQLException {
        long required = readYourWrites.requiredPosition();
        String reason = "no-replica-in-rotation";
        if (required != ReadYourWrites.UNKNOWN_POSITION) {
            int start = Math.floorMod(next.getAndIncrement(), endpoints.size());
            for (int i = 0; i < endpoints.size(); i++) {
                ReplicaEndpoint endpoint = endpoints.get((start + i) % endpoints.size());
                if (!endpoint.inRotation()) {
                    continue;
                }
                Connection connection = borrow(endpoint);
                if (connection == null) {
                    reason = "replica-failed";
                    continue;
                }
                if (required > 0 && !hasReplayed(endpoint, connection, required)) {
                    reason = "write-not-replayed";
                    continue;
                }
                count(endpoint.name(), "replica");
                return connection;
            }
        } else {
            reason = "write-position-unknown";
        }
        count("primary", reason);
        return primary.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLException("Read replicas use the configured credentials only");
    }

    private Connection borrow(ReplicaEndpoint endpoint) {
        try {
            return endpoint.pool().getConnection();
        } catch (SQLException e) {
            monitor.markUnreachable(endpoint, e);
            return null;
        }
    }

    /** Closes (returns) the connection when it cannot serve the caller. */
    private boolean hasReplayed(ReplicaEndpoint endpoint, Connection connection, long required) {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select pg_last_wal_replay_lsn()")) {
            row.next();
            String replayed = row.getString(1);
            if (replayed != null && LogSequenceNumber.valueOf(replayed).asLong() >= required) {
                return true;
            }
        } catch (SQLException e) {
            monitor.markUnreachable(endpoint, e);
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("Closing a replica connection failed", e);
        }
        return false;
    }

    private void count(String target, String reason) {
        counters.computeIfAbsent(
                        target + '|' + reason,
                        key -> Counter.builder("employee_mgmt.db.reads")
                                .tag("target", target)
                                .tag("reason", reason)
                                .description("Read-only transactions by the server that ran them and why")
                                .register(registry))
                .increment();
    }
}
