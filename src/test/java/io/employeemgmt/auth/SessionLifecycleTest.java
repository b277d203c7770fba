package io.employeemgmt.auth;

import static io.employeemgmt.auth.TokenAttackTest.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.employeemgmt.EmployeeApiApplication;
import io.employeemgmt.platform.security.Role;
import io.employeemgmt.support.ApiIntegrationTest;
import io.employeemgmt.support.TestJwtKeys;
import io.employeemgmt.support.TokenApiClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Refresh rotation and reuse detection, logout, and revocation seen by a second instance on the same database. */
class SessionLifecycleTest extends ApiIntegrationTest {

    private static final String ME = "/api/v1/auth/me";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RevocationFeed feed;

    @Test
    void refreshRotatesAndReuseOfARotatedTokenRevokesTheWholeFamily() {
        TestUser user = createUser("rotate", Role.EMPLOYEE);
        TokenApiClient.Response first = loginResponse(user.username(), user.password());
        String refresh1 = first.text("refreshToken");
        assertThat(first.header("Cache-Control")).contains("no-store");
        assertThat(first.json().get("expiresIn").asLong()).isEqualTo(900);
        assertThat(first.json().get("refreshExpiresIn").asLong()).isEqualTo(7 * 24 * 3600);

        TokenApiClient.Response second = refresh(refresh1);
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        String refresh2 = second.text("refreshToken");
        String access2 = second.text("accessToken");
        assertThat(refresh2).isNotEqualTo(refresh1);
        assertThat(api.get(ME, access2).status()).isEqualTo(200);
        // The first login's access token belongs to the same (still valid) session.
        assertThat(api.get(ME, first.text("accessToken")).status()).isEqualTo(200);

        // Someone presents the already-rotated token: the whole family ends.
        TokenApiClient.Response reuse = refresh(refresh1);
        assertUnauthorized(reuse);
        assertThat(reuse.text("detail")).contains("refresh token");
        assertUnauthorized(refresh(refresh2));
        assertUnauthorized(api.get(ME, access2));
        assertUnauthorized(api.get(ME, first.text("accessToken")));
        assertThat(jdbc.sql("SELECT count(*) FROM audit_events WHERE action = 'REFRESH_TOKEN_REUSE_DETECTED'"
                                + " AND entity_id = :id")
                        .param("id", user.id().toString())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT revoke_reason FROM auth_sessions WHERE user_id = :id")
                        .param("id", user.id())
                        .query(String.class)
                        .single())
                .isEqualTo("REFRESH_TOKEN_REUSE");

        // A new login is unaffected.
        assertThat(api.get(ME, login(user.username(), user.password())).status())
                .isEqualTo(200);
    }

    @Test
    void unknownAndMalformedRefreshTokensAreRejected() {
        assertUnauthorized(refresh("A".repeat(43)));
        assertUnauthorized(refresh("short"));
        assertThat(api.post("/api/v1/auth/refresh", Map.of(), null).status()).isEqualTo(400);
    }

