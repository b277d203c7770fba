package io.employeemgmt.platform.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.employeemgmt.platform.security.Role;
import io.employeemgmt.support.ApiIntegrationTest;
import io.employeemgmt.support.TokenApiClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The service on a real PostgreSQL 15 primary with two streaming hot standbys ({@code pg_basebackup -R}): read-only
 * transactions run on the standbys, writes on the primary; a caller reads its own write while the standbys' replay
 * is paused; a standby beyond max-lag is skipped; losing standbys leaves reads (and readiness) working. The tests
 * run in order because the last one stops the standbys.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ReadReplicaRoutingTest extends ApiIntegrationTest {

    /**
     * Long enough that a write and the caller's next read, seconds apart on a loaded machine, happen while the
     * paused standbys still count as in rotation (so read-your-writes, not lag, is what keeps them away).
     */
    private static final Duration MAX_LAG = Duration.ofSeconds(10);

    private static StreamingReplicaCluster cluster;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private DataSourceTransactionManager transactionManager;

    @Autowired
    private MeterRegistry registry;

    /** Before the application context (which the properties below point at the cluster), so a skip is a skip. */
    @BeforeAll
    static void startCluster() {
        cluster = StreamingReplicaCluster.start(
                Path.of("target", "replica-test-" + UUID.randomUUID()).toAbsolutePath(), 2);
    }

    @DynamicPropertySource
    static void replicas(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> cluster.primary().jdbcUrl());
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add(
                "employee-mgmt.datasource.read-replicas.urls",
                () -> cluster.standby(1).jdbcUrl() + "," + cluster.standby(2).jdbcUrl());
        registry.add("employee-mgmt.datasource.read-replicas.max-lag", MAX_LAG::toString);
        registry.add("employee-mgmt.datasource.read-replicas.check-interval", () -> "200ms");
        registry.add("employee-mgmt.datasource.read-replicas.read-your-writes-window", () -> "20s");
        registry.add("spring.datasource.hikari.minimum-idle", () -> "2");
        registry.add("employee-mgmt.demo-data.employees", () -> "30");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void readOnlyTransactionsRunOnTheStandbysAndWritesOnThePrimary() {
        awaitInRotation("replica-1", "replica-2");

        List<ServedBy> reads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            reads.add(servedBy(true));
        }
        assertThat(reads).allMatch(ServedBy::inRecovery);
        assertThat(reads.stream().map(ServedBy::port).distinct())
                .as("round robin over both standbys")
                .containsExactlyInAnyOrder(
                        cluster.standby(1).port(), cluster.standby(2).port());

        ServedBy write = servedBy(false);
        assertThat(write.inRecovery()).isFalse();
        assertThat(write.port()).isEqualTo(cluster.primary().port());

        // Pool metrics: the primary's keeps its name (DatabasePoolSaturation reads it), each standby has its own.
        for (String pool : List.of("employee-api", "employee-api-replica-1", "employee-api-replica-2")) {
            assertThat(registry.find("hikaricp.connections.max")
                            .tag("pool", pool)
                            .gauge())
                    .as("hikaricp metrics of pool %s", pool)
                    .isNotNull();
        }
    }

    @Test
    @Order(2)
    void aCallerReadsItsOwnWriteWhileTheStandbysHaveNotReplayedIt() {
        String admin = adminToken();
        String other = tokenFor(Role.HR_MANAGER);
        awaitInRotation("replica-1", "replica-2");
        cluster.execute(cluster.standby(1), "select pg_wal_replay_pause()");
        cluster.execute(cluster.standby(2), "select pg_wal_replay_pause()");
        try {
            double notReplayedBefore = reads("primary", "write-not-replayed");
            String name = "Replica Check " + UUID.randomUUID();

            TokenApiClient.Response created = api.post("/api/v1/departments", Map.of("name", name), admin);
            assertThat(created.status()).as("%s", created).isEqualTo(201);
            String deptNo = created.text("deptNo");
            String position = created.header(ReadYourWrites.HEADER);
            assertThat(position).as("the write's WAL position is returned").matches("[0-9A-F]+/[0-9A-F]+");
            assertThat(created.header("Set-Cookie")).startsWith(ReadYourWrites.COOKIE + "=" + position);

            // The same caller, sending nothing back: the instance remembers its write.
            TokenApiClient.Response own = api.get("/api/v1/departments/" + deptNo, admin);
            assertThat(own.status()).as("%s", own).isEqualTo(200);
            assertThat(own.text("name")).isEqualTo(name);

            // Another caller presenting the position (what a second instance gets from a client) is served fresh.
            TokenApiClient.Response presented =
                    api.get("/api/v1/departments/" + deptNo, other, Map.of(ReadYourWrites.HEADER, position));
            assertThat(presented.status()).as("%s", presented).isEqualTo(200);

            // Meanwhile neither standby has the row: the fresh answers came from the primary, by that decision.
            String query = "select count(*) from departments where dept_no = '" + deptNo + "'";
            assertThat(cluster.count(cluster.standby(1), query)).isZero();
            assertThat(cluster.count(cluster.standby(2), query)).isZero();
            assertThat(reads("primary", "write-not-replayed") - notReplayedBefore)
                    .isGreaterThanOrEqualTo(2);
        } finally {
            cluster.execute(cluster.standby(1), "select pg_wal_replay_resume()");
            cluster.execute(cluster.standby(2), "select pg_wal_replay_resume()");
        }
    }

    @Test
    @Order(3)
    void aStandbyLaggingBeyondMaxLagIsSkippedUntilItCatchesUp() {
        awaitInRotation("replica-1", "replica-2");
        cluster.execute(cluster.standby(1), "select pg_wal_replay_pause()");
        try {
            cluster.execute(cluster.primary(), "create table if not exists lag_probe (id int)");
            cluster.execute(cluster.primary(), "insert into lag_probe values (1)");
            await().atMost(MAX_LAG.plusSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> available("replica-1") == 0);
            assertThat(lag("replica-1")).isGreaterThan(MAX_LAG.toMillis() / 1000.0);

            for (int i = 0; i < 6; i++) {
                assertThat(servedBy(true).port()).isEqualTo(cluster.standby(2).port());
            }
        } finally {
            cluster.execute(cluster.standby(1), "select pg_wal_replay_resume()");
        }
        awaitInRotation("replica-1");
    }

    @Test
    @Order(4)
    void readsAndReadinessSurviveTheLossOfTheStandbys() {
        awaitInRotation("replica-1", "replica-2");
        String admin = adminToken();

        cluster.stop(cluster.standby(2));
        for (int i = 0; i < 6; i++) {
            ServedBy read = servedBy(true);
            assertThat(read.port())
                    .isIn(cluster.standby(1).port(), cluster.primary().port());
        }
        assertThat(api.get("/api/v1/departments?size=5", admin).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> available("replica-2") == 0);
        assertThat(servedBy(true).port()).isEqualTo(cluster.standby(1).port());

        cluster.stop(cluster.standby(1));
        for (int i = 0; i < 4; i++) {
            assertThat(servedBy(true).port()).isIn(cluster.primary().port());
        }
        assertThat(api.get("/api/v1/departments?size=5", admin).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/health/ready", null).status())
                .as("readiness does not depend on the standbys")
                .isEqualTo(200);
    }

    private record ServedBy(boolean inRecovery, int port) {}

    /** Which server a (read-only or read-write) transaction through the application's datasource ran on. */
    private ServedBy servedBy(boolean readOnly) {
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        transaction.setReadOnly(readOnly);
        return transaction.execute(status -> new JdbcTemplate(dataSource)
                .queryForObject(
                        "select pg_is_in_recovery(), current_setting('port')::int",
                        (row, n) -> new ServedBy(row.getBoolean(1), row.getInt(2))));
    }

    private void awaitInRotation(String... replicas) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> List.of(replicas).stream().allMatch(r -> available(r) == 1));
    }

    private double available(String replica) {
        return registry.get("employee_mgmt.db.replica.available")
                .tag("replica", replica)
                .gauge()
                .value();
    }

    private double lag(String replica) {
        return registry.get("employee_mgmt.db.replica.lag")
                .tag("replica", replica)
                .gauge()
                .value();
    }

    private double reads(String target, String reason) {
        var counter = registry.find("employee_mgmt.db.reads")
                .tags("target", target, "reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
