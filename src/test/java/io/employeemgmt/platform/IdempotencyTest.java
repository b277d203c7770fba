package io.employeemgmt.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiClient;
import io.employeemgmt.support.ApiTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A POST with Idempotency-Key can be retried: one record, the identical answer, 422 for a different body. */
class IdempotencyTest extends ApiTestBase {

    @Autowired
    IdempotentRequests idempotentRequests;

    private ApiClient.Response post(String path, Object body, String key) {
        return api.send("POST", path, body, "application/json", Map.of(IdempotentRequests.HEADER, key));
    }

    private Map<String, Object> hireIn2099() {
        Map<String, Object> body = newEmployee("d005");
        body.put("hireDate", "2099-02-02");
        return body;
    }

    private long employeesWithEmail(Object email) {
        return jdbc.sql("SELECT count(*) FROM employees WHERE email = :email")
                .param("email", email)
                .query(Long.class)
                .single();
    }

    @Test
    void aReplayedHireCreatesOneEmployeeAndGetsTheIdenticalResponse() {
        Map<String, Object> body = hireIn2099();
        String key = UUID.randomUUID().toString();
        ApiClient.Response first = post("/api/v1/employees", body, key);
        ApiClient.Response replay = post("/api/v1/employees", body, key);

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.header("Location")).isEqualTo(first.header("Location"));
        assertThat(replay.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(replay.contentType()).isEqualTo(first.contentType());
        assertThat(replay.header(IdempotentRequests.REPLAYED)).isEqualTo("true");
        assertThat(first.header(IdempotentRequests.REPLAYED)).isNull();
        assertThat(employeesWithEmail(body.get("email"))).isEqualTo(1);
    }

    @Test
    void theSameKeyWithADifferentBodyIs422AndChangesNothing() {
        Map<String, Object> body = hireIn2099();
        String key = UUID.randomUUID().toString();
        assertThat(post("/api/v1/employees", body, key).status()).isEqualTo(201);

        Map<String, Object> other = hireIn2099();
        ApiClient.Response reused = post("/api/v1/employees", other, key);
        assertProblem(reused, 422);
        assertThat(employeesWithEmail(other.get("email"))).isZero();

        // The same key on another route is a different request too.
        ApiClient.Response elsewhere = post("/api/v1/departments", Map.of("name", unique("Dept ")), key);
        assertProblem(elsewhere, 422);
    }

    @Test
    void concurrentReplaysOfOneHireCreateExactlyOneEmployee() throws Exception {
        Map<String, Object> body = hireIn2099();
        String key = UUID.randomUUID().toString();
        int clients = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<ApiClient.Response>> calls = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                calls.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                start.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return post("/api/v1/employees", body, key);
                        },
                        pool));
            }
            start.countDown();
            List<ApiClient.Response> responses =
                    calls.stream().map(CompletableFuture::join).toList();
            List<ApiClient.Response> created =
                    responses.stream().filter(r -> r.status() == 201).toList();
            assertThat(created).isNotEmpty();
            assertThat(created)
                    .allSatisfy(r ->
                            assertThat(r.body()).isEqualTo(created.getFirst().body()));
            // A replay that waited on the first request longer than the write lock timeout is told to retry.
            assertThat(responses)
                    .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isIn(201, 503));
            assertThat(created.stream().filter(r -> r.header(IdempotentRequests.REPLAYED) == null))
                    .hasSize(1);
        }
        assertThat(employeesWithEmail(body.get("email"))).isEqualTo(1);
    }

    @Test
    void aFailedRequestDoesNotUseUpItsKey() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> invalid = hireIn2099();
        invalid.put("deptNo", "d999");
        ApiClient.Response failed = post("/api/v1/employees", invalid, key);
        assertThat(failed.status()).as(failed.toString()).isBetween(400, 499);

        Map<String, Object> fixed = hireIn2099();
        assertThat(post("/api/v1/employees", fixed, key).status()).isEqualTo(201);
    }

    @Test
    void keysExpireAfterTheirLifetimeAndArePurged() {
        String key = UUID.randomUUID().toString();
        String name = unique("Idem ");
        assertThat(post("/api/v1/departments", Map.of("name", name), key).status())
                .isEqualTo(201);
        assertThat(jdbc.sql("SELECT extract(epoch FROM expires_at - created_at)::bigint FROM idempotency_keys"
                                + " WHERE idempotency_key = :key")
                        .param("key", key)
                        .query(Long.class)
                        .single())
                .isEqualTo(24 * 3600);

        jdbc.sql("UPDATE idempotency_keys SET created_at = now() - interval '25 hours',"
                        + " expires_at = now() - interval '1 hour' WHERE idempotency_key = :key")
                .param("key", key)
                .update();
        idempotentRequests.purgeExpired();
        assertThat(jdbc.sql("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = :key")
                        .param("key", key)
                        .query(Long.class)
                        .single())
                .isZero();
        // Expired: the key is free for a new request.
        assertThat(post("/api/v1/departments", Map.of("name", unique("Idem ")), key)
                        .status())
                .isEqualTo(201);
    }

    @Test
    void aMalformedKeyIs400() {
        assertProblem(post("/api/v1/departments", Map.of("name", unique("Idem ")), "x".repeat(256)), 400);
    }
}
