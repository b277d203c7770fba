package io.employeemgmt.employee;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiClient.Response;
import io.employeemgmt.support.ApiTestBase;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class EmployeeApiTest extends ApiTestBase {

    @Test
    void listsCurrentEmployeesWithOffsetPagingAndTotalsOnlyWhenAskedToCount() {
        JsonNode uncounted =
                api.get("/api/v1/employees?page=1&size=25&sort=lastName,desc").json();
        assertThat(uncounted.path("page").path("number").asInt()).isEqualTo(1);
        assertThat(uncounted.path("page").has("totalElements")).isFalse();
        assertThat(uncounted.path("page").has("totalPages")).isFalse();
        assertThat(uncounted.path("nextCursor").asString()).isNotBlank();
        Response page = api.get("/api/v1/employees?page=1&size=25&sort=lastName,desc&count=true");
        assertThat(page.status()).isEqualTo(200);
        JsonNode body = page.json();
        assertThat(body.path("content")).hasSize(25);
        long active = jdbc.sql("SELECT count(*) FROM employees WHERE status <> 'TERMINATED'")
                .query(Long.class)
                .single();
        assertThat(body.path("page").path("totalElements").asLong()).isEqualTo(active);
        assertThat(body.path("content")).isEqualTo(uncounted.path("content"));
        assertThat(body.path("content").valueStream().map(e -> e.path("status").asString()))
                .doesNotContain("TERMINATED");
        List<String> names = body.path("content")
                .valueStream()
                .map(e -> e.path("lastName").asString())
                .toList();
        assertThat(names)
                .isSortedAccordingTo(
                        (a, b) -> jdbc.sql("SELECT CASE WHEN :a > :b THEN -1" + " WHEN :a < :b THEN 1 ELSE 0 END")
                                .param("a", a)
                                .param("b", b)
                                .query(Integer.class)
                                .single());
    }

    @Test
    void cursorPagingWalksEveryRowOnceInSortOrder() {
        Set<Long> seen = new HashSet<>();
        List<String> hireDates = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = api.get("/api/v1/employees?size=100&sort=hireDate,desc&department=d005"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            for (JsonNode row : page.json().path("content")) {
                assertThat(seen.add(row.path("empNo").asLong())).isTrue();
                hireDates.add(row.path("hireDate").asString());
            }
            if (cursor != null) {
                assertThat(page.json().has("page")).isFalse();
            }
            cursor = page.json().path("nextCursor").asString(null);
            pages++;
        } while (cursor != null && pages < 50);
        long expected = jdbc.sql("SELECT count(*) FROM employees e JOIN dept_emp de ON de.emp_no = e.emp_no"
                        + " AND de.to_date = '9999-12-31' WHERE de.dept_no = 'd005' AND e.status <> 'TERMINATED'")
                .query(Long.class)
                .single();
        assertThat(seen).hasSize((int) expected);
        assertThat(hireDates).isSortedAccordingTo((a, b) -> b.compareTo(a));
    }

    @Test
    void cursorFromAnotherSortIsRejected() {
        String cursor = api.get("/api/v1/employees?size=5&sort=lastName")
                .json()
                .path("nextCursor")
                .asString();
        assertFieldError(api.get("/api/v1/employees?size=5&sort=hireDate&cursor=" + cursor), "cursor");
        assertFieldError(api.get("/api/v1/employees?cursor=not-a-cursor"), "cursor");
        assertFieldError(api.get("/api/v1/employees?page=2&cursor=" + cursor), "page");
    }

    @Test
    void filtersByStatusDepartmentTitleGenderHireDateAndFuzzyName() {
        JsonNode engineers = api.get("/api/v1/employees?size=100&department=d004&title=Engineer&gender=M"
                        + "&hiredFrom=2012-01-01&hiredTo=2020-12-31")
                .json();
        assertThat(engineers.path("content")).isNotEmpty();
        for (JsonNode e : engineers.path("content")) {
            assertThat(e.path("deptNo").asString()).isEqualTo("d004");
            assertThat(e.path("title").asString()).isEqualTo("Engineer");
            assertThat(e.path("gender").asString()).isEqualTo("M");
            assertThat(e.path("hireDate").asString()).isBetween("2012-01-01", "2020-12-31");
        }
        JsonNode terminated =
                api.get("/api/v1/employees?status=TERMINATED&size=5").json();
        assertThat(terminated
                        .path("content")
                        .valueStream()
                        .map(e -> e.path("status").asString()))
                .isNotEmpty()
                .containsOnly("TERMINATED");
        // A typo still finds the person: trigram similarity, not only substring match.
        JsonNode fuzzy = api.get("/api/v1/employees?q=Montemayr&size=100").json();
        assertThat(fuzzy.path("content")
                        .valueStream()
                        .map(e -> e.path("lastName").asString()))
                .contains("Montemayor");
        // LIKE wildcards in q are matched literally, not as "anything".
        JsonNode literal = api.get("/api/v1/employees?q=%25_%25&size=5").json();
        assertThat(literal.path("content")).isEmpty();
    }

    @Test
    void hiresAnEmployeeWithDepartmentTitleAndSalaryInOneGo() {
        Response created = api.post("/api/v1/employees", newEmployee("d005"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        long empNo = body.path("empNo").asLong();
        assertThat(created.header("Location")).isEqualTo("/api/v1/employees/" + empNo);
        assertThat(created.header("ETag")).isEqualTo("\"0\"");
        assertThat(body.path("department").path("deptNo").asString()).isEqualTo("d005");
        assertThat(body.path("title").path("title").asString()).isEqualTo("Engineer");
        assertThat(body.path("salary").path("amount").decimalValue()).isEqualByComparingTo("70000");
        assertThat(body.path("manager").path("empNo").isMissingNode()).isFalse();

        Response fetched = api.get("/api/v1/employees/" + empNo);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().path("email").asString())
                .isEqualTo(body.path("email").asString());
        assertThat(api.get("/api/v1/employees/" + empNo + "/titles").json()).hasSize(1);
        assertThat(api.get("/api/v1/employees/" + empNo + "/salaries").json()).hasSize(1);
        assertThat(api.get("/api/v1/employees/" + empNo + "/departments").json())
                .hasSize(1);
    }

    @Test
    void replacesAndPatchesWithOptimisticLocking() {
        JsonNode employee = hire("d001");
        long empNo = employee.path("empNo").asLong();
        Map<String, Object> update = Map.of(
                "firstName", "Augusta",
                "lastName", "King",
                "birthDate", "1990-12-10",
                "gender", "F",
                "email", employee.path("email").asString(),
                "status", "ON_LEAVE");
        Response replaced = api.put("/api/v1/employees/" + empNo, update, Map.of("If-Match", "\"0\""));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.header("ETag")).isEqualTo("\"1\"");
        assertThat(replaced.json().path("phone").isMissingNode()).isTrue();
        assertThat(replaced.json().path("status").asString()).isEqualTo("ON_LEAVE");

        assertProblem(api.put("/api/v1/employees/" + empNo, update, Map.of("If-Match", "\"0\"")), 412);

        Response patched = api.send(
                "PATCH",
                "/api/v1/employees/" + empNo,
                "{\"phone\":\"+1 555 0100\",\"address\":null,\"status\":\"ACTIVE\"}",
                "application/merge-patch+json",
                Map.of("If-Match", "\"1\""));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().path("phone").asString()).isEqualTo("+1 555 0100");
        assertThat(patched.json().path("firstName").asString()).isEqualTo("Augusta");
        assertThat(patched.json().path("status").asString()).isEqualTo("ACTIVE");

        assertProblem(
                api.send(
                        "PATCH",
                        "/api/v1/employees/" + empNo,
                        "{\"phone\":\"+1 555 0101\"}",
                        "application/merge-patch+json",
                        Map.of("If-Match", "\"1\"")),
                412);
        assertFieldError(
                api.send(
                        "PATCH",
                        "/api/v1/employees/" + empNo,
                        "{\"firstName\":\"\"}",
                        "application/merge-patch+json",
                        Map.of("If-Match", "\"2\"")),
                "firstName");
        assertFieldError(
                api.send(
                        "PATCH",
                        "/api/v1/employees/" + empNo,
                        "{\"salary\":1}",
                        "application/merge-patch+json",
                        Map.of("If-Match", "\"2\"")),
                "salary");
        // Without If-Match a patch is refused before anything is read or merged: 428, never 412.
        assertProblem(
                api.send(
                        "PATCH",
                        "/api/v1/employees/" + empNo,
                        "{\"phone\":\"+1 555 0102\"}",
                        "application/merge-patch+json",
                        Map.of()),
                428);
    }

    @Test
    void ofTwoConcurrentWritersWithTheSameVersionExactlyOneWins() throws Exception {
        long empNo = hire("d002").path("empNo").asLong();
        JsonNode current = api.get("/api/v1/employees/" + empNo).json();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> writers = new ArrayList<>();
        for (String name : List.of("Writer-One", "Writer-Two")) {
            writers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return api.put(
                                "/api/v1/employees/" + empNo,
                                Map.of(
                                        "firstName", name,
                                        "lastName", "Race",
                                        "birthDate", "1990-12-10",
                                        "gender", "F",
                                        "email", current.path("email").asString(),
                                        "status", "ACTIVE"),
                                Map.of(
                                        "If-Match",
                                        "\"" + current.path("version").asLong() + "\""))
                        .status();
            }));
        }
        start.countDown();
        List<Integer> statuses =
                writers.stream().map(CompletableFuture::join).sorted().toList();
        assertThat(statuses).containsExactly(200, 412);
        assertThat(api.get("/api/v1/employees/" + empNo).json().path("version").asLong())
                .isEqualTo(current.path("version").asLong() + 1);
    }

    @Test
    void transferPromotionAndSalaryChangeCloseTheCurrentRecordAndOpenTheNext() {
        long empNo = hire("d001").path("empNo").asLong();
        Response transferred = api.post(
                "/api/v1/employees/" + empNo + "/transfers", Map.of("deptNo", "d007", "effectiveDate", "2021-03-01"));
        assertThat(transferred.status()).as(transferred.toString()).isEqualTo(200);
        assertThat(transferred.json().path("department").path("deptNo").asString())
                .isEqualTo("d007");
        Response promoted = api.post(
                "/api/v1/employees/" + empNo + "/promotions",
                Map.of("title", "Senior Engineer", "effectiveDate", "2022-01-01"));
        assertThat(promoted.json().path("title").path("title").asString()).isEqualTo("Senior Engineer");
        Response raised = api.post(
                "/api/v1/employees/" + empNo + "/salary-changes",
                Map.of("salary", Map.of("amount", 82000), "effectiveDate", "2022-01-01"));
        assertThat(raised.json().path("salary").path("amount").decimalValue()).isEqualByComparingTo("82000");

        JsonNode departments =
                api.get("/api/v1/employees/" + empNo + "/departments").json();
        assertThat(departments).hasSize(2);
        assertThat(departments.get(1).path("toDate").asString()).isEqualTo("2021-03-01");
        assertThat(departments.get(0).path("fromDate").asString()).isEqualTo("2021-03-01");
        assertThat(departments.get(0).path("toDate").asString()).isEqualTo("9999-12-31");
        JsonNode salaries = api.get("/api/v1/salaries/employee/" + empNo).json();
        assertThat(salaries).hasSize(2);
        assertThat(salaries.get(1).path("toDate").asString()).isEqualTo("2022-01-01");

        // Back-dating before the current record began would overlap history: refused, nothing written.
        Response overlapping = api.post(
                "/api/v1/employees/" + empNo + "/salary-changes",
                Map.of("salary", Map.of("amount", 90000), "effectiveDate", "2021-06-01"));
        assertProblem(overlapping, 409);
        assertThat(api.get("/api/v1/salaries/employee/" + empNo).json()).hasSize(2);
        // Back-dating after it began is allowed.
        Response backDated = api.post(
                "/api/v1/employees/" + empNo + "/salary-changes",
                Map.of("salary", Map.of("amount", 85000), "effectiveDate", "2023-06-01"));
        assertThat(backDated.status()).as(backDated.toString()).isEqualTo(200);

        assertFieldError(
                api.post(
                        "/api/v1/employees/" + empNo + "/promotions",
                        Map.of(
                                "title",
                                "Staff",
                                "effectiveDate",
                                LocalDate.now(ZoneOffset.UTC).plusDays(3).toString())),
                "effectiveDate");
        assertFieldError(
                api.post(
                        "/api/v1/employees/" + empNo + "/transfers",
                        Map.of("deptNo", "d999", "effectiveDate", "2024-01-01")),
                "deptNo");
        assertProblem(
                api.post(
                        "/api/v1/employees/" + empNo + "/transfers",
                        Map.of("deptNo", "d007", "effectiveDate", "2024-01-01")),
                409);
    }

    @Test
    void terminationIsASoftDeleteThatKeepsHistory() {
        long empNo = hire("d003").path("empNo").asLong();
        Response deleted = api.delete("/api/v1/employees/" + empNo + "?terminationDate=2024-05-31");
        assertThat(deleted.status()).isEqualTo(204);
        JsonNode employee = api.get("/api/v1/employees/" + empNo).json();
        assertThat(employee.path("status").asString()).isEqualTo("TERMINATED");
        assertThat(employee.path("terminationDate").asString()).isEqualTo("2024-05-31");
        assertThat(employee.path("department").isMissingNode()).isTrue();
        JsonNode titles = api.get("/api/v1/employees/" + empNo + "/titles").json();
        assertThat(titles).hasSize(1);
        assertThat(titles.get(0).path("toDate").asString()).isEqualTo("2024-05-31");
        String search = "/api/v1/employees?size=100&q=" + employee.path("email").asString();
        assertThat(api.get(search)
                        .json()
                        .path("content")
                        .valueStream()
                        .map(e -> e.path("empNo").asLong()))
                .doesNotContain(empNo);
        assertThat(api.get(search + "&status=TERMINATED")
                        .json()
                        .path("content")
                        .valueStream()
                        .map(e -> e.path("empNo").asLong()))
                .contains(empNo);
        assertThat(api.delete("/api/v1/employees/" + empNo).status()).isEqualTo(204);
        assertProblem(api.post("/api/v1/employees/" + empNo + "/promotions", Map.of("title", "Staff")), 409);
        assertProblem(api.delete("/api/v1/employees/99999999"), 404);
    }

    @Test
    void historyOfAnUnknownEmployeeIs404() {
        assertProblem(api.get("/api/v1/employees/99999999/titles"), 404);
        assertProblem(api.get("/api/v1/employees/99999999/salaries"), 404);
        assertProblem(api.get("/api/v1/employees/99999999/departments"), 404);
    }
}
