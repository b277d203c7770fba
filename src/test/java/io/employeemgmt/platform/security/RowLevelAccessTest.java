package io.employeemgmt.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiIntegrationTest;
import io.employeemgmt.support.TokenApiClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Row-level rules and field filtering over HTTP, with users linked to employee records: department A has a manager
 * and Alice, department B has Bob. Everyone is hired in 2099 so the as-of-date analytics other test classes compare
 * with SQL do not see them.
 */
class RowLevelAccessTest extends ApiIntegrationTest {

    private static final List<String> PRIVATE = List.of("birthDate", "phone", "address", "salary");

    String admin;
    String deptA;
    String deptB;
    long manager;
    long alice;
    long bob;
    String aliceToken;
    String managerToken;
    String hrToken;

    @BeforeEach
    void people() {
        admin = adminToken();
        deptA = createDepartment("Row A");
        deptB = createDepartment("Row B");
        manager = hire("Mona", deptA);
        alice = hire("Alice", deptA);
        bob = hire("Bob", deptB);
        TokenApiClient.Response appointed = api.put(
                "/api/v1/departments/" + deptA + "/manager",
                Map.of("empNo", manager, "effectiveDate", "2099-01-01"),
                admin);
        assertThat(appointed.status()).as(appointed.toString()).isEqualTo(200);
        aliceToken = linkedToken(alice, Role.EMPLOYEE);
        managerToken = linkedToken(manager, Role.MANAGER);
        hrToken = tokenFor(Role.HR_MANAGER);
    }

    @Test
    void anEmployeeSeesColleaguesWithoutPrivateFieldsAndThemselvesInFull() {
        TokenApiClient.Response directoryView = api.get("/api/v1/employees/" + bob, aliceToken);
        assertThat(directoryView.header("ETag")).endsWith("-directory\"");
        assertThat(api.get("/api/v1/employees/" + bob, admin).header("ETag")).doesNotContain("directory");
        JsonNode colleague = ok(directoryView);
        assertThat(colleague.get("firstName").asString()).isEqualTo("Bob");
        assertThat(colleague.has("email")).isTrue();
        assertThat(PRIVATE)
                .allSatisfy(field -> assertThat(colleague.has(field)).as(field).isFalse());
        JsonNode own = ok(api.get("/api/v1/employees/" + alice, aliceToken));
        assertThat(PRIVATE)
                .allSatisfy(field -> assertThat(own.has(field)).as(field).isTrue());

        // The list: own row with birth date, the colleague's without.
        JsonNode rows = ok(api.get("/api/v1/employees?size=100&department=" + deptA, aliceToken))
                .get("content");
        Map<Long, Boolean> birthDateShown = new LinkedHashMap<>();
        rows.forEach(row -> birthDateShown.put(row.get("empNo").asLong(), row.has("birthDate")));
        assertThat(birthDateShown).containsExactlyInAnyOrderEntriesOf(Map.of(manager, false, alice, true));
        assertForbidden(api.get("/api/v1/employees?sort=birthDate", aliceToken));

        // Salary history: own only.
        assertThat(ok(api.get("/api/v1/employees/" + alice + "/salaries", aliceToken)))
                .hasSize(1);
        ok(api.get("/api/v1/salaries/employee/" + alice, aliceToken));
        ok(api.get("/api/v1/salaries/employee/" + alice + "/current", aliceToken));
        assertForbidden(api.get("/api/v1/employees/" + bob + "/salaries", aliceToken));
        assertForbidden(api.get("/api/v1/salaries/employee/" + bob, aliceToken));
        assertForbidden(api.get("/api/v1/salaries/employee/" + bob + "/current", aliceToken));
    }

    @Test
    void anEmployeeMayPatchOnlyTheirOwnContactFields() {
        JsonNode changed = ok(api.patchCurrentVersion(
                "/api/v1/employees/" + alice, Map.of("phone", "+1 555 0100", "address", "1 New Street"), aliceToken));
        assertThat(changed.get("phone").asString()).isEqualTo("+1 555 0100");
        assertThat(changed.get("address").asString()).isEqualTo("1 New Street");
        assertForbidden(api.send("PATCH", "/api/v1/employees/" + alice, Map.of("firstName", "Eve"), aliceToken));
        assertForbidden(api.send("PATCH", "/api/v1/employees/" + bob, Map.of("phone", "+1 555 0199"), aliceToken));
        assertForbidden(api.put("/api/v1/employees/" + alice, Map.of("firstName", "Eve"), aliceToken));
        assertThat(ok(api.get("/api/v1/employees/" + bob, admin)).get("phone").asString())
                .isEqualTo("+1 555 0000");
        assertThat(ok(api.get("/api/v1/employees/" + alice, admin))
                        .get("firstName")
                        .asString())
                .isEqualTo("Alice");
    }

