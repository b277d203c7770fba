package io.employeemgmt.platform;

import io.micrometer.context.ContextSnapshotFactory;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The readiness probe's database check ("db"), bounded in time: it answers DOWN when no connection and
 * {@code SELECT 1} succeed within {@code employee-mgmt.database.readiness-timeout} (1 s), instead of waiting for
 * the pool's connection timeout. One check runs at a time; probes arriving meanwhile wait for that one, so a dead
 * database never piles up probe threads.
 */
@Component("dbHealthIndicator")
class DatabaseReadiness implements HealthIndicator {

    private static final ContextSnapshotFactory CONTEXT =
            ContextSnapshotFactory.builder().build();

    private final DataSource dataSource;
    private final Duration timeout;
    private CompletableFuture<Boolean> running = CompletableFuture.completedFuture(true);

    DatabaseReadiness(DataSource dataSource, DatabaseProperties properties) {
        this.dataSource = dataSource;
        this.timeout = properties.readinessTimeout();
    }

    @Override
    public Health health() {
        CompletableFuture<Boolean> check = check();
        try {
            return check.get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? Health.up().build()
                    : Health.down().build();
        } catch (TimeoutException e) {
            return Health.down()
                    .withDetail("reason", "no answer within " + timeout.toMillis() + " ms")
                    .build();
        } catch (ExecutionException e) {
            return Health.down().build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().build();
        }
    }

    private synchronized CompletableFuture<Boolean> check() {
        if (running.isDone()) {
            // The check runs on its own thread (so the probe can give up on it) but in the probe's trace.
            Callable<Boolean> check = CONTEXT.captureAll().wrap(this::selectOne);
            running = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return check.call();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    Thread.ofVirtual()::start);
        }
        return running;
    }

    private boolean selectOne() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(2);
            return statement.execute("SELECT 1");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("database check failed", e);
        }
    }
}
