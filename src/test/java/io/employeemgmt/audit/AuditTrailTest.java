package io.employeemgmt.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.employeemgmt.platform.security.ApiAuthentication;
import io.employeemgmt.platform.security.AuthenticatedUser;
import io.employeemgmt.platform.security.Role;
import io.employeemgmt.support.ApiClient;
import io.employeemgmt.support.ApiIntegrationTest;
import io.employeemgmt.support.TokenApiClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The audit trail is written in the caller's transaction and can be searched by administrators. */
class AuditTrailTest extends ApiIntegrationTest {

    record Salary(long empNo, String amount, String currency) {}

    @Autowired
    AuditLog audit;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void clearThreadState() {
        SecurityContextHolder.clearContext();
        MDC.clear();
    }

    @Test
    void aRolledBackBusinessWriteLeavesNoAuditRow() {
        String email = "rollback-" + System.nanoTime() + "@example.test";
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                    long empNo = insertEmployee(email);
                    assertThat(audit.record("EMPLOYEE_CREATED", "EMPLOYEE", empNo, null, Map.of("email", email)))
                            .isTrue();
                    // Within the transaction the row is there...
                    assertThat(auditRowsFor(empNo)).isEqualTo(1);
                    throw new IllegalStateException("business rule failed after auditing");
                }))
                .hasMessage("business rule failed after auditing");
        // ...and after the rollback neither the employee nor its audit row exists.
        assertThat(jdbc.sql("SELECT count(*) FROM employees WHERE email = :email")
                        .param("email", email)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM audit_events WHERE after->>'email' = :email")
                        .param("email", email)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aCommittedBusinessWriteKeepsItsAuditRow() {
        String email = "commit-" + System.nanoTime() + "@example.test";
        long empNo = transaction.execute(status -> {
            long id = insertEmployee(email);
            audit.record("EMPLOYEE_CREATED", "EMPLOYEE", id, null, Map.of("email", email));
            return id;
        });
        assertThat(auditRowsFor(empNo)).isEqualTo(1);
    }

    @Test
    void auditingOutsideATransactionIsRefused() {
        assertThatThrownBy(() -> audit.record("EMPLOYEE_CREATED", "EMPLOYEE", 1, null, Map.of("a", 1)))
                .isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    void rowsCarryActorRequestIdAndOnlyTheChangedFields() {
        UUID userId = UUID.randomUUID();
        String entityId = "emp-" + System.nanoTime();
        SecurityContextHolder.getContext()
                .setAuthentication(new ApiAuthentication(new AuthenticatedUser(
                        userId,
                        "hr-pat",
                        Set.of(Role.HR_MANAGER),
                        10001L,
                        UUID.randomUUID(),
                        "jti-1",
                        Instant.now().plusSeconds(60))));
        MDC.put(AuditLog.REQUEST_ID_MDC_KEY, "req-" + entityId);
        Salary before = new Salary(10001, "50000.00", "USD");
        Salary after = new Salary(10001, "55000.00", "USD");
        boolean written =
                transaction.execute(status -> audit.record("SALARY_CHANGED", "SALARY", entityId, before, after));
        boolean unchanged =
                transaction.execute(status -> audit.record("SALARY_CHANGED", "SALARY", entityId, after, after));
        assertThat(written).isTrue();
        assertThat(unchanged).isFalse();

        Map<String, Object> row = jdbc.sql("""
                        SELECT actor, actor_user_id, action, entity_type, before::text AS before, after::text AS after,
                               request_id, client_ip, occurred_at
                          FROM audit_events WHERE entity_id = :id
                        """).param("id", entityId).query().singleRow();
        assertThat(row)
                .containsEntry("actor", "hr-pat")
                .containsEntry("actor_user_id", userId)
                .containsEntry("action", "SALARY_CHANGED")
                .containsEntry("entity_type", "SALARY")
                .containsEntry("before", "{\"amount\": \"50000.00\"}")
                .containsEntry("after", "{\"amount\": \"55000.00\"}")
                .containsEntry("request_id", "req-" + entityId)
                .containsEntry("client_ip", null);
        assertThat(row.get("occurred_at")).isNotNull();
    }

    @Test
    void namesMustBeUpperSnakeCase() {
        assertThatThrownBy(() -> transaction.executeWithoutResult(
                        status -> audit.record("employee created", "EMPLOYEE", 1, null, Map.of("a", 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("action");
    }

    @Test
    void theTrailIsAppendOnly() {
        transaction.executeWithoutResult(
                status -> audit.record(AuditActor.SYSTEM, "PROBE_WRITTEN", "PROBE", "append", null, Map.of("a", 1)));
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_events SET actor = 'mallory' WHERE entity_id = 'append'")
                        .update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_events WHERE entity_id = 'append'")
                        .update())
                .hasMessageContaining("append-only");
    }

    @Test
    void administratorsSearchTheTrailWithFiltersAndPaging() {
        String actor = "probe-" + System.nanoTime();
        Instant start = Instant.now().minusSeconds(1);
        for (int i = 0; i < 7; i++) {
            String action = i % 2 == 0 ? "PROBE_EVEN" : "PROBE_ODD";
            String id = "probe-" + i;
            int n = i;
            transaction.executeWithoutResult(
                    status -> audit.record(new AuditActor(actor, null), action, "PROBE", id, null, Map.of("n", n)));
        }
        String admin = adminToken();
        String base = "/api/v1/audit?entityType=PROBE&actor=" + actor;

        TokenApiClient.Response all = api.get(base + "&size=3", admin);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().get("page").get("totalElements").asLong()).isEqualTo(7);
        assertThat(all.json().get("page").get("totalPages").asLong()).isEqualTo(3);
        assertThat(all.json().get("content").get(0).get("after").get("n").asInt())
                .isEqualTo(6);
        assertThat(all.json().get("content").get(0).get("before")).isNull();

        TokenApiClient.Response oldestFirst = api.get(base + "&sort=occurredAt,asc&size=1", admin);
        assertThat(oldestFirst.json().get("nextCursor")).isNull();
        assertThat(oldestFirst.json().get("content").get(0).get("entityId").asString())
                .isEqualTo("probe-0");
        TokenApiClient.Response lastPage = api.get(base + "&size=3&page=2", admin);
        assertThat(lastPage.json().get("content").size()).isEqualTo(1);

        assertThat(count(api.get(base + "&action=PROBE_EVEN", admin))).isEqualTo(4);
        assertThat(count(api.get(base + "&entityId=probe-3", admin))).isEqualTo(1);
        assertThat(count(api.get(base + "&from=" + start, admin))).isEqualTo(7);
        assertThat(count(api.get(base + "&to=" + start, admin))).isZero();
        assertThat(count(api.get("/api/v1/audit?actor=nobody-" + actor, admin))).isZero();

        // Keyset paging walks every row exactly once, newest first.
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            TokenApiClient.Response response =
                    api.get(base + "&size=2" + (cursor == null ? "" : "&cursor=" + cursor), admin);
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            // The first (offset) page has totals; the keyset pages after it have none.
            assertThat(response.json().get("page") == null).isEqualTo(cursor != null);
            response.json()
                    .get("content")
                    .forEach(row -> seen.add(row.get("entityId").asString()));
            JsonNode next = response.json().get("nextCursor");
            if (next == null || next.isNull()) {
                break;
            }
            cursor = next.asString();
        }
        assertThat(seen).containsExactly("probe-6", "probe-5", "probe-4", "probe-3", "probe-2", "probe-1", "probe-0");
        assertThat(new HashSet<>(seen)).hasSize(7);

        assertThat(api.get(base + "&cursor=bm9wZQ", admin).status()).isEqualTo(400);
        assertThat(api.get(base + "&cursor=" + cursor + "&sort=occurredAt,asc", admin)
                        .status())
                .isEqualTo(400);
        TokenApiClient.Response backwards = api.get(base + "&from=" + start + "&to=" + start.minusSeconds(5), admin);
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.text("detail")).contains("to");
        assertThat(api.get(base + "&sort=actor", admin).status()).isEqualTo(400);
        assertThat(api.get(base + "&size=101", admin).status()).isEqualTo(400);
    }

    @Test
    void onlyAdministratorsMaySearch() {
        assertThat(api.get("/api/v1/audit", tokenFor(Role.HR_MANAGER, Role.MANAGER, Role.EMPLOYEE))
                        .status())
                .isEqualTo(403);
        assertThat(api.get("/api/v1/audit", null).status()).isEqualTo(401);
    }

    @Test
    void loginsAreAuditedWithClientDetails() {
        TestUser user = createUser("audited", Role.EMPLOYEE);
        api.post("/api/v1/auth/login", Map.of("username", user.username(), "password", "Wrong-password-1"), null);
        login(user.username(), user.password());
        TokenApiClient.Response rows =
                api.get("/api/v1/audit?entityType=USER&entityId=" + user.id() + "&sort=occurredAt,asc", adminToken());
        List<String> actions = new ArrayList<>();
        rows.json().get("content").forEach(row -> actions.add(row.get("action").asString()));
        assertThat(actions).containsExactly("USER_CREATED", "LOGIN_FAILED", "LOGIN_SUCCEEDED");
        JsonNode failed = rows.json().get("content").get(1);
        assertThat(failed.get("actor").asString()).isEqualTo("anonymous");
        assertThat(failed.get("after").get("reason").asString()).isEqualTo("BAD_CREDENTIALS");
        assertThat(failed.get("clientIp").asString()).isEqualTo("127.0.0.1");
        assertThat(failed.get("userAgent").asString()).isEqualTo("employee-api-tests");
        JsonNode succeeded = rows.json().get("content").get(2);
        assertThat(succeeded.get("actor").asString()).isEqualTo(user.username());
        assertThat(succeeded.get("actorUserId").asString()).isEqualTo(user.id().toString());
    }

    @Test
    void behindTheIngressTheClientAddressComesFromXForwardedFor() {
        TestUser user = createUser("proxied", Role.EMPLOYEE);
        // The test client connects from 127.0.0.1, an internal address, so it is trusted as a proxy like the ingress.
        new ApiClient(port)
                .send(
                        "POST",
                        "/api/v1/auth/login",
                        Map.of("username", user.username(), "password", "Wrong-password-1"),
                        "application/json",
                        Map.of("X-Forwarded-For", "203.0.113.7"));
        TokenApiClient.Response rows =
                api.get("/api/v1/audit?entityType=USER&entityId=" + user.id() + "&action=LOGIN_FAILED", adminToken());
        assertThat(rows.json().get("content").get(0).get("clientIp").asString()).isEqualTo("203.0.113.7");
    }

    /** Hired in 2099: invisible to the as-of-date analytics other test classes compare with SQL. */
    private long insertEmployee(String email) {
        return jdbc.sql("""
                        INSERT INTO employees (first_name, last_name, birth_date, gender, hire_date, email)
                        VALUES ('Audit', 'Probe', DATE '1990-01-01', 'F', DATE '2099-01-01', :email)
                        RETURNING emp_no
                        """).param("email", email).query(Long.class).single();
    }

    private long auditRowsFor(long empNo) {
        return jdbc.sql("SELECT count(*) FROM audit_events WHERE entity_type = 'EMPLOYEE' AND entity_id = :id")
                .param("id", String.valueOf(empNo))
                .query(Long.class)
                .single();
    }

    private static long count(TokenApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().get("page").get("totalElements").asLong();
    }
}
