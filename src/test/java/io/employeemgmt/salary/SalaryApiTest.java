package io.employeemgmt.salary;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiClient.Response;
import io.employeemgmt.support.ApiTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SalaryApiTest extends ApiTestBase {

    @Test
    void listsWithFiltersAndPaging() {
        JsonNode page = api.get("/api/v1/salaries?minAmount=100000&maxAmount=120000&fromDate=2024-01-01"
                        + "&toDate=2024-12-31&sort=amount,desc&size=50")
                .json();
        long expected = jdbc.sql("SELECT count(*) FROM salaries WHERE amount BETWEEN 100000 AND 120000"
                        + " AND to_date > '2024-01-01' AND from_date <= '2024-12-31'")
                .query(Long.class)
                .single();
        assertThat(page.path("page").path("totalElements").asLong()).isEqualTo(expected);
        for (JsonNode s : page.path("content")) {
            assertThat(s.path("amount").decimalValue())
                    .isBetween(new java.math.BigDecimal("100000"), new java.math.BigDecimal("120000"));
        }
    }

    @Test
    void crudOnSalaryPeriodsGuardedByTheDatabase() {
        long empNo = hire("d002").path("empNo").asLong();
        long currentId = api.get("/api/v1/salaries/employee/" + empNo + "/current")
                .json()
                .path("id")
                .asLong();

        // A second current salary, and an overlapping period, are both refused.
        Response secondCurrent =
                api.post("/api/v1/salaries", Map.of("empNo", empNo, "amount", 1000, "fromDate", "2019-01-01"));
        assertProblem(secondCurrent, 409);
        Response overlapping = api.post(
                "/api/v1/salaries",
                Map.of("empNo", empNo, "amount", 1000, "fromDate", "2020-06-01", "toDate", "2020-07-01"));
        assertProblem(overlapping, 409);

        Response created = api.post(
                "/api/v1/salaries",
                Map.of(
                        "empNo",
                        empNo,
                        "amount",
                        500,
                        "currency",
                        "EUR",
                        "fromDate",
                        "2019-01-01",
                        "toDate",
                        "2020-01-06"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().path("id").asLong();
        assertThat(api.get("/api/v1/salaries/" + id).json().path("currency").asString())
                .isEqualTo("EUR");

        Response updated = api.put(
                "/api/v1/salaries/" + id,
                Map.of(
                        "empNo",
                        empNo,
                        "amount",
                        650,
                        "currency",
                        "EUR",
                        "fromDate",
                        "2019-01-01",
                        "toDate",
                        "2020-01-06"),
                Map.of());
        assertThat(updated.json().path("amount").decimalValue()).isEqualByComparingTo("650");
        assertFieldError(
                api.put(
                        "/api/v1/salaries/" + id,
                        Map.of("empNo", empNo, "amount", 650, "fromDate", "2019-06-01", "toDate", "2019-01-01"),
                        Map.of()),
                "toDate");
        // An empty period [d, d) covers no day: the database refuses it (V41), the API answers 400 on toDate.
        assertFieldError(
                api.post(
                        "/api/v1/salaries",
                        Map.of("empNo", empNo, "amount", 650, "fromDate", "2018-03-01", "toDate", "2018-03-01")),
                "toDate");
        assertFieldError(
                api.put(
                        "/api/v1/salaries/" + id,
                        Map.of("empNo", empNo, "amount", 650, "fromDate", "2020-01-06", "toDate", "2020-01-06"),
                        Map.of()),
                "toDate");
        assertFieldError(
                api.post("/api/v1/salaries", Map.of("empNo", 99999999, "amount", 1, "fromDate", "2019-01-01")),
                "empNo");
        assertFieldError(
                api.post("/api/v1/salaries", Map.of("empNo", empNo, "amount", -5, "fromDate", "2019-01-01")), "amount");

        assertThat(api.get("/api/v1/salaries/employee/" + empNo).json()).hasSize(2);
        assertThat(api.delete("/api/v1/salaries/" + id).status()).isEqualTo(204);
        assertProblem(api.delete("/api/v1/salaries/" + id), 404);
        assertThat(api.get("/api/v1/salaries/" + currentId).status()).isEqualTo(200);
        assertProblem(api.get("/api/v1/salaries/employee/99999999/current"), 404);
    }
}
