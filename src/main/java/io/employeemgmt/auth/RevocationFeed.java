package io.employeemgmt.auth;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Revocations pushed to every instance through PostgreSQL {@code LISTEN/NOTIFY} on {@value #CHANNEL}. The writer
 * notifies inside the revoking transaction, so PostgreSQL delivers the message exactly when the revocation
 * commits, to every listening instance. Each instance listens on its own connection (outside the pool) and pings
 * it every second.
 *
 * <p>{@link #generation()} is non-zero only while the listener is connected and was seen alive within the last
 * {@link #STALE_AFTER_MILLIS}; it changes on every reconnection. Anything cached on the strength of "no revocation
 * message arrived" must be tied to one generation: messages sent while the listener was down are lost, so a new
 * generation invalidates it, and generation 0 means "check the database on every request".
 */
@Component
class RevocationFeed implements SmartLifecycle {

    static final String CHANNEL = "auth_revocations";
    static final long STALE_AFTER_MILLIS = 2_000;
    private static final long PING_EVERY_MILLIS = 1_000;
    private static final long RECONNECT_AFTER_MILLIS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(RevocationFeed.class);

    /** A feed that never connects: every check goes to the database (unit tests of the decoder). */
    static final RevocationFeed DISCONNECTED = new RevocationFeed(null);

    private final DataSourceProperties database;
    private final List<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();
    private volatile long generation;
    private volatile long aliveAt;
    private volatile boolean running;
    private long generations;
    private Thread thread;

    RevocationFeed(DataSourceProperties database) {
        this.database = database;
    }

    /**
     * Sends {@code payload} to every instance when the caller's transaction commits (immediately without one). This
     * instance hears of it at the commit itself rather than a NOTIFY round trip later, so the very next request it
     * serves already honours the revocation, however busy the listener is.
     */
    void publish(JdbcClient jdbc, String payload) {
        jdbc.sql("SELECT pg_notify('" + CHANNEL + "', :payload)")
                .param("payload", payload)
                .query((rs, row) -> 1)
                .list();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    deliver(payload);
                }
            });
        } else {
            deliver(payload);
        }
    }

    void subscribe(Consumer<String> subscriber) {
        subscribers.add(subscriber);
    }

    /** The current listener generation, or 0 when revocation messages may be missed right now. */
    long generation() {
        long current = generation;
        return current != 0 && System.currentTimeMillis() - aliveAt < STALE_AFTER_MILLIS ? current : 0;
    }

    void registerMetrics(MeterRegistry registry) {
        Gauge.builder("employee_mgmt.auth.revocation_feed.connected", this, feed -> feed.generation() != 0 ? 1 : 0)
                .description("1 while revocations arrive by LISTEN/NOTIFY; 0 while every request checks the database")
                .register(registry);
    }

    @Override
    public synchronized void start() {
        if (database == null || running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("auth-revocation-feed").start(this::listen);
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        generation = 0;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        while (running) {
            try (Connection connection = connect()) {
                serve(connection);
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    lost(e);
                }
            }
            generation = 0;
            sleep();
        }
    }

    /** LISTENs on one connection and delivers notifications until the feed stops or the connection fails. */
    private void serve(Connection connection) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
        aliveAt = System.currentTimeMillis();
        generations++;
        generation = generations;
        log.info("Revocation feed connected (generation {}): token checks are served from memory", generation);
        long pingedAt = aliveAt;
        while (running) {
            PGNotification[] notifications = pg.getNotifications(250);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    deliver(notification.getParameter());
                }
            }
            long now = System.currentTimeMillis();
            if (now - pingedAt >= PING_EVERY_MILLIS) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                pingedAt = now;
            }
            aliveAt = System.currentTimeMillis();
        }
    }

    private void lost(Exception e) {
        if (generation != 0) {
            log.warn("Revocation feed lost ({}); every request checks the database until it is back", e.toString());
        } else {
            log.debug("Revocation feed still unavailable: {}", e.toString());
        }
    }

    private void deliver(String payload) {
        for (Consumer<String> subscriber : subscribers) {
            try {
                subscriber.accept(payload);
            } catch (RuntimeException e) {
                log.warn("Revocation subscriber failed on {}: {}", payload, e.toString());
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        String user = database.determineUsername();
        String password = database.determinePassword();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "employee-api revocation feed");
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "10");
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(database.determineUrl(), properties);
    }

    private void sleep() {
        try {
            Thread.sleep(RECONNECT_AFTER_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