    @Test
    void aManagerSeesSalariesOfTheirDepartmentOnly() {
        JsonNode report = ok(api.get("/api/v1/employees/" + alice, managerToken));
        assertThat(report.get("salary").get("amount").decimalValue()).isEqualByComparingTo("50000");
        assertThat(report.has("birthDate")).isTrue();
        JsonNode other = ok(api.get("/api/v1/employees/" + bob, managerToken));
        assertThat(PRIVATE)
                .allSatisfy(field -> assertThat(other.has(field)).as(field).isFalse());
        JsonNode rows = ok(api.get("/api/v1/employees?size=100&department=" + deptB, managerToken))
                .get("content");
        assertThat(rows)
                .isNotEmpty()
                .allSatisfy(row -> assertThat(row.has("birthDate")).isFalse());

        ok(api.get("/api/v1/salaries/employee/" + alice, managerToken));
        ok(api.get("/api/v1/employees/" + alice + "/salaries", managerToken));
        long aliceSalaryId = ok(api.get("/api/v1/salaries/employee/" + alice + "/current", managerToken))
                .get("id")
                .asLong();
        ok(api.get("/api/v1/salaries/" + aliceSalaryId, managerToken));
        assertForbidden(api.get("/api/v1/salaries/employee/" + bob, managerToken));
        long bobSalaryId = ok(api.get("/api/v1/salaries/employee/" + bob + "/current", admin))
                .get("id")
                .asLong();
        assertForbidden(api.get("/api/v1/salaries/" + bobSalaryId, managerToken));
        assertForbidden(api.get("/api/v1/salaries", managerToken));

        // Department figures and analytics: own department only.
        ok(api.get("/api/v1/departments/" + deptA + "/statistics", managerToken));
        assertForbidden(api.get("/api/v1/departments/" + deptB + "/statistics", managerToken));
        ok(api.get("/api/v1/analytics/salary-statistics?department=" + deptA, managerToken));
        ok(api.get("/api/v1/analytics/salary-distribution?department=" + deptA, managerToken));
        ok(api.get("/api/v1/analytics/title-distribution?department=" + deptA, managerToken));
        assertForbidden(api.get("/api/v1/analytics/salary-statistics?department=" + deptB, managerToken));
        assertForbidden(api.get("/api/v1/analytics/salary-statistics", managerToken));
        assertForbidden(api.get("/api/v1/analytics/summary", managerToken));
        JsonNode performance = ok(api.get("/api/v1/analytics/department-performance?to=2099-06-30", managerToken));
        List<String> shown = new ArrayList<>();
        performance
                .get("departments")
                .forEach(row -> shown.add(row.get("deptNo").asString()));
        assertThat(shown).containsExactly(deptA);
        List<String> diversity = new ArrayList<>();
        ok(api.get("/api/v1/analytics/gender-diversity?asOf=2099-06-30", managerToken))
                .forEach(row -> diversity.add(row.get("deptNo").asString()));
        assertThat(diversity).containsExactly(deptA);
        assertForbidden(api.get("/api/v1/analytics/gender-diversity", aliceToken));
    }

    @Test
    void hrSeesEverythingAndAManagerWithoutADepartmentSeesNoSalaries() {
        JsonNode seenByHr = ok(api.get("/api/v1/employees/" + bob, hrToken));
        assertThat(PRIVATE)
                .allSatisfy(field -> assertThat(seenByHr.has(field)).as(field).isTrue());
        ok(api.get("/api/v1/salaries/employee/" + bob, hrToken));
        ok(api.get("/api/v1/analytics/summary", hrToken));
        String unassignedManager = tokenFor(Role.MANAGER);
        assertThat(ok(api.get("/api/v1/employees/" + alice, unassignedManager)).has("salary"))
                .isFalse();
        assertForbidden(api.get("/api/v1/salaries/employee/" + alice, unassignedManager));
    }

    @Test
    void theOpenApiSchemasDocumentThePrivateFieldsAsOptionalAndRoleDependent() {
        JsonNode schemas =
                ok(api.get("/api/v1/openapi.json", null)).get("components").get("schemas");
        Map<String, List<String>> privateFields = Map.of("Employee", PRIVATE, "EmployeeSummary", List.of("birthDate"));
        privateFields.forEach((schema, fields) -> {
            JsonNode employee = schemas.get(schema);
            List<String> required = new ArrayList<>();
            employee.path("required").forEach(name -> required.add(name.asString()));
            for (String field : fields) {
                JsonNode property = employee.get("properties").get(field);
                assertThat(property).as("%s.%s", schema, field).isNotNull();
                assertThat(required).as("%s.%s", schema, field).doesNotContain(field);
                assertThat(property.toString()).as("%s.%s", schema, field).contains("Role-dependent");
            }
        });
    }

    private String createDepartment(String name) {
        TokenApiClient.Response created =
                api.post("/api/v1/departments", Map.of("name", name + " " + UUID.randomUUID()), admin);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.text("deptNo");
    }

    private long hire(String firstName, String deptNo) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("firstName", firstName);
        body.put("lastName", "Rowlevel");
        body.put("birthDate", "1990-02-03");
        body.put("gender", "F");
        body.put("hireDate", "2099-01-01");
        body.put("email", firstName.toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID() + "@example.test");
        body.put("phone", "+1 555 0000");
        body.put("address", "1 Old Street");
        body.put("deptNo", deptNo);
        body.put("title", "Engineer");
        body.put("salary", Map.of("amount", 50000, "currency", "USD"));
        TokenApiClient.Response hired = api.post("/api/v1/employees", body, admin);
        assertThat(hired.status()).as(hired.toString()).isEqualTo(201);
        return hired.json().get("empNo").asLong();
    }

    private String linkedToken(long empNo, Role... roles) {
        String username = "row-" + empNo + "-" + Long.toString(System.nanoTime(), 36);
        String password = "Pw-" + UUID.randomUUID();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("email", username + "@example.test");
        body.put("password", password);
        body.put("roles", Arrays.stream(roles).map(Role::name).toList());
        body.put("employeeNumber", empNo);
        TokenApiClient.Response created = api.post("/api/v1/users", body, admin);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return login(username, password);
    }

    private static JsonNode ok(TokenApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static void assertForbidden(TokenApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }
}
