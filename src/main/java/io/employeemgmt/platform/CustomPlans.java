package io.employeemgmt.platform;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Plans the statements of the current transaction for their actual parameters. The driver turns a statement it
 * has run five times into a server-prepared one, and PostgreSQL may then switch it to a generic plan that cannot
 * see the parameters: for a filtered page the generic plan cannot see {@code LIMIT 21} and aggregates every
 * matching row (measured 2.1 s instead of 2.5 ms for {@code department=d005}), and the analytics aggregates cannot
 * see which day is asked for. Planning costs about a millisecond; these statements are worth it. Point lookups keep
 * their cached generic plans.
 */
public final class CustomPlans {

    private CustomPlans() {}

    /** Sets {@code plan_cache_mode} for the rest of the caller's transaction (which must exist) and returns jdbc. */
    public static JdbcClient inThisTransaction(JdbcClient jdbc) {
        jdbc.sql("SET LOCAL plan_cache_mode = force_custom_plan").update();
        return jdbc;
    }
}
