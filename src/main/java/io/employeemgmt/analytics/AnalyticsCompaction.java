package io.employeemgmt.analytics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Folds the delta rows of the current-state groups and salary buckets (V53) into one row per group, so that readers
 * keep adding up a few thousand rows however many writes came in. Each table is folded in one statement: the rows
 * of every group that has more than one are deleted and their sums inserted, in one snapshot, so a reader sees the
 * rows before or after it, with equal sums, and a delta committed meanwhile is simply left for the next run.
 *
 * <p>On a schedule rather than opportunistically: readers run in read-only transactions, possibly on a standby, so
 * they cannot write; and a writer folding inside its own transaction would lock the group's rows and make the next
 * writer of that group wait, which is what append-only deltas avoid. A run with nothing to fold scans the ~8k rows
 * once (milliseconds). Every instance schedules it; a transaction-scoped advisory lock lets one fold at a time and
 * the others skip (two folds at once would stay exact, the second deleting only what the first left, but would
 * wait for each other's row locks). A failed run changes nothing and the next one retries.
 */
@Component
class AnalyticsCompaction {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsCompaction.class);

    /** Also taken by the TRUNCATE branch of analytics_current_groups_delta() (V53). */
    static final String LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('employee-api:analytics:compaction'))";

    static final String FOLD_GROUPS = """
            WITH repeated AS (
                SELECT ctid AS row_id FROM (
                    SELECT ctid, count(*) OVER (PARTITION BY dept_no, title, gender) AS n
                    FROM analytics_current_groups) g
                WHERE n > 1
            ), folded AS (
                DELETE FROM analytics_current_groups WHERE ctid IN (SELECT row_id FROM repeated) RETURNING *
            )
            INSERT INTO analytics_current_groups (dept_no, title, gender, staff, salaried, amount_sum, amount_sq_sum)
            SELECT dept_no, title, gender, sum(staff), sum(salaried), sum(amount_sum), sum(amount_sq_sum)
            FROM folded
            GROUP BY dept_no, title, gender
            HAVING sum(staff) <> 0 OR sum(salaried) <> 0 OR sum(amount_sum) <> 0 OR sum(amount_sq_sum) <> 0
            """;

    static final String FOLD_BUCKETS = """
            WITH repeated AS (
                SELECT ctid AS row_id FROM (
                    SELECT ctid, count(*) OVER (PARTITION BY dept_no, title, bucket) AS n
                    FROM analytics_current_salary_buckets) b
                WHERE n > 1
            ), folded AS (
                DELETE FROM analytics_current_salary_buckets WHERE ctid IN (SELECT row_id FROM repeated) RETURNING *
            )
            INSERT INTO analytics_current_salary_buckets (dept_no, title, bucket, salaries)
            SELECT dept_no, title, bucket, sum(salaries)
            FROM folded
            GROUP BY dept_no, title, bucket
            HAVING sum(salaries) <> 0
            """;

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    AnalyticsCompaction(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
        // The analytics' statement and lock limits (DatabaseTimeouts), on the primary (a read-write transaction).
        this.transaction.setName(AnalyticsCompaction.class.getName() + ".compact");
    }

    @Scheduled(
            initialDelayString = "${employee-mgmt.analytics.compaction-interval}",
            fixedDelayString = "${employee-mgmt.analytics.compaction-interval}")
    void scheduled() {
        try {
            compact();
        } catch (DataAccessException e) {
            log.warn("Analytics compaction failed; retrying next interval: {}", e.getMessage());
        }
    }

    /** Folds both tables; returns the number of rows written, or -1 if another instance is folding right now. */
    int compact() {
        Integer written = transaction.execute(tx -> {
            if (!Boolean.TRUE.equals(jdbc.sql(LOCK).query(Boolean.class).single())) {
                return -1;
            }
            return jdbc.sql(FOLD_GROUPS).update() + jdbc.sql(FOLD_BUCKETS).update();
        });
        return written == null ? -1 : written;
    }
}
