package io.employeemgmt.employee;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.platform.security.Role;
import io.employeemgmt.support.ApiIntegrationTest;
import io.employeemgmt.support.TokenApiClient;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The CSV endpoints: the export is exactly the filtered, per-caller list; the import writes all or nothing. */
class EmployeeCsvApiTest extends ApiIntegrationTest {

    private static final String HEADER =
            "firstName,lastName,birthDate,gender,hireDate,email,phone,address,deptNo,title,salary,currency\n";

    @Autowired
    JdbcClient jdbc;

    private TokenApiClient.Response upload(String csv, String query, String token) {
        return api.sendText("POST", "/api/v1/employees/import" + query, "text/csv", csv, token, "application/json");
    }

    private long withEmail(String email) {
        return jdbc.sql("SELECT count(*) FROM employees WHERE email = ?")
                .param(email)
                .query(Long.class)
                .single();
    }

    private static String row(String email, String deptNo) {
        return "Grace,Hopper,1980-12-09,F,2020-03-02," + email + ",,\"1 Main St, Arlington\"," + deptNo
                + ",Engineer,81000.50,USD\n";
    }

    @Test
    void aDryRunReportsEachBadRowWithLineAndFieldAndWritesNothing() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String good = "grace-" + tag + "@example.com";
        String csv = HEADER + row(good, "d005") + row("not-an-email", "d999")
                + "Alan,Turing,1912-06-23,Q,2020-03-02,alan-" + tag + "@example.com,,,d005,Engineer,abc,\n";
        TokenApiClient.Response report = upload(csv, "?dryRun=true", tokenFor(Role.HR_MANAGER));
        assertThat(report.status()).as(report.toString()).isEqualTo(200);
        JsonNode body = report.json();
        assertThat(body.get("rows").asInt()).isEqualTo(3);
        assertThat(body.get("valid").asInt()).isEqualTo(1);
        assertThat(body.get("invalid").asInt()).isEqualTo(2);
        assertThat(body.get("created").asInt()).isZero();
        List<String> problems = body.get("problems")
                .valueStream()
                .map(p -> p.get("line").asInt() + " " + p.get("field").asString())
                .toList();
        assertThat(problems).contains("3 email", "4 gender", "4 salary");
        assertThat(withEmail(good)).as("dry run wrote nothing").isZero();
    }

    @Test
    void aFileWithErrorsIsRefusedAndNothingIsWrittenUnlessOnlyTheValidRowsAreAskedFor() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String good = "grace-" + tag + "@example.com";
        String csv = HEADER + row(good, "d005") + row(good, "d005");
        String token = tokenFor(Role.HR_MANAGER);
        TokenApiClient.Response refused = upload(csv, "", token);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("line 3: email");
        assertThat(withEmail(good)).isZero();

        TokenApiClient.Response imported = upload(csv, "?validOnly=true", token);
        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        assertThat(imported.json().get("created").asInt()).isEqualTo(1);
        assertThat(imported.json().get("results").get(0).get("empNo").asLong()).isPositive();
        assertThat(withEmail(good)).isOne();
    }

    @Test
    void onlyHrMayImport() {
        TokenApiClient.Response refused =
                upload(HEADER + row("x@example.com", "d005"), "?dryRun=true", tokenFor(Role.EMPLOYEE));
        assertThat(refused.status()).isEqualTo(403);
    }

    @Test
    void theExportHoldsExactlyTheFilteredListWithoutPrivateFieldsForAnEmployee() {
        String query = "?department=d004&gender=F&hiredFrom=1990-01-01&sort=hireDate,desc";
        String hr = tokenFor(Role.HR_MANAGER);
        TokenApiClient.Response csv =
                api.sendText("GET", "/api/v1/employees/export" + query, "text/plain", "", hr, "text/csv");
        assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
        List<String> lines = Arrays.asList(csv.body().split("\r\n"));
        assertThat(lines.getFirst())
                .isEqualTo("empNo,firstName,lastName,email,gender,birthDate,hireDate,status,deptNo,deptName,title");
        long expected = jdbc.sql("""
                        SELECT count(*) FROM employees e JOIN dept_emp de ON de.emp_no = e.emp_no
                         AND de.to_date = DATE '9999-12-31'
                        WHERE de.dept_no = 'd004' AND e.gender = 'F' AND e.hire_date >= DATE '1990-01-01'
                          AND e.status <> 'TERMINATED'""").query(Long.class).single();
        assertThat(lines).hasSize((int) expected + 1);
        assertThat(lines.subList(1, lines.size()))
                .allSatisfy(line -> assertThat(line.split(",", -1)[5]).isNotEmpty());

        TokenApiClient.Response directory = api.sendText(
                "GET", "/api/v1/employees/export" + query, "text/plain", "", tokenFor(Role.EMPLOYEE), "text/csv");
        List<String> rows = Arrays.asList(directory.body().split("\r\n"));
        assertThat(rows).hasSize((int) expected + 1);
        assertThat(rows.subList(1, rows.size()))
                .as("no birth dates for an employee")
                .allSatisfy(line -> assertThat(line.split(",", -1)[5]).isEmpty());
    }
}
