package io.employeemgmt.auth;

import static io.employeemgmt.auth.TokenAttackTest.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.platform.security.Role;
import io.employeemgmt.support.ApiIntegrationTest;
import io.employeemgmt.support.TokenApiClient;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Lockout before password verification, enumeration resistance, login metrics, and no secrets in logs. */
@ExtendWith(OutputCaptureExtension.class)
class LoginLockoutTest extends ApiIntegrationTest {

    private static final String LOGIN = "/api/v1/auth/login";

    @Autowired
    JdbcClient jdbc;

    @LocalManagementPort
    int managementPort;

    @Test
    void fiveFailuresLockTheAccountEvenForTheRightPasswordUntilAnAdminUnlocksIt() {
        TestUser user = createUser("lockout", Role.EMPLOYEE);
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertUnauthorized(attempt(user.username(), "Wrong-password-" + attempt));
        }
        TokenApiClient.Response rightPassword = attempt(user.username(), user.password());
        assertUnauthorized(rightPassword);
        assertThat(rightPassword.text("detail")).isEqualTo("Invalid username or password");
        // Also by email: the lock is on the account, not on the identifier used.
        assertUnauthorized(attempt(user.email(), user.password()));

        String admin = adminToken();
        TokenApiClient.Response view = api.get("/api/v1/users/" + user.id(), admin);
        assertThat(view.json().get("locked").asBoolean()).isTrue();
        assertThat(view.text("lockedUntil")).isNotBlank();
        assertThat(failureReasons(user))
                .containsExactly(
                        "BAD_CREDENTIALS",
                        "BAD_CREDENTIALS",
                        "BAD_CREDENTIALS",
                        "BAD_CREDENTIALS",
                        "BAD_CREDENTIALS",
                        "LOCKED",
                        "LOCKED");
        assertThat(count("ACCOUNT_LOCKED", user)).isEqualTo(1);

