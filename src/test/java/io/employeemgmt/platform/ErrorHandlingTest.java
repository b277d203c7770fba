package io.employeemgmt.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiClient.Response;
import io.employeemgmt.support.ApiTestBase;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every class of bad input gets RFC 9457 problem+json naming the field, and never a 500 or a partial write. */
class ErrorHandlingTest extends ApiTestBase {

    private static final String EMPLOYEES = "/api/v1/employees";

    @Test
    void malformedJsonIs400() {
        Response response = api.send("POST", EMPLOYEES, "{\"firstName\": ", "application/json", Map.of());
        assertProblem(response, 400);
        assertThat(response.json().path("detail").asString()).contains("not valid JSON");
    }

    @Test
    void wrongTypesUnknownEnumsUnknownFieldsAndBadDatesName400TheField() {
        var body = newEmployee("d001");
        body.put("birthDate", "10/12/1990");
        assertFieldError(api.post(EMPLOYEES, body), "birthDate");

        body = newEmployee("d001");
        body.put("gender", "Q");
        Response badEnum = api.post(EMPLOYEES, body);
        assertFieldError(badEnum, "gender");
        assertThat(badEnum.json().path("detail").asString()).contains("M, F, X");

        body = newEmployee("d001");
        body.put("salary", Map.of("amount", "lots"));
        assertFieldError(api.post(EMPLOYEES, body), "salary.amount");

        body = newEmployee("d001");
        body.put("nickname", "Ada");
        assertFieldError(api.post(EMPLOYEES, body), "nickname");

        assertFieldError(api.get(EMPLOYEES + "?hiredFrom=yesterday"), "hiredFrom");
        assertFieldError(api.get("/api/v1/analytics/summary?asOf=2020-13-01"), "asOf");
        assertFieldError(api.get("/api/v1/analytics/employee-trends?interval=WEEK"), "interval");
    }

    @Test
    void validationErrorsListEveryField() {
        var body = newEmployee("d001");
        body.put("firstName", "x".repeat(51));
        body.put("email", "not-an-email");
        body.remove("title");
        Response response = api.post(EMPLOYEES, body);
        assertFieldError(response, "firstName");
        assertFieldError(response, "email");
        assertFieldError(response, "title");
        assertThat(response.json().path("errors")).hasSize(3);
    }

    @Test
    void pagingAndSortingOutOfRangeIs400() {
        assertFieldError(api.get(EMPLOYEES + "?size=0"), "size");
        assertFieldError(api.get(EMPLOYEES + "?size=101"), "size");
        assertFieldError(api.get(EMPLOYEES + "?page=-1"), "page");
        assertFieldError(api.get(EMPLOYEES + "?sort=salary"), "sort");
        assertFieldError(api.get(EMPLOYEES + "?sort=lastName,sideways"), "sort");
        assertFieldError(api.get(EMPLOYEES + "?q=" + "a".repeat(101)), "q");
        assertFieldError(api.get("/api/v1/salaries?minAmount=5000&maxAmount=10"), "minAmount");
    }

    @Test
    void databaseRulesComeBackAsFieldErrorsWithoutSql() {
        var body = newEmployee("d001");
        body.put("birthDate", "2015-01-01");
        assertFieldError(api.post(EMPLOYEES, body), "hireDate");
    }

    @Test
    void notFoundIs404ForResourcesAndRoutes() {
        assertProblem(api.get(EMPLOYEES + "/99999999"), 404);
        assertProblem(api.get("/api/v1/departments/d999"), 404);
        assertProblem(api.get("/api/v1/salaries/999999999"), 404);
        assertProblem(api.get("/api/v1/no-such-thing"), 404);
    }

    @Test
    void duplicatesAre409() {
        var body = newEmployee("d001");
        assertThat(api.post(EMPLOYEES, body).status()).isEqualTo(201);
        body.put("email", body.get("email").toString().toUpperCase(Locale.ROOT));
        Response duplicate = api.post(EMPLOYEES, body);
        assertProblem(duplicate, 409);
        assertThat(duplicate.json().path("errors").get(0).path("field").asString())
                .isEqualTo("email");

        Response department = api.post("/api/v1/departments", Map.of("name", "marketing"));
        assertProblem(department, 409);
        assertThat(department.json().path("errors").get(0).path("field").asString())
                .isEqualTo("name");
    }

    @Test
    void wrongMediaTypeIs415AndWrongMethodIs405() {
        assertProblem(api.send("POST", EMPLOYEES, "firstName=Ada", "text/plain", Map.of()), 415);
        assertProblem(api.send("PATCH", "/api/v1/departments/d001", "{}", "application/json", Map.of()), 405);
    }

    @Test
    void malformedIfMatchIs400() {
        assertFieldError(
                api.put("/api/v1/departments/d001", Map.of("name", "Marketing"), Map.of("If-Match", "3")), "If-Match");
    }

    @Test
    void aHireThatFailsAtItsLastWriteLeavesNoRowBehind() {
        // The salary row is the last of four inserts; make the database refuse exactly that one.
        jdbc.sql("""
                        CREATE FUNCTION refuse_test_salary() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            IF NEW.amount = 12345.67 THEN
                                RAISE EXCEPTION 'refused by test' USING ERRCODE = 'check_violation';
                            END IF;
                            RETURN NEW;
                        END $$
                        """).update();
        jdbc.sql("CREATE TRIGGER refuse_test_salary BEFORE INSERT ON salaries FOR EACH ROW"
                        + " EXECUTE FUNCTION refuse_test_salary()")
                .update();
        try {
            var body = newEmployee("d001");
            body.put("salary", Map.of("amount", 12345.67));
            String email = body.get("email").toString();
            assertProblem(api.post(EMPLOYEES, body), 400);
            assertThat(jdbc.sql("SELECT count(*) FROM employees WHERE email = :email")
                            .param("email", email)
                            .query(Long.class)
                            .single())
                    .isZero();
        } finally {
            jdbc.sql("DROP TRIGGER refuse_test_salary ON salaries").update();
            jdbc.sql("DROP FUNCTION refuse_test_salary()").update();
        }
    }
}
