package io.employeemgmt.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.platform.security.Role;
import io.employeemgmt.support.ApiIntegrationTest;
import io.employeemgmt.support.TokenApiClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Every business write leaves one audit row with the actor, the entity and only the changed fields, written in the
 * write's own transaction: when the database refuses the write at commit, after the audit row was inserted, neither
 * is kept. All actions run over HTTP as an HR manager.
 */
class BusinessAuditTest extends ApiIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    String hr;
    ApiIntegrationTest.TestUser hrUser;
    String admin;

    @BeforeEach
    void hrManager() {
        hrUser = createUser("audit-hr", Role.HR_MANAGER);
        hr = login(hrUser.username(), hrUser.password());
        admin = adminToken();
    }

    @Test
    void everyEmployeeActionIsAuditedWithOnlyTheChangedFields() {
        String deptA = createDepartment("Audit A");
        String deptB = createDepartment("Audit B");
        long empNo = hire("Ada", deptA, "2020-01-06");

        JsonNode hired = single(rows("EMPLOYEE", empNo), "EMPLOYEE_HIRED");
        assertThat(hired.get("actor").asString()).isEqualTo(hrUser.username());
        assertThat(hired.get("actorUserId").asString()).isEqualTo(hrUser.id().toString());
        assertThat(hired.get("before")).isNull();
        assertThat(hired.get("after").get("firstName").asString()).isEqualTo("Ada");
        assertThat(hired.get("after").get("deptNo").asString()).isEqualTo(deptA);
        assertThat(hired.has("requestId")).isTrue();

        ok(api.patchCurrentVersion("/api/v1/employees/" + empNo, Map.of("phone", "+1 555 0101"), hr));
        JsonNode updated = single(rows("EMPLOYEE", empNo), "EMPLOYEE_UPDATED");
        assertThat(fieldNames(updated.get("after"))).containsExactly("phone");
        assertThat(updated.get("before").get("phone").asString()).isEqualTo("+1 555 0000");
        assertThat(updated.get("after").get("phone").asString()).isEqualTo("+1 555 0101");

        ok(api.post(
                "/api/v1/employees/" + empNo + "/transfers",
                Map.of("deptNo", deptB, "effectiveDate", "2023-01-02"),
                hr));
        JsonNode transferred = single(rows("EMPLOYEE", empNo), "EMPLOYEE_TRANSFERRED");
        assertThat(fieldNames(transferred.get("after"))).containsExactly("department");
        assertThat(transferred.get("before").get("department").get("deptNo").asString())
                .isEqualTo(deptA);
        assertThat(transferred.get("after").get("department").get("deptNo").asString())
                .isEqualTo(deptB);

        ok(api.post(
                "/api/v1/employees/" + empNo + "/promotions",
                Map.of("title", "Senior Auditor", "effectiveDate", "2023-06-01"),
                hr));
        JsonNode promoted = single(rows("EMPLOYEE", empNo), "EMPLOYEE_PROMOTED");
        assertThat(promoted.get("before").get("title").get("title").asString()).isEqualTo("Auditor");
        assertThat(promoted.get("after").get("title").get("title").asString()).isEqualTo("Senior Auditor");

        ok(api.post(
                "/api/v1/employees/" + empNo + "/salary-changes",
                Map.of("salary", Map.of("amount", 61000), "effectiveDate", "2024-01-01"),
                hr));
        JsonNode raised = single(rows("EMPLOYEE", empNo), "EMPLOYEE_SALARY_CHANGED");
        assertThat(raised.get("before").get("salary").get("amount").decimalValue())
                .isEqualByComparingTo("50000");
        assertThat(raised.get("after").get("salary").get("amount").decimalValue())
                .isEqualByComparingTo("61000");

        TokenApiClient.Response terminated =
                api.send("DELETE", "/api/v1/employees/" + empNo + "?terminationDate=2025-01-31", null, hr);
        assertThat(terminated.status()).as(terminated.toString()).isEqualTo(204);
        JsonNode ended = single(rows("EMPLOYEE", empNo), "EMPLOYEE_TERMINATED");
        assertThat(ended.get("after").get("status").asString()).isEqualTo("TERMINATED");
        assertThat(ended.get("after").get("terminationDate").asString()).isEqualTo("2025-01-31");

        assertThat(actions(rows("EMPLOYEE", empNo)))
                .containsExactly(
                        "EMPLOYEE_HIRED",
                        "EMPLOYEE_UPDATED",
                        "EMPLOYEE_TRANSFERRED",
                        "EMPLOYEE_PROMOTED",
                        "EMPLOYEE_SALARY_CHANGED",
                        "EMPLOYEE_TERMINATED");
    }

    @Test
    void departmentAndSalaryRecordActionsAreAudited() {
        String dept = createDepartment("Audit D");
        JsonNode created = single(rows("DEPARTMENT", dept), "DEPARTMENT_CREATED");
        assertThat(created.get("actor").asString()).isEqualTo(hrUser.username());
        assertThat(created.get("after").get("name").asString()).startsWith("Audit D");

        JsonNode department = ok(api.get("/api/v1/departments/" + dept, hr));
        ok(api.put(
                "/api/v1/departments/" + dept,
                Map.of("name", department.get("name").asString(), "location", "Berlin"),
                hr));
        JsonNode updated = single(rows("DEPARTMENT", dept), "DEPARTMENT_UPDATED");
        assertThat(fieldNames(updated.get("after"))).containsExactly("location");
        assertThat(updated.get("after").get("location").asString()).isEqualTo("Berlin");

        long boss = hire("Bea", dept, "2099-01-01");
        ok(api.put(
                "/api/v1/departments/" + dept + "/manager", Map.of("empNo", boss, "effectiveDate", "2099-01-01"), hr));
        JsonNode appointed = single(rows("DEPARTMENT", dept), "DEPARTMENT_MANAGER_APPOINTED");
        assertThat(appointed.get("after").get("managerEmpNo").asLong()).isEqualTo(boss);
        JsonNode previous = appointed.get("before").path("managerEmpNo");
        assertThat(previous.isNull() || previous.isMissingNode()).isTrue();

        // Salary records: correct the current one, delete it, record it again.
        long salaryId = ok(api.get("/api/v1/salaries/employee/" + boss + "/current", hr))
                .get("id")
                .asLong();
        Map<String, Object> period = new LinkedHashMap<>();
        period.put("empNo", boss);
        period.put("amount", 52000);
        period.put("currency", "USD");
        period.put("fromDate", "2099-01-01");
        ok(api.put("/api/v1/salaries/" + salaryId, period, hr));
        JsonNode corrected = single(rows("SALARY", salaryId), "SALARY_UPDATED");
        assertThat(fieldNames(corrected.get("after"))).containsExactly("amount");
        assertThat(corrected.get("after").get("amount").decimalValue()).isEqualByComparingTo("52000");
        TokenApiClient.Response deleted = api.send("DELETE", "/api/v1/salaries/" + salaryId, null, hr);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        JsonNode removed = single(rows("SALARY", salaryId), "SALARY_DELETED");
        assertThat(removed.get("after")).isNull();
        assertThat(removed.get("before").get("empNo").asLong()).isEqualTo(boss);
        TokenApiClient.Response recorded = api.post("/api/v1/salaries", period, hr);
        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
        long newId = recorded.json().get("id").asLong();
        JsonNode again = single(rows("SALARY", newId), "SALARY_CREATED");
        assertThat(again.get("after").get("amount").decimalValue()).isEqualByComparingTo("52000");

        // Deleting (deactivating) an empty department.
        String empty = createDepartment("Audit E");
        TokenApiClient.Response deactivated = api.send("DELETE", "/api/v1/departments/" + empty, null, hr);
        assertThat(deactivated.status()).as(deactivated.toString()).isEqualTo(204);
        JsonNode gone = single(rows("DEPARTMENT", empty), "DEPARTMENT_DELETED");
        assertThat(gone.get("before").get("active").asBoolean()).isTrue();
        assertThat(gone.get("after").get("active").asBoolean()).isFalse();
    }

    @Test
    void aWriteRefusedAtCommitLeavesNeitherTheChangeNorItsAuditRow() {
        String dept = createDepartment("Audit R");
        long empNo = hire("Rolf", dept, "2020-01-06");
        // Checked at COMMIT, i.e. after the service inserted the audit row in the same transaction.
        jdbc.sql("""
                        CREATE FUNCTION refuse_audit_probe_salary() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            IF NEW.amount = 23456.78 THEN
                                RAISE EXCEPTION 'refused by test' USING ERRCODE = 'check_violation';
                            END IF;
                            RETURN NEW;
                        END $$
                        """).update();
        jdbc.sql("CREATE CONSTRAINT TRIGGER refuse_audit_probe_salary AFTER INSERT ON salaries"
                        + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_audit_probe_salary()")
                .update();
        try {
            TokenApiClient.Response refused = api.post(
                    "/api/v1/employees/" + empNo + "/salary-changes",
                    Map.of("salary", Map.of("amount", 23456.78), "effectiveDate", "2024-01-01"),
                    hr);
            assertThat(refused.status()).as(refused.toString()).isBetween(400, 599);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        } finally {
            jdbc.sql("DROP TRIGGER refuse_audit_probe_salary ON salaries").update();
            jdbc.sql("DROP FUNCTION refuse_audit_probe_salary()").update();
        }
        assertThat(actions(rows("EMPLOYEE", empNo))).containsExactly("EMPLOYEE_HIRED");
        JsonNode salary = ok(api.get("/api/v1/salaries/employee/" + empNo + "/current", hr));
        assertThat(salary.get("amount").decimalValue()).isEqualByComparingTo("50000");

        // The same change with an accepted amount commits both.
        ok(api.post(
                "/api/v1/employees/" + empNo + "/salary-changes",
                Map.of("salary", Map.of("amount", 23456.79), "effectiveDate", "2024-01-01"),
                hr));
        assertThat(actions(rows("EMPLOYEE", empNo))).containsExactly("EMPLOYEE_HIRED", "EMPLOYEE_SALARY_CHANGED");
    }

    private String createDepartment(String name) {
        TokenApiClient.Response created =
                api.post("/api/v1/departments", Map.of("name", name + " " + UUID.randomUUID()), hr);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.text("deptNo");
    }

    private long hire(String firstName, String deptNo, String hireDate) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("firstName", firstName);
        body.put("lastName", "Audited");
        body.put("birthDate", "1985-04-05");
        body.put("gender", "X");
        body.put("hireDate", hireDate);
        body.put("email", firstName.toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID() + "@example.test");
        body.put("phone", "+1 555 0000");
        body.put("deptNo", deptNo);
        body.put("title", "Auditor");
        body.put("salary", Map.of("amount", 50000, "currency", "USD"));
        TokenApiClient.Response hired = api.post("/api/v1/employees", body, hr);
        assertThat(hired.status()).as(hired.toString()).isEqualTo(201);
        return hired.json().get("empNo").asLong();
    }

    /** The entity's audit rows, oldest first, read through the admin API. */
    private JsonNode rows(String entityType, Object entityId) {
        TokenApiClient.Response page = api.get(
                "/api/v1/audit?entityType=" + entityType + "&entityId=" + entityId + "&sort=occurredAt,asc&size=100",
                admin);
        return ok(page).get("content");
    }

    private static JsonNode single(JsonNode rows, String action) {
        List<JsonNode> matching = new ArrayList<>();
        rows.forEach(row -> {
            if (row.get("action").asString().equals(action)) {
                matching.add(row);
            }
        });
        assertThat(matching).as("%s rows in %s", action, rows).hasSize(1);
        return matching.get(0);
    }

    private static List<String> actions(JsonNode rows) {
        List<String> actions = new ArrayList<>();
        rows.forEach(row -> actions.add(row.get("action").asString()));
        return actions;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.properties().forEach(entry -> names.add(entry.getKey()));
        return names;
    }

    private static JsonNode ok(TokenApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }
}
