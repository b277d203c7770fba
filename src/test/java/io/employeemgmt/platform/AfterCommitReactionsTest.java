package io.employeemgmt.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiIntegrationTest;
import io.employeemgmt.support.TokenApiClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Cache eviction and business metrics react to a write only once it has committed; a rollback leaves both alone. */
class AfterCommitReactionsTest extends ApiIntegrationTest {

    private static final String SALARY_CHANGES = "employee_mgmt.salary.changes";

    @Autowired
    DataChanges changes;

    @Autowired
    BusinessMetrics metrics;

    @Autowired
    CacheManager caches;

    @Autowired
    MeterRegistry registry;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    private Cache titles;

    @BeforeEach
    void probe() {
        titles = caches.getCache(Caches.TITLES);
        titles.put("after-commit-probe", "cached");
    }

    @Test
    void aRolledBackWriteNeitherEvictsNorCounts() {
        double before = salaryChanges();
        transaction.executeWithoutResult(status -> {
            changes.changed();
            metrics.salaryChanged();
            status.setRollbackOnly();
        });
        assertThat(titles.get("after-commit-probe")).isNotNull();
        assertThat(salaryChanges()).isEqualTo(before);
    }

    @Test
    void aCommittedWriteEvictsAndCountsOnlyAfterTheCommit() {
        double before = salaryChanges();
        transaction.executeWithoutResult(status -> {
            changes.changed();
            metrics.salaryChanged();
            // Still inside the transaction: another request may read the cache, and must find the committed state.
            assertThat(titles.get("after-commit-probe")).isNotNull();
            assertThat(salaryChanges()).isEqualTo(before);
        });
        assertThat(titles.get("after-commit-probe")).isNull();
        assertThat(salaryChanges()).isEqualTo(before + 1);
    }

    @Test
    void aRefusedSalaryChangeThroughTheApiKeepsTheCacheAndTheCount() {
        long terminated = jdbc.sql("SELECT emp_no FROM employees WHERE status = 'TERMINATED' ORDER BY emp_no LIMIT 1")
                .query(Long.class)
                .single();
        double before = salaryChanges();
        TokenApiClient.Response refused = api.post(
                "/api/v1/employees/" + terminated + "/salary-changes",
                Map.of("salary", Map.of("amount", 50000)),
                adminToken());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(titles.get("after-commit-probe")).isNotNull();
        assertThat(salaryChanges()).isEqualTo(before);
    }

    @Test
    void writesOutsideATransactionReactAtOnce() {
        double before = salaryChanges();
        changes.changed();
        metrics.salaryChanged();
        assertThat(titles.get("after-commit-probe")).isNull();
        assertThat(salaryChanges()).isEqualTo(before + 1);
    }

    private double salaryChanges() {
        return registry.get(SALARY_CHANGES).counter().count();
    }
}
