package io.employeemgmt.platform.replica;

import io.employeemgmt.platform.replica.ReplicaEndpoint.State;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.replication.LogSequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the primary's WAL position and each standby's replay position every {@code check-interval} and decides
 * which standbys are in rotation. Lag is measured in time, exactly to the sampling interval: a standby that has
 * replayed position R holds everything the primary had written at the last sample whose position is {@code <= R},
 * so its lag is the age of that sample. (The standby's own {@code pg_last_xact_replay_timestamp()} would make an
 * idle but up-to-date standby look ever more behind.) A state change is logged once, not per request.
 */
final class ReplicaMonitor {

    private static final Logger log = LoggerFactory.getLogger(ReplicaMonitor.class);

    private record Sample(long nanos, long lsn) {}

    private final DataSource primary;
    private final List<ReplicaEndpoint> endpoints;
    private final long maxLagNanos;
    private final long historyNanos;
    private final Deque<Sample> primaryHistory = new ArrayDeque<>();

    ReplicaMonitor(
            DataSource primary,
            List<ReplicaEndpoint> endpoints,
            Duration maxLag,
            Duration checkInterval,
            MeterRegistry registry) {
        this.primary = primary;
        this.endpoints = endpoints;
        this.maxLagNanos = maxLag.toNanos();
        // Long enough that a standby stuck beyond max-lag still finds no sample it has caught up with.
        this.historyNanos = maxLag.plus(checkInterval.multipliedBy(3)).toNanos();
        for (ReplicaEndpoint endpoint : endpoints) {
            Gauge.builder("employee_mgmt.db.replica.lag", endpoint, ReplicaEndpoint::lagSeconds)
                    .tag("replica", endpoint.name())
                    .baseUnit("seconds")
                    .description("Replay lag of the read replica as last measured (NaN while unreachable)")
                    .register(registry);
            Gauge.builder("employee_mgmt.db.replica.available", endpoint, e -> e.inRotation() ? 1 : 0)
                    .tag("replica", endpoint.name())
                    .description("1 while the read replica serves read-only transactions, 0 while it is skipped")
                    .register(registry);
        }
    }

    /** One round of checks; called on the monitor's own thread, never concurrently. */
    void check() {
        long now = System.nanoTime();
        Long primaryLsn = primaryPosition();
        if (primaryLsn != null) {
            primaryHistory.addLast(new Sample(now, primaryLsn));
            while (primaryHistory.size() > 1 && now - primaryHistory.peekFirst().nanos() > historyNanos) {
                primaryHistory.removeFirst();
            }
        }
        for (ReplicaEndpoint endpoint : endpoints) {
            checkEndpoint(endpoint, now, primaryLsn != null);
        }
    }

    /** A read found the standby unusable before the next check did: take it out of rotation now. */
    void markUnreachable(ReplicaEndpoint endpoint, SQLException cause) {
        transition(endpoint, State.UNREACHABLE, Double.NaN, cause.getMessage());
    }

    private void checkEndpoint(ReplicaEndpoint endpoint, long now, boolean primaryKnown) {
        boolean inRecovery;
        long replayed;
        try (Connection connection = endpoint.pool().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select pg_is_in_recovery(), pg_last_wal_replay_lsn()")) {
            row.next();
            inRecovery = row.getBoolean(1);
            String lsn = row.getString(2);
            replayed = lsn == null ? 0 : LogSequenceNumber.valueOf(lsn).asLong();
        } catch (SQLException e) {
            transition(endpoint, State.UNREACHABLE, Double.NaN, e.getMessage());
            return;
        }
        if (!inRecovery) {
            transition(endpoint, State.NOT_STANDBY, Double.NaN, "the server is not in recovery");
            return;
        }
        if (!primaryKnown) {
            // The primary did not answer: its position is unknown, so keep the last verdict rather than guess.
            // Reads keep working from standbys while the primary is away.
            return;
        }
        double lag = lagSeconds(replayed, now);
        if (lag * 1e9 > maxLagNanos) {
            transition(
                    endpoint, State.LAGGING, lag, String.format("lag %.1f s > max-lag %.1f s", lag, maxLagNanos / 1e9));
        } else {
            transition(endpoint, State.IN_ROTATION, lag, String.format("lag %.3f s", lag));
        }
    }

    private double lagSeconds(long replayed, long now) {
        Sample caughtUp = null;
        for (Sample sample : primaryHistory) {
            if (sample.lsn() <= replayed) {
                caughtUp = sample;
            } else {
                break;
            }
        }
        Sample since = caughtUp != null ? caughtUp : primaryHistory.peekFirst();
        return since == null ? 0 : (now - since.nanos()) / 1e9;
    }

    private Long primaryPosition() {
        try (Connection connection = primary.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select pg_current_wal_lsn()")) {
            row.next();
            return LogSequenceNumber.valueOf(row.getString(1)).asLong();
        } catch (SQLException e) {
            log.debug("Read replica check: primary WAL position unavailable: {}", e.getMessage());
            return null;
        }
    }

    private void transition(ReplicaEndpoint endpoint, State state, double lag, String detail) {
        State previous = endpoint.update(state, lag);
        if (previous == state) {
            return;
        }
        if (state == State.IN_ROTATION) {
            log.info("Read replica {} ({}) in rotation: {}", endpoint.name(), endpoint.address(), detail);
        } else {
            log.warn(
                    "Read replica {} ({}) skipped, reads go to the other replicas or the primary: {} ({})",
                    endpoint.name(),
                    endpoint.address(),
                    state.name().toLowerCase().replace('_', '-'),
                    detail);
        }
    }
}
