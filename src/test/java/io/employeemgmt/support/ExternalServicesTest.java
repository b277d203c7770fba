package io.employeemgmt.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * When CI names external servers (test.yml's service containers, .ci/checks/15-external-services.sh), the test
 * application really talks to them and not to embedded ones started anyway: each server is asked who it is.
 */
@IntegrationTest
class ExternalServicesTest {

    private static final Pattern JDBC_PORT = Pattern.compile("^jdbc:postgresql://[^/:]+:(\\d+)/");

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RedisConnectionFactory redis;

    @Test
    @EnabledIfEnvironmentVariable(named = EmbeddedPostgresLauncher.URL, matches = ".+")
    void theDatabaseIsTheExternalPostgresqlNamedByTheEnvironment() {
        Matcher url = JDBC_PORT.matcher(System.getenv(EmbeddedPostgresLauncher.URL));
        int expectedPort = url.find() ? Integer.parseInt(url.group(1)) : 5432;
        Integer serverPort =
                jdbc.sql("SELECT inet_server_port()").query(Integer.class).single();
        assertThat(serverPort).isEqualTo(expectedPort);
        assertThat(jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE success")
                        .query(Long.class)
                        .single())
                .as("migrations applied on the external server")
                .isPositive();
    }

    @Test
    @EnabledIfEnvironmentVariable(named = EmbeddedRedisLauncher.HOST, matches = ".+")
    void theCacheIsTheExternalRedisNamedByTheEnvironment() {
        String expectedPort = System.getenv().getOrDefault(EmbeddedRedisLauncher.PORT, "6379");
        try (RedisConnection connection = redis.getConnection()) {
            Properties server = connection.serverCommands().info("server");
            assertThat(server).isNotNull();
            assertThat(server.getProperty("tcp_port")).isEqualTo(expectedPort);
        }
    }
}
