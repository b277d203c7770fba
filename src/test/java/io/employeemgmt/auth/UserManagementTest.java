package io.employeemgmt.auth;

import static io.employeemgmt.auth.TokenAttackTest.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.platform.security.Role;
import io.employeemgmt.support.ApiIntegrationTest;
import io.employeemgmt.support.TestTokens;
import io.employeemgmt.support.TokenApiClient;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** User administration, the caller's own account, password policy, and their audit rows. */
class UserManagementTest extends ApiIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void adminCreatesListsAndReadsUsers() {
        String admin = adminToken();
        TestUser user = createUser("create", Role.EMPLOYEE, Role.MANAGER);
        TokenApiClient.Response read = api.get("/api/v1/users/" + user.id(), admin);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text("username")).isEqualTo(user.username());
        assertThat(read.text("email")).isEqualTo(user.email());
        assertThat(read.json().get("roles").toString()).isEqualTo("[\"MANAGER\",\"EMPLOYEE\"]");
        assertThat(read.json().get("enabled").asBoolean()).isTrue();
        assertThat(read.body()).doesNotContain("password").doesNotContain("bcrypt");

        TokenApiClient.Response found = api.get("/api/v1/users?q=" + user.username() + "&role=MANAGER", admin);
        assertThat(found.json().get("content").size()).isEqualTo(1);
        assertThat(found.json().get("page").get("totalElements").asLong()).isEqualTo(1);
        TokenApiClient.Response notFound = api.get("/api/v1/users?q=" + user.username() + "&role=HR_MANAGER", admin);
        assertThat(notFound.json().get("content").size()).isZero();
        TokenApiClient.Response paged = api.get("/api/v1/users?size=1&page=0&sort=createdAt,desc", admin);
        assertThat(paged.json().get("content").size()).isEqualTo(1);
        assertThat(paged.json().get("page").get("totalPages").asLong()).isGreaterThan(1);
        assertThat(api.get("/api/v1/users?sort=password", admin).status()).isEqualTo(400);

        assertThat(api.get("/api/v1/users/" + UUID.randomUUID(), admin).status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/users/not-a-uuid", admin).status()).isEqualTo(400);

        TokenApiClient.Response duplicate = api.post(
                "/api/v1/users",
                Map.of(
                        "username", user.username().toUpperCase(Locale.ROOT),
                        "password", "Another-good-pass-1",
                        "roles", List.of("EMPLOYEE")),
                admin);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().get("errors").get(0).get("field").asString())
                .isEqualTo("username");

        JsonNode created = auditRow("USER_CREATED", user.id());
        assertThat(created.get("actor").asString()).isEqualTo(ADMIN);
        assertThat(created.get("after").get("username").asString()).isEqualTo(user.username());
        assertThat(created.get("before")).isNull();
    }

    @Test
    void passwordPolicyIsEnforcedWithoutEchoingThePassword() {
        String admin = adminToken();
        String username = "policy-" + System.nanoTime();
        Map<String, String> rejected = Map.of(
                "Short-pw-1",
                "at least 12 characters",
                "xx" + username + "-Pw-1",
                "must not contain the username",
                "Password1234",
                "too common",
                "aaaaaaaaaaaaaaaa",
                "too common",
                "p".repeat(73),
                "at most 72 bytes");
        rejected.forEach((password, reason) -> {
            TokenApiClient.Response response = api.post(
                    "/api/v1/users",
                    Map.of("username", username, "password", password, "roles", List.of("EMPLOYEE")),
                    admin);
            assertThat(response.status()).as(password).isEqualTo(400);
            assertThat(response.text("detail"))
                    .contains("password")
                    .contains(reason)
                    .doesNotContain(password);
        });
        TokenApiClient.Response badUsername = api.post(
                "/api/v1/users",
                Map.of("username", "has space", "password", "Good-password-123", "roles", List.of("EMPLOYEE")),
                admin);
        assertThat(badUsername.status()).isEqualTo(400);
        assertThat(badUsername.text("detail")).contains("username");
        TokenApiClient.Response noRoles = api.post(
                "/api/v1/users",
                Map.of("username", username, "password", "Good-password-123", "roles", List.of()),
                admin);
        assertThat(noRoles.status()).isEqualTo(400);
        TokenApiClient.Response unknownRole = api.post(
                "/api/v1/users",
                Map.of("username", username, "password", "Good-password-123", "roles", List.of("ROOT")),
                admin);
        assertThat(unknownRole.status()).isEqualTo(400);
    }

    @Test
    void roleChangesAreAuditedAndEndTheUsersSessions() {
        TestUser user = createUser("roles", Role.EMPLOYEE);
        String userToken = login(user.username(), user.password());
        assertThat(TestTokens.claims(userToken).getClaim("roles")).isEqualTo(List.of("EMPLOYEE"));

        TokenApiClient.Response changed = api.put(
                "/api/v1/users/" + user.id() + "/roles", Map.of("roles", List.of("EMPLOYEE", "MANAGER")), adminToken());
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("roles").toString()).isEqualTo("[\"MANAGER\",\"EMPLOYEE\"]");

        JsonNode row = auditRow("USER_ROLES_CHANGED", user.id());
        assertThat(row.get("actor").asString()).isEqualTo(ADMIN);
        assertThat(row.get("before").toString()).isEqualTo("{\"roles\":[\"EMPLOYEE\"]}");
        assertThat(row.get("after").toString()).isEqualTo("{\"roles\":[\"MANAGER\",\"EMPLOYEE\"]}");

        assertUnauthorized(api.get("/api/v1/auth/me", userToken));
        String fresh = login(user.username(), user.password());
        assertThat(TestTokens.claims(fresh).getClaim("roles")).isEqualTo(List.of("MANAGER", "EMPLOYEE"));

        // Setting the same roles again changes nothing and writes no audit row.
        api.put("/api/v1/users/" + user.id() + "/roles", Map.of("roles", List.of("MANAGER", "EMPLOYEE")), adminToken());
        assertThat(auditRows("USER_ROLES_CHANGED", user.id())).hasSize(1);
        assertThat(api.get("/api/v1/auth/me", fresh).status()).isEqualTo(200);
    }

    @Test
    void usersAreLinkedToExistingEmployeesOnly() {
        String admin = adminToken();
        long empNo = insertEmployee();
        TestUser user = createUser("link", Role.EMPLOYEE);
        TestUser other = createUser("link-other", Role.EMPLOYEE);

        TokenApiClient.Response linked =
                api.put("/api/v1/users/" + user.id() + "/employee", Map.of("employeeNumber", empNo), admin);
        assertThat(linked.status()).as(linked.toString()).isEqualTo(200);
        assertThat(linked.json().get("employeeNumber").asLong()).isEqualTo(empNo);
        String token = login(user.username(), user.password());
        assertThat(TestTokens.claims(token).getClaim("emp_no")).isEqualTo(empNo);
        JsonNode row = auditRow("USER_EMPLOYEE_LINKED", user.id());
        assertThat(row.get("after").get("employeeNumber").asLong()).isEqualTo(empNo);

        TokenApiClient.Response taken =
                api.put("/api/v1/users/" + other.id() + "/employee", Map.of("employeeNumber", empNo), admin);
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.text("detail")).contains("employeeNumber");
        TokenApiClient.Response missing =
                api.put("/api/v1/users/" + other.id() + "/employee", Map.of("employeeNumber", 999_999_999), admin);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.text("detail")).contains("no employee");

        Map<String, Object> unlink = new HashMap<>();
        unlink.put("employeeNumber", null);
        TokenApiClient.Response unlinked = api.put("/api/v1/users/" + user.id() + "/employee", unlink, admin);
        assertThat(unlinked.status()).isEqualTo(200);
        assertThat(unlinked.json().get("employeeNumber")).isNull();
        assertUnauthorized(api.get("/api/v1/auth/me", token));
    }

    @Test
    void theLastEnabledAdministratorCannotBeDisabledOrDemoted() {
        String admin = adminToken();
        UUID bootstrap = UUID.fromString(api.get("/api/v1/auth/me", admin).text("id"));
        // Other test classes may have created administrators; disable them so "admin" is the last one.
        List<UUID> others =
                jdbc.sql("""
                        SELECT u.id FROM auth_users u JOIN auth_user_roles r ON r.user_id = u.id AND r.role = 'ADMIN'
                         WHERE u.enabled AND u.id <> :bootstrap
                        """).param("bootstrap", bootstrap).query(UUID.class).list();
        others.forEach(id -> assertThat(api.post("/api/v1/users/" + id + "/disable", null, admin)
                        .status())
                .isEqualTo(200));

        TokenApiClient.Response disable = api.post("/api/v1/users/" + bootstrap + "/disable", null, admin);
        assertThat(disable.status()).isEqualTo(409);
        assertThat(disable.text("detail")).contains("last enabled administrator");
        TokenApiClient.Response demote =
                api.put("/api/v1/users/" + bootstrap + "/roles", Map.of("roles", List.of("EMPLOYEE")), admin);
        assertThat(demote.status()).isEqualTo(409);

        // With a second administrator, the first may step down.
        TestUser second = createUser("second-admin", Role.ADMIN);
        String secondToken = login(second.username(), second.password());
        assertThat(api.put("/api/v1/users/" + second.id() + "/roles", Map.of("roles", List.of("EMPLOYEE")), secondToken)
                        .status())
                .isEqualTo(200);
        assertThat(api.get("/api/v1/auth/me", admin).status()).isEqualTo(200);
    }

    @Test
    void adminResetsAPassword() {
        TestUser user = createUser("reset", Role.EMPLOYEE);
        String token = login(user.username(), user.password());
        String newPassword = "Reset-by-admin-" + System.nanoTime();
        TokenApiClient.Response reset =
                api.post("/api/v1/users/" + user.id() + "/password", Map.of("newPassword", newPassword), adminToken());
        assertThat(reset.status()).isEqualTo(204);
        assertUnauthorized(api.get("/api/v1/auth/me", token));
        assertThat(login(user.username(), newPassword)).isNotBlank();
        assertThat(auditRow("PASSWORD_RESET", user.id()).get("after").toString())
                .isEqualTo("{\"sessionsRevoked\":1}");
    }

    @Test
    void usersReadAndUpdateTheirOwnProfile() {
        TestUser user = createUser("profile", Role.EMPLOYEE);
        String token = login(user.username(), user.password());
        TokenApiClient.Response me = api.get("/api/v1/auth/me", token);
        assertThat(me.text("username")).isEqualTo(user.username());

        TokenApiClient.Response renamed =
                api.put("/api/v1/auth/me", Map.of("email", user.email(), "displayName", "Pat Example"), token);
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.text("displayName")).isEqualTo("Pat Example");
        JsonNode row = auditRow("USER_PROFILE_UPDATED", user.id());
        assertThat(row.get("actor").asString()).isEqualTo(user.username());
        assertThat(row.get("before").toString()).isEqualTo("{\"displayName\":null}");
        assertThat(row.get("after").toString()).isEqualTo("{\"displayName\":\"Pat Example\"}");

        String newEmail = "moved-" + System.nanoTime() + "@example.test";
        TokenApiClient.Response withoutPassword =
                api.put("/api/v1/auth/me", Map.of("email", newEmail, "displayName", "Pat Example"), token);
        assertThat(withoutPassword.status()).isEqualTo(400);
        assertThat(withoutPassword.text("detail")).contains("currentPassword");
        TokenApiClient.Response moved = api.put(
                "/api/v1/auth/me",
                Map.of("email", newEmail, "displayName", "Pat Example", "currentPassword", user.password()),
                token);
        assertThat(moved.status()).isEqualTo(200);
        assertThat(login(newEmail, user.password())).isNotBlank();

        assertThat(api.get("/api/v1/users", token).status()).isEqualTo(403);
    }

    @Test
    void nonAdministratorsGetAProblemNamingTheRequiredRole() {
        String manager = tokenFor(Role.MANAGER, Role.HR_MANAGER);
        TokenApiClient.Response denied = api.get("/api/v1/users", manager);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.header("Content-Type")).startsWith("application/problem+json");
        assertThat(denied.text("title")).isEqualTo("Forbidden");
        assertThat(denied.text("instance")).isEqualTo("/api/v1/users");
        assertThat(denied.text("detail"))
                .isEqualTo("Access denied: GET /api/v1/users requires one of the roles [ADMIN]; your roles are"
                        + " [HR_MANAGER, MANAGER]");
        assertThat(api.get("/api/v1/audit", manager).status()).isEqualTo(403);

        // The filter's problems have the same members as the MVC handler's.
        TokenApiClient.Response mvcProblem = api.get("/api/v1/users/" + UUID.randomUUID(), adminToken());
        assertThat(mvcProblem.status()).isEqualTo(404);
        assertThat(denied.json().propertyNames())
                .containsExactlyElementsOf(mvcProblem.json().propertyNames());
        TokenApiClient.Response unauthorized = api.get("/api/v1/users", null);
        assertThat(unauthorized.json().propertyNames())
                .containsExactlyElementsOf(mvcProblem.json().propertyNames());
    }

    /** Hired in 2099: invisible to the as-of-date analytics other test classes compare with SQL. */
    private long insertEmployee() {
        return jdbc.sql("""
                        INSERT INTO employees (first_name, last_name, birth_date, gender, hire_date, email)
                        VALUES ('Link', 'Target', DATE '1990-01-01', 'X', DATE '2099-01-01', :email)
                        RETURNING emp_no
                        """)
                .param("email", "link-" + System.nanoTime() + "@example.test")
                .query(Long.class)
                .single();
    }

    private JsonNode auditRow(String action, UUID userId) {
        List<JsonNode> rows = auditRows(action, userId);
        assertThat(rows).as("%s rows for %s", action, userId).hasSize(1);
        return rows.getFirst();
    }

    private List<JsonNode> auditRows(String action, UUID userId) {
        TokenApiClient.Response response =
                api.get("/api/v1/audit?entityType=USER&entityId=" + userId + "&action=" + action, adminToken());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<JsonNode> rows = new java.util.ArrayList<>();
        response.json().get("content").forEach(rows::add);
        return rows;
    }
}
