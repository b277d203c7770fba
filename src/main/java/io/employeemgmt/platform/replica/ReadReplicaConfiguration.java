package io.employeemgmt.platform.replica;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Replaces Boot's single datasource when read replicas are configured: the primary pool is built from the same
 * {@code spring.datasource.*} properties Boot would use, each standby gets a pool with the primary's settings
 * (read-only, its own size and a short connection timeout), the application's one {@link DataSource} bean is the
 * {@link ReplicaRoutingDataSource} and the one transaction manager calls the {@link ReplicaTransactionLifecycle} at begin and commit. The standby
 * pools are not beans, so the {@code db} health check (readiness) and Flyway see only the primary.
 *
 * <p>Why not {@code LazyConnectionDataSourceProxy} with a read-only datasource: the JDBC observation layer asks each
 * new connection for its URL, which makes the lazy proxy fetch the physical connection before the transaction has
 * marked it read-only, so every read would land on the primary.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ReadReplicaConfiguration.ReplicasConfigured.class)
@EnableConfigurationProperties(ReadReplicaProperties.class)
class ReadReplicaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ReadReplicaConfiguration.class);

    private static final String URLS = "employee-mgmt.datasource.read-replicas.urls";

    /** The pools and the monitor thread; closed with the context. */
    static final class ReadReplicas implements AutoCloseable {

        private final HikariDataSource primary;
        private final List<ReplicaEndpoint> endpoints;
        private final ScheduledExecutorService checks;
        private final ReplicaRoutingDataSource dataSource;
        private final ReadYourWrites readYourWrites;

        ReadReplicas(
                HikariDataSource primary,
                List<ReplicaEndpoint> endpoints,
                ScheduledExecutorService checks,
                ReplicaRoutingDataSource dataSource,
                ReadYourWrites readYourWrites) {
            this.primary = primary;
            this.endpoints = endpoints;
            this.checks = checks;
            this.dataSource = dataSource;
            this.readYourWrites = readYourWrites;
        }

        @Override
        public void close() throws InterruptedException {
            checks.shutdownNow();
            checks.awaitTermination(5, TimeUnit.SECONDS);
            endpoints.forEach(endpoint -> endpoint.pool().close());
            primary.close();
        }
    }

    @Bean
    ReadReplicas readReplicas(
            DataSourceProperties dataSourceProperties,
            Environment environment,
            ReadReplicaProperties properties,
            MeterRegistry registry) {
        HikariDataSource primary = dataSourceProperties
                .initializeDataSourceBuilder()
                .type(HikariDataSource.class)
                .build();
        Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(primary));

        List<ReplicaEndpoint> endpoints = new ArrayList<>();
        for (String url : properties.urls()) {
            String name = "replica-" + (endpoints.size() + 1);
            HikariConfig config = new HikariConfig();
            primary.copyStateTo(config);
            config.setJdbcUrl(url);
            config.setPoolName(primary.getPoolName() + "-" + name);
            config.setReadOnly(true);
            config.setMaximumPoolSize(properties.maximumPoolSize());
            config.setMinimumIdle(Math.min(primary.getMinimumIdle(), properties.maximumPoolSize()));
            config.setConnectionTimeout(properties.connectionTimeout().toMillis());
            // A standby that is down at start-up must not stop the application (readiness ignores standbys).
            config.setInitializationFailTimeout(-1);
            config.setMetricRegistry(registry);
            endpoints.add(new ReplicaEndpoint(name, address(url), new HikariDataSource(config)));
        }

        ReadYourWrites readYourWrites = new ReadYourWrites(properties.readYourWritesWindow());
        ReplicaMonitor monitor =
                new ReplicaMonitor(primary, endpoints, properties.maxLag(), properties.checkInterval(), registry);
        ReplicaRouter router = new ReplicaRouter(primary, endpoints, monitor, readYourWrites, registry);
        ReplicaRoutingDataSource dataSource = new ReplicaRoutingDataSource(primary, router);

        ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("read-replica-check").daemon().factory());
        checks.scheduleWithFixedDelay(
                () -> {
                    try {
                        monitor.check();
                    } catch (RuntimeException e) {
                        log.warn("Read replica check failed", e);
                    }
                },
                0,
                properties.checkInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        log.info(
                "Read-only transactions go to {} read replica(s) ({}), max lag {}, read-your-writes window {}",
                endpoints.size(),
                String.join(
                        ", ", endpoints.stream().map(ReplicaEndpoint::address).toList()),
                properties.maxLag(),
                properties.readYourWritesWindow());
        return new ReadReplicas(primary, endpoints, checks, dataSource, readYourWrites);
    }

    @Bean
    @Primary
    DataSource dataSource(ReadReplicas replicas) {
        return replicas.dataSource;
    }

    /** The routing's moments in the one transaction manager (platform's DatabaseTimeouts): begin and commit. */
    @Bean
    ReplicaTransactionLifecycle routingTransactionLifecycle(ReadReplicas replicas) {
        return new ReplicaTransactionLifecycle(replicas.readYourWrites);
    }

    private static String address(String url) {
        Matcher matcher = Pattern.compile("//([^/?]+)").matcher(url);
        return matcher.find() ? matcher.group(1) : "?";
    }

    static class ReplicasConfigured extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean configured = Binder.get(context.getEnvironment())
                    .bind(URLS, Bindable.listOf(String.class))
                    .map(urls -> urls.stream().anyMatch(url -> !url.isBlank()))
                    .orElse(false);
            return configured
                    ? ConditionOutcome.match(URLS + " lists read replicas")
                    : ConditionOutcome.noMatch(URLS + " is empty");
        }
    }
}