        TokenApiClient.Response unlocked = api.post("/api/v1/users/" + user.id() + "/unlock", null, admin);
        assertThat(unlocked.status()).isEqualTo(200);
        assertThat(unlocked.json().get("locked").asBoolean()).isFalse();
        assertThat(count("USER_UNLOCKED", user)).isEqualTo(1);
        assertThat(login(user.username(), user.password())).isNotBlank();
        assertThat(count("LOGIN_SUCCEEDED", user)).isEqualTo(1);
    }

    @Test
    void theLockEndsByItselfAfterItsDuration() {
        TestUser user = createUser("expiry", Role.EMPLOYEE);
        for (int attempt = 1; attempt <= 5; attempt++) {
            attempt(user.username(), "Wrong-password-" + attempt);
        }
        assertUnauthorized(attempt(user.username(), user.password()));
        // Fast-forward: the lock was set to end 15 minutes from now.
        int moved = jdbc.sql("UPDATE auth_users SET locked_until = now() - interval '1 second' WHERE id = :id"
                        + " AND locked_until BETWEEN now() + interval '14 minutes' AND now() + interval '16 minutes'")
                .param("id", user.id())
                .update();
        assertThat(moved).isEqualTo(1);
        assertThat(login(user.username(), user.password())).isNotBlank();
    }

    @Test
    void aSuccessfulLoginResetsTheFailureCount() {
        TestUser user = createUser("reset", Role.EMPLOYEE);
        for (int round = 0; round < 2; round++) {
            for (int attempt = 1; attempt <= 4; attempt++) {
                assertUnauthorized(attempt(user.username(), "Wrong-password-" + attempt));
            }
            assertThat(login(user.username(), user.password())).isNotBlank();
        }
    }

    @Test
    void unknownUserWrongPasswordLockedAndDisabledLookTheSame() {
        TestUser wrong = createUser("enum-wrong", Role.EMPLOYEE);
        TestUser locked = createUser("enum-locked", Role.EMPLOYEE);
        TestUser disabled = createUser("enum-disabled", Role.EMPLOYEE);
        for (int attempt = 1; attempt <= 5; attempt++) {
            attempt(locked.username(), "Wrong-password-" + attempt);
        }
        assertThat(api.post("/api/v1/users/" + disabled.id() + "/disable", null, adminToken())
                        .status())
                .isEqualTo(200);

        TokenApiClient.Response unknown = attempt("no-such-user-" + System.nanoTime(), "Whatever-password-1");
        TokenApiClient.Response badPassword = attempt(wrong.username(), "Wrong-password-1");
        TokenApiClient.Response lockedAccount = attempt(locked.username(), locked.password());
        TokenApiClient.Response disabledAccount = attempt(disabled.username(), disabled.password());
        for (TokenApiClient.Response response : List.of(unknown, badPassword, lockedAccount, disabledAccount)) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.body()).isEqualTo(unknown.body());
            assertThat(response.header("Content-Type")).isEqualTo(unknown.header("Content-Type"));
        }
    }

    @Test
    void loginOutcomesAreCountedInTheBusinessMetrics() {
        TestUser user = createUser("metrics", Role.EMPLOYEE);
        TokenApiClient management = new TokenApiClient(managementPort);
        double successBefore = metric(management, "success");
        double failureBefore = metric(management, "failure");
        login(user.username(), user.password());
        attempt(user.username(), "Wrong-password-1");
        attempt("no-such-user-" + System.nanoTime(), "Wrong-password-1");
        assertThat(metric(management, "success")).isEqualTo(successBefore + 1);
        assertThat(metric(management, "failure")).isEqualTo(failureBefore + 2);
    }

    @Test
    void passwordsAndTokensNeverReachTheLogsOrTheAuditTrail(CapturedOutput output) {
        TestUser user = createUser("secrets", Role.EMPLOYEE);
        String guess = "Guessed-Secret-" + System.nanoTime();
        String typedIntoUsername = "Typed-Into-Username-" + System.nanoTime();
        attempt(user.username(), guess);
        attempt(typedIntoUsername, guess);
        TokenApiClient.Response tokens = loginResponse(user.username(), user.password());
        TokenApiClient.Response refreshed =
                api.post("/api/v1/auth/refresh", Map.of("refreshToken", tokens.text("refreshToken")), null);
        api.post("/api/v1/auth/refresh", Map.of("refreshToken", tokens.text("refreshToken")), null); // reuse
        api.post("/api/v1/auth/logout", null, refreshed.text("accessToken"));

        List<String> secrets = List.of(
                guess,
                typedIntoUsername,
                user.password(),
                tokens.text("accessToken"),
                tokens.text("refreshToken"),
                refreshed.text("accessToken"),
                refreshed.text("refreshToken"));
        String audit = String.join(
                "\n",
                jdbc.sql("SELECT concat_ws(' ', actor, entity_id, before::text, after::text, user_agent) FROM"
                                + " audit_events")
                        .query(String.class)
                        .list());
        for (String secret : secrets) {
            assertThat(output.getAll()).doesNotContain(secret);
            assertThat(audit).doesNotContain(secret);
        }
        assertThat(audit).contains(user.id().toString());
    }

    private TokenApiClient.Response attempt(String username, String password) {
        return api.post(LOGIN, Map.of("username", username, "password", password), null);
    }

    private List<String> failureReasons(TestUser user) {
        return jdbc.sql("SELECT after->>'reason' FROM audit_events WHERE action = 'LOGIN_FAILED' AND entity_id = :id"
                        + " ORDER BY id")
                .param("id", user.id().toString())
                .query(String.class)
                .list();
    }

    private long count(String action, TestUser user) {
        return jdbc.sql("SELECT count(*) FROM audit_events WHERE action = :action AND entity_id = :id")
                .param("action", action)
                .param("id", user.id().toString())
                .query(Long.class)
                .single();
    }

    private static double metric(TokenApiClient management, String outcome) {
        TokenApiClient.Response response = management.getText("/metrics");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        String body = response.body();
        Matcher matcher = Pattern.compile(
                        "^employee_mgmt_logins_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} (\\S+)$",
                        Pattern.MULTILINE)
                .matcher(body);
        assertThat(matcher.find())
                .as("employee_mgmt_logins_total{outcome=%s} in /metrics", outcome)
                .isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
