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
 * Starts a real redis-server (the binary shipped by embedded-redis) for the tests when no {@code
 * spring.data.redis.host} is configured, so caching is tested against Redis itself. Not for the dev run (profile
 * {@code dev}), which uses the in-process cache. One server per JVM, stopped when the JVM exits.
 */
public class EmbeddedRedisLauncher implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    private static RedisServer server;
    private static int port;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        String configured = environment.getProperty("spring.data.redis.host");
        if ((configured != null && !configured.isBlank()) || environment.acceptsProfiles(Profiles.of("dev"))) {
            return;
        }
        int redisPort = start();
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "embeddedRedis",
                        Map.of("spring.data.redis.host", "127.0.0.1", "spring.data.redis.port", redisPort)));
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
