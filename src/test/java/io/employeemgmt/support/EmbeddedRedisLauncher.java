package io.employeemgmt.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;
import redis.embedded.RedisServer;

/**
 * Gives the tests a real Redis when no {@code spring.data.redis.host} is configured, so caching is tested against
 * Redis itself: the external server named by {@value #HOST} / {@value #PORT} (CI's service container) when set, else
 * a redis-server started here (the binary shipped by embedded-redis; one per JVM, stopped when the JVM exits). Not
 * for the dev run (profile {@code dev}), which uses the in-process cache.
 */
public class EmbeddedRedisLauncher implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    /** The external server; the names are a contract with the CI workflow (test.yml). */
    public static final String HOST = "EMPLOYEE_MGMT_TEST_REDIS_HOST";

    public static final String PORT = "EMPLOYEE_MGMT_TEST_REDIS_PORT";

    private static RedisServer server;
    private static int port;
    private static boolean externalAnnounced;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        String configured = environment.getProperty("spring.data.redis.host");
        if ((configured != null && !configured.isBlank()) || environment.acceptsProfiles(Profiles.of("dev"))) {
            return;
        }
        String externalHost = environment.getProperty(HOST);
        if (externalHost != null && !externalHost.isBlank()) {
            String externalPort = environment.getProperty(PORT, "6379");
            environment
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            "externalRedis",
                            Map.of("spring.data.redis.host", externalHost, "spring.data.redis.port", externalPort)));
            announceExternal(externalHost + ":" + externalPort);
            return;
        }
        int redisPort = start();
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "embeddedRedis",
                        Map.of("spring.data.redis.host", "127.0.0.1", "spring.data.redis.port", redisPort)));
    }

    private static synchronized void announceExternal(String address) {
        if (!externalAnnounced) {
            externalAnnounced = true;
            System.out.println("External Redis from " + HOST + "/" + PORT + ": " + address);
        }
    }

    private static synchronized int start() {
        if (server != null) {
            return port;
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedRedisLauncher::stop));
            System.out.println("Embedded Redis started on port " + port);
            return port;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded Redis", e);
        }
    }

    private static void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            // The JVM is exiting; nothing left to do.
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
