package io.employeemgmt.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * When CI names external servers (test.yml's service containers, .ci/checks/15-external-services.sh), the test
 * application really talks to them. Compared on the client side (URL, host and port as connected): a service
 * container's own port may differ from the mapped one the runner sees. The check script adds the servers' side.
 */
@IntegrationTest
class ExternalServicesTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RedisConnectionFactory redis;

    @Test
    @EnabledIfEnvironmentVariable(named = EmbeddedPostgresLauncher.URL, matches = ".+")
    void theDatabaseIsTheExternalPostgresqlNamedByTheEnvironment() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getURL()).isEqualTo(System.getenv(EmbeddedPostgresLauncher.URL));
        }
        assertThat(jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE success")
                        .query(Long.class)
                        .single())
                .as("migrations applied on the external server")
                .isPositive();
    }

    @Test
    @EnabledIfEnvironmentVariable(named = EmbeddedRedisLauncher.HOST, matches = ".+")
    void theCacheIsTheExternalRedisNamedByTheEnvironment() {
        LettuceConnectionFactory lettuce = (LettuceConnectionFactory) redis;
        assertThat(lettuce.getHostName()).isEqualTo(System.getenv(EmbeddedRedisLauncher.HOST));
        assertThat(lettuce.getPort())
                .isEqualTo(Integer.parseInt(System.getenv().getOrDefault(EmbeddedRedisLauncher.PORT, "6379")));
        try (RedisConnection connection = redis.getConnection()) {
            assertThat(connection.ping()).isEqualTo("PONG");
        }
    }
}
