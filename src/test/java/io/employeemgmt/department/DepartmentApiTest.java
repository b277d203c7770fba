package io.employeemgmt.department;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiClient.Response;
import io.employeemgmt.support.ApiTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DepartmentApiTest extends ApiTestBase {

    @Test
    void listsAndGetsDepartments() {
        JsonNode page = api.get("/api/v1/departments?sort=name&size=100").json();
        assertThat(page.path("page").path("totalElements").asLong()).isGreaterThanOrEqualTo(9);
        Response marketing = api.get("/api/v1/departments/d001");
        assertThat(marketing.status()).isEqualTo(200);
        assertThat(marketing.json().path("name").asString()).isEqualTo("Marketing");
        assertThat(marketing.header("ETag")).isNotBlank();
        long headcount = jdbc.sql("SELECT count(*) FROM dept_emp WHERE dept_no = 'd001' AND to_date = '9999-12-31'")
                .query(Long.class)
                .single();
        assertThat(marketing.json().path("currentHeadcount").asLong()).isEqualTo(headcount);
    }

    @Test
    void createsUpdatesWithIfMatchAndDeletesAnEmptyDepartment() {
        String name = unique("Platform ");
        Response created = api.post(
                "/api/v1/departments",
                Map.of("name", name, "description", "Internal platform", "budget", 250000, "location", "Remote"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String deptNo = created.json().path("deptNo").asString();
        assertThat(deptNo).matches("d[0-9]{3}");
        assertThat(created.header("Location")).isEqualTo("/api/v1/departments/" + deptNo);

        Response updated = api.put(
                "/api/v1/departments/" + deptNo,
                Map.of("name", name, "budget", 300000, "parentDeptNo", "d005"),
                Map.of("If-Match", created.header("ETag")));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().path("parentDeptNo").asString()).isEqualTo("d005");
        assertProblem(
                api.put(
                        "/api/v1/departments/" + deptNo,
                        Map.of("name", name),
                        Map.of("If-Match", created.header("ETag"))),
                412);
        assertFieldError(
                api.put("/api/v1/departments/" + deptNo, Map.of("name", name, "parentDeptNo", deptNo), Map.of()),
                "parentDeptNo");

        assertThat(api.delete("/api/v1/departments/" + deptNo).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/departments/" + deptNo)
                        .json()
                        .path("active")
                        .asBoolean())
                .isFalse();
        assertFieldError(api.post("/api/v1/employees", newEmployee(deptNo)), "deptNo");
    }

    @Test
    void refusesToDeleteADepartmentWithCurrentEmployees() {
        Response refused = api.delete("/api/v1/departments/d004");
        assertProblem(refused, 409);
        assertThat(refused.json().path("detail").asString()).contains("current employees");
        assertThat(api.get("/api/v1/departments/d004").json().path("active").asBoolean())
                .isTrue();
    }

    @Test
    void membersManagersAndStatistics() {
        JsonNode members = api.get("/api/v1/departments/d006/employees?size=10&sort=lastName")
                .json();
        assertThat(members.path("content")).hasSize(10);
        long headcount = jdbc.sql("SELECT count(*) FROM dept_emp WHERE dept_no = 'd006' AND to_date = '9999-12-31'")
                .query(Long.class)
                .single();
        assertThat(members.path("page").path("totalElements").asLong()).isEqualTo(headcount);

        JsonNode manager = api.get("/api/v1/departments/d006/manager").json();
        assertThat(manager.path("toDate").asString()).isEqualTo("9999-12-31");
        int historyBefore = api.get("/api/v1/departments/d006/managers").json().size();

        long newManager = hire("d006").path("empNo").asLong();
        Response appointed = api.put(
                "/api/v1/departments/d006/manager",
                Map.of("empNo", newManager, "effectiveDate", "2024-02-01"),
                Map.of());
        assertThat(appointed.status()).as(appointed.toString()).isEqualTo(200);
        assertThat(appointed.json().path("empNo").asLong()).isEqualTo(newManager);
        JsonNode history = api.get("/api/v1/departments/d006/managers").json();
        assertThat(history).hasSize(historyBefore + 1);
        assertThat(history.get(1).path("toDate").asString()).isEqualTo("2024-02-01");

        JsonNode stats = api.get("/api/v1/departments/d006/statistics").json();
        var expected = jdbc.sql("""
                        SELECT count(*) AS n, sum(s.amount) AS payroll, max(s.amount) AS top
                        FROM dept_emp de JOIN salaries s ON s.emp_no = de.emp_no AND s.to_date = '9999-12-31'
                        WHERE de.dept_no = 'd006' AND de.to_date = '9999-12-31'
                        """).query().singleRow();
        assertThat(stats.path("headcount").asLong()).isEqualTo(((Number) expected.get("n")).longValue());
        assertThat(stats.path("payroll").decimalValue())
                .isEqualByComparingTo(expected.get("payroll").toString());
        assertThat(stats.path("maxSalary").decimalValue())
                .isEqualByComparingTo(expected.get("top").toString());
        assertProblem(api.get("/api/v1/departments/d999/manager"), 404);

        long leaver = hire("d006").path("empNo").asLong();
        assertThat(api.delete("/api/v1/employees/" + leaver + "?terminationDate=2024-03-01")
                        .status())
                .isEqualTo(204);
        assertProblem(
                api.put(
                        "/api/v1/departments/d006/manager",
                        Map.of("empNo", leaver, "effectiveDate", "2024-04-01"),
                        Map.of()),
                409);
        assertFieldError(api.put("/api/v1/departments/d006/manager", Map.of("empNo", 99999999), Map.of()), "empNo");
    }
}