    @Test
    void refreshTokensAreStoredOnlyAsHashes() {
        TestUser user = createUser("hashes", Role.EMPLOYEE);
        String refresh = loginResponse(user.username(), user.password()).text("refreshToken");
        assertThat(jdbc.sql("SELECT count(*) FROM auth_refresh_tokens WHERE token_hash = :hash")
                        .param("hash", SessionService.hash(refresh))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM auth_refresh_tokens WHERE encode(token_hash, 'escape') LIKE :t")
                        .param("t", "%" + refresh + "%")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void logoutRevokesTheAccessTokenAndTheRefreshTokenOnEveryInstance() {
        TestUser user = createUser("logout", Role.EMPLOYEE);
        try (ConfigurableApplicationContext second = startSecondInstance()) {
            TokenApiClient other = new TokenApiClient(
                    ((WebServerApplicationContext) second).getWebServer().getPort());
            assertThat(other.get("/api/v1/health/ready", null).status()).isEqualTo(200);

            TokenApiClient.Response tokens = loginResponse(user.username(), user.password());
            String access = tokens.text("accessToken");
            // Both instances accept the token before the logout: a later 401 is the revocation, not a key mismatch.
            assertThat(api.get(ME, access).status()).isEqualTo(200);
            TokenApiClient.Response accepted = other.get(ME, access);
            assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);

            // Both instances listen for revocations, so the second serves the token from memory: the refusal
            // below comes from the pushed message, not from a database check on every request.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> feed.generation() != 0
                            && second.getBean(RevocationFeed.class).generation() != 0);
            assertThat(other.get(ME, access).status()).isEqualTo(200);

            assertThat(api.post("/api/v1/auth/logout", null, access).status()).isEqualTo(204);

            // The bound: a logout is honoured by every other instance within one second.
            await().atMost(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertUnauthorized(other.get(ME, access)));
            TokenApiClient.Response revoked = other.get(ME, access);
            assertThat(revoked.text("detail")).contains("revoked");
            assertUnauthorized(api.get(ME, access));
            assertUnauthorized(
                    other.post("/api/v1/auth/refresh", Map.of("refreshToken", tokens.text("refreshToken")), null));
            assertThat(jdbc.sql("SELECT count(*) FROM auth_denied_access_tokens WHERE jti = :jti")
                            .param(
                                    "jti",
                                    io.employeemgmt.support.TestTokens.claims(access)
                                            .getJWTID())
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);

            // Logging out on the second instance is honoured by the first, too.
            String again = login(user.username(), user.password());
            assertThat(api.get(ME, again).status()).isEqualTo(200);
            assertThat(other.post("/api/v1/auth/logout", null, again).status()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertUnauthorized(api.get(ME, again)));

            // The second instance runs with self-registration enabled; this one does not serve the route.
            Map<String, String> registration = Map.of(
                    "username", "self-" + System.nanoTime(),
                    "email", "self-" + System.nanoTime() + "@example.test",
                    "password", "Registered-Pass-" + System.nanoTime());
            TokenApiClient.Response registered = other.post("/api/v1/auth/register", registration, null);
            assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
            assertThat(registered.json().get("roles").get(0).asString()).isEqualTo("EMPLOYEE");
            assertThat(registered.header("Location")).isEqualTo("/api/v1/users/" + registered.text("id"));
            assertThat(login(registration.get("username"), registration.get("password")))
                    .isNotBlank();
            TokenApiClient.Response disabled = api.post("/api/v1/auth/register", registration, null);
            assertThat(disabled.status()).isEqualTo(404);
            assertThat(disabled.header("Content-Type")).startsWith("application/problem+json");
        }
    }

    @Test
    void changingThePasswordEndsTheOtherSessionsOnly() {
        TestUser user = createUser("change", Role.EMPLOYEE);
        String current = login(user.username(), user.password());
        TokenApiClient.Response other = loginResponse(user.username(), user.password());
        String newPassword = "Changed-" + java.util.UUID.randomUUID();

        TokenApiClient.Response wrong = api.post(
                "/api/v1/auth/change-password",
                Map.of("currentPassword", "not-the-password-1", "newPassword", newPassword),
                current);
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.text("detail")).contains("currentPassword").doesNotContain("not-the-password-1");
        TokenApiClient.Response weak = api.post(
                "/api/v1/auth/change-password",
                Map.of("currentPassword", user.password(), "newPassword", "short"),
                current);
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.text("detail")).contains("newPassword").contains("12 characters");

        TokenApiClient.Response changed = api.post(
                "/api/v1/auth/change-password",
                Map.of("currentPassword", user.password(), "newPassword", newPassword),
                current);
        assertThat(changed.status()).as(changed.toString()).isEqualTo(204);

        assertThat(api.get(ME, current).status()).isEqualTo(200);
        assertUnauthorized(api.get(ME, other.text("accessToken")));
        assertUnauthorized(refresh(other.text("refreshToken")));
        assertUnauthorized(
                api.post("/api/v1/auth/login", Map.of("username", user.username(), "password", user.password()), null));
        assertThat(login(user.email(), newPassword)).isNotBlank();
    }

    @Test
    void disablingAUserEndsItsSessionsAndRefusesLogin() {
        TestUser user = createUser("disable", Role.EMPLOYEE);
        TokenApiClient.Response tokens = loginResponse(user.username(), user.password());
        String admin = adminToken();
        assertThat(api.post("/api/v1/users/" + user.id() + "/disable", null, admin)
                        .status())
                .isEqualTo(200);
        assertUnauthorized(api.get(ME, tokens.text("accessToken")));
        assertUnauthorized(refresh(tokens.text("refreshToken")));
        TokenApiClient.Response refused =
                api.post("/api/v1/auth/login", Map.of("username", user.username(), "password", user.password()), null);
        assertUnauthorized(refused);
        assertThat(refused.text("detail")).isEqualTo("Invalid username or password");

        assertThat(api.post("/api/v1/users/" + user.id() + "/enable", null, admin)
                        .status())
                .isEqualTo(200);
        assertThat(login(user.username(), user.password())).isNotBlank();
    }

    @Test
    void expiredTokenStateIsPurged(@Autowired TokenStateCleanup cleanup) {
        TestUser user = createUser("purge", Role.EMPLOYEE);
        TokenApiClient.Response tokens = loginResponse(user.username(), user.password());
        api.post("/api/v1/auth/logout", null, tokens.text("accessToken"));
        String jti = io.employeemgmt.support.TestTokens.claims(tokens.text("accessToken"))
                .getJWTID();
        java.time.Instant now = java.time.Instant.now();
        // Nothing of this login is old enough yet.
        cleanup.purge(now);
        assertThat(rows("auth_denied_access_tokens WHERE jti = '" + jti + "'")).isEqualTo(1);
        assertThat(rows("auth_sessions WHERE user_id = '" + user.id() + "'")).isEqualTo(1);
        // Sixteen minutes on, the access token has expired: its deny-list entry goes, the session stays.
        cleanup.purge(now.plus(java.time.Duration.ofMinutes(16)));
        assertThat(rows("auth_denied_access_tokens WHERE jti = '" + jti + "'")).isZero();
        assertThat(rows("auth_sessions WHERE user_id = '" + user.id() + "'")).isEqualTo(1);
        // A day after the refresh token expired, the session and its refresh tokens go too.
        cleanup.purge(now.plus(java.time.Duration.ofDays(8).plusHours(1)));
        assertThat(rows("auth_sessions WHERE user_id = '" + user.id() + "'")).isZero();
        assertThat(rows("auth_refresh_tokens WHERE token_hash = decode('"
                        + java.util.HexFormat.of().formatHex(SessionService.hash(tokens.text("refreshToken")))
                        + "', 'hex')"))
                .isZero();
    }

    private long rows(String tableAndCondition) {
        return jdbc.sql("SELECT count(*) FROM " + tableAndCondition)
                .query(Long.class)
                .single();
    }

    private TokenApiClient.Response refresh(String refreshToken) {
        return api.post("/api/v1/auth/refresh", Map.of("refreshToken", refreshToken), null);
    }

    /**
     * A second application on the same embedded PostgreSQL, with the same keys, as another replica would be.
     * Command-line arguments, because SpringApplicationBuilder#properties are defaults that application.yml
     * overrides.
     */
    private static ConfigurableApplicationContext startSecondInstance() {
        return new SpringApplicationBuilder(EmployeeApiApplication.class)
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--employee-mgmt.security.bootstrap-admin.password=" + ADMIN_PASSWORD,
                        "--employee-mgmt.security.self-registration-enabled=true",
                        "--employee-mgmt.security.jwt.private-key=" + TestJwtKeys.CURRENT.privateKeyPem(),
                        "--employee-mgmt.security.jwt.public-key=" + TestJwtKeys.CURRENT.publicKeyPem());
    }
}
