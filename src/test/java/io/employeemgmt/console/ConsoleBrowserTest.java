package io.employeemgmt.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.platform.security.Role;
import io.employeemgmt.support.ApiIntegrationTest;
import io.employeemgmt.support.TokenApiClient;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The web console in a real browser (headless Chromium) against the running service with the demo data: sign-in,
 * search, profile, every HR action with a validation error and a 412, session expiry, org chart, analytics,
 * CSV import with a bad row, administration, and what an EMPLOYEE can and cannot reach. axe-core checks the main
 * pages (no serious or critical violation); screenshots of them at 1280x800 land in target/console-screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest extends ApiIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    private Browser browser;
    private TestUser hr;
    private TestUser employee;
    private long self;
    private long colleague;

    @BeforeAll
    void startBrowserAndUsers() {
        browser = Browser.start(port);
        api = new TokenApiClient(port);
        hr = createUser("console-hr", Role.HR_MANAGER);
        List<Long> people = jdbc.sql("""
                        SELECT e.emp_no FROM employees e JOIN salaries s ON s.emp_no = e.emp_no
                         AND s.to_date = DATE '9999-12-31'
                        WHERE e.status = 'ACTIVE' AND e.emp_no BETWEEN 10100 AND 10300
                        ORDER BY e.emp_no LIMIT 2""").query(Long.class).list();
        self = people.get(0);
        colleague = people.get(1);
        String username = "console-employee-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Pw-" + UUID.randomUUID();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("password", password);
        body.put("roles", List.of("EMPLOYEE"));
        body.put("employeeNumber", self);
        assertThat(api.post("/api/v1/users", body, adminToken()).status()).isEqualTo(201);
        employee = new TestUser(null, username, null, password);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.driver.manage().deleteAllCookies();
        browser.viewport(1280, 800);
    }

    @Test
    void anHrManagerSignsInSearchesAsTheyTypePagesDeepAndOpensAProfile() {
        browser.open("/console/employees?department=d005");
        assertThat(browser.path()).startsWith("/console/login?continue=");
        browser.screenshot("01-sign-in");
        browser.assertAccessible("sign-in");

        browser.signIn(hr.username(), hr.password());
        assertThat(browser.path()).isEqualTo("/console/employees?department=d005");
        browser.open("/console/employees");

        String lastName = jdbc.sql("SELECT last_name FROM employees WHERE emp_no = ?")
                .param(colleague)
                .query(String.class)
                .single();
        browser.fill(By.id("q"), lastName.substring(0, Math.min(5, lastName.length())));
        browser.awaitText(By.id("results"), lastName);
        assertThat(browser.path()).as("the search is in the address").contains("q=");
        browser.screenshot("02-directory");
        browser.assertAccessible("directory");

        // Filters and keyset paging: a department, then the next page by cursor.
        browser.open("/console/employees?department=d005&sort=lastName,asc");
        String firstRow = browser.text(By.cssSelector("#results tbody tr"));
        browser.driver.findElement(By.id("next-page")).click();
        browser.awaitText(By.cssSelector("#results"), "First page");
        assertThat(browser.path()).contains("cursor=");
        assertThat(browser.text(By.cssSelector("#results tbody tr"))).isNotEqualTo(firstRow);
        assertThat(browser.driver.findElements(By.cssSelector("#results tbody tr td:nth-child(4)")))
                .extracting(WebElement::getText)
                .containsOnly("Development");

        browser.open("/console/employees/" + colleague);
        assertThat(browser.text(By.tagName("h1"))).contains(lastName);
        assertThat(browser.present(By.id("current-salary"))).isTrue();
        assertThat(browser.driver.findElements(By.cssSelector("#salary-history li")))
                .isNotEmpty();
        browser.screenshot("03-profile");
        browser.assertAccessible("profile");
    }

    @Test
    void aWrongPasswordIsRefusedAndFiveOfThemLockTheAccount() {
        TestUser user = createUser("console-lock", Role.EMPLOYEE);
        for (int attempt = 0; attempt < 5; attempt++) {
            browser.signIn(user.username(), "wrong-password-" + attempt);
            assertThat(browser.text(By.id("signin-error"))).isEqualTo("Invalid username or password");
        }
        browser.signIn(user.username(), user.password());
        assertThat(browser.path())
                .as("locked: the right password is refused too")
                .startsWith("/console/login");
        assertThat(browser.text(By.id("signin-error"))).isEqualTo("Invalid username or password");
    }

    @Test
    void anHrManagerHiresEditsTransfersPromotesChangesTheSalaryAndTerminatesWithTheApisMessages() {
        browser.signIn(hr.username(), hr.password());
        String email = "console-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        browser.open("/console/employees/new");
        browser.fill(By.id("f-firstName"), "Katherine");
        browser.fill(By.id("f-lastName"), "Johnson");
        browser.date(By.id("f-birthDate"), "1988-08-26");
        browser.select(By.id("f-gender"), "F");
        browser.date(By.id("f-hireDate"), "2020-01-06");
        browser.fill(By.id("f-email"), "not-an-email");
        browser.select(By.id("f-deptNo"), "d005");
        browser.select(By.id("f-title"), "Engineer");
        browser.fill(By.id("f-salary-amount"), "-5");
        browser.submit();
        browser.await(By.id("error-summary"));

        // The messages are the API's own for the same input, on the fields it names.
        Map<String, Object> same = new LinkedHashMap<>();
        same.put("firstName", "Katherine");
        same.put("lastName", "Johnson");
        same.put("birthDate", "1988-08-26");
        same.put("gender", "F");
        same.put("hireDate", "2020-01-06");
        same.put("email", "not-an-email");
        same.put("deptNo", "d005");
        same.put("title", "Engineer");
        same.put("salary", Map.of("amount", -5, "currency", "USD"));
        Map<String, String> apiErrors = new HashMap<>();
        api.post("/api/v1/employees", same, login(hr.username(), hr.password()))
                .json()
                .get("errors")
                .forEach(error -> apiErrors.put(
                        error.get("field").asString(), error.get("message").asString()));
        assertThat(apiErrors).containsKeys("email", "salary.amount");
        assertThat(browser.text(By.id("f-email-error"))).isEqualTo(apiErrors.get("email"));
        assertThat(browser.text(By.id("f-salary-amount-error"))).isEqualTo(apiErrors.get("salary.amount"));
        assertThat(browser.driver.findElement(By.id("f-email")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        browser.screenshot("04-hire-validation");
        browser.assertAccessible("hire form with errors");

        browser.fill(By.id("f-email"), email);
        browser.fill(By.id("f-salary-amount"), "72000");
        browser.submit();
        browser.awaitText(By.cssSelector(".notice"), "Hired Katherine Johnson");
        String profile = browser.path();
        long empNo = Long.parseLong(profile.substring(profile.lastIndexOf('/') + 1));

        // Transfer, promotion and salary change from yesterday, so that the termination today ends them all.
        String yesterday =
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1).toString();
        browser.open(profile + "/transfer");
        browser.select(By.id("f-deptNo"), "d007");
        browser.date(By.id("f-effectiveDate"), yesterday);
        browser.submit();
        browser.awaitText(By.cssSelector(".notice"), "Transferred");
        assertThat(browser.driver.findElement(By.cssSelector("dl.facts dd a")).getAttribute("href"))
                .endsWith("/console/departments/d007");

        // Promote.
        browser.open(profile + "/promote");
        browser.select(By.id("f-title"), "Senior Engineer");
        browser.date(By.id("f-effectiveDate"), yesterday);
        browser.submit();
        browser.awaitText(By.cssSelector(".notice"), "New title recorded");
        assertThat(browser.text(By.cssSelector("#titles-h + ol li"))).contains("Senior Engineer");

        // Salary change: first an effective date before the hire date (the API's field error), then a valid one.
        browser.open(profile + "/salary");
        browser.fill(By.id("f-salary-amount"), "90000");
        browser.date(By.id("f-effectiveDate"), "2019-12-31");
        browser.submit();
        assertThat(browser.text(By.id("f-effectiveDate-error")))
                .isEqualTo("must not be before the hire date 2020-01-06");
        browser.date(By.id("f-effectiveDate"), yesterday);
        browser.submit();
        browser.awaitText(By.cssSelector(".notice"), "Salary change recorded");
        assertThat(browser.text(By.id("current-salary"))).contains("90,000.00 USD");

        // Edit while someone else saves the record: the 412 shows their value, overwrites nothing.
        browser.open(profile + "/edit");
        browser.fill(By.id("f-lastName"), "Johnson-Goble");
        TokenApiClient.Response other =
                api.patchCurrentVersion("/api/v1/employees/" + empNo, Map.of("phone", "+1 555 0100"), adminToken());
        assertThat(other.status()).as(other.toString()).isEqualTo(200);
        browser.submit();
        browser.awaitText(By.id("error-summary"), "Someone else saved this employee");
        assertThat(browser.text(By.id("f-phone-saved"))).contains("+1 555 0100");
        assertThat(browser.driver.findElement(By.id("f-lastName")).getAttribute("value"))
                .isEqualTo("Johnson-Goble");
        JsonNode stored = api.get("/api/v1/employees/" + empNo, adminToken()).json();
        assertThat(stored.get("lastName").asString()).isEqualTo("Johnson");
        assertThat(stored.get("phone").asString()).isEqualTo("+1 555 0100");
        browser.screenshot("05-concurrent-edit");
        browser.assertAccessible("edit form after a concurrent change");
        browser.fill(By.id("f-phone"), "+1 555 0100");
        browser.submit();
        browser.awaitText(By.cssSelector(".notice"), "Saved");
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Katherine Johnson-Goble");

        // Terminate.
        browser.open(profile + "/terminate");
        browser.submit();
        browser.awaitText(By.cssSelector(".notice"), "Employment ended");
        assertThat(browser.text(By.cssSelector("main .badge"))).isEqualTo("TERMINATED");
        assertThat(api.get("/api/v1/employees/" + empNo, adminToken())
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("TERMINATED");
    }

    @Test
    void aSessionThatExpiresWhileTypingSendsThePersonToSignInAndKeepsWhatTheyTyped() {
        browser.signIn(hr.username(), hr.password());
        browser.open("/console/employees/" + colleague + "/promote");
        browser.select(By.id("f-title"), "Technique Leader");
        browser.driver.manage().deleteCookieNamed("console-session");
        browser.submit();
        browser.awaitText(By.tagName("main"), "what you had typed has been kept");
        browser.signIn(hr.username(), hr.password());
        assertThat(browser.path()).isEqualTo("/console/employees/" + colleague + "/promote");
        assertThat(browser.driver.findElement(By.id("f-title")).getAttribute("value"))
                .isEqualTo("Technique Leader");
        assertThat(browser.text(By.cssSelector(".notice"))).contains("filled in again");
        // Not submitted: the colleague's title is unchanged.
        assertThat(api.get("/api/v1/employees/" + colleague, adminToken())
                        .json()
                        .path("title")
                        .path("title")
                        .asString())
                .isNotEqualTo("Technique Leader");
    }

    @Test
    void theOrgChartShowsEveryDepartmentWithManagerAndHeadcount() {
        browser.signIn(hr.username(), hr.password());
        browser.open("/console/org-chart");
        JsonNode departments = api.get("/api/v1/departments?size=100&active=true", adminToken())
                .json()
                .get("content");
        assertThat(browser.driver.findElements(By.cssSelector(".org-item > .org-box")))
                .hasSize(departments.size());
        JsonNode manager =
                api.get("/api/v1/departments/d005/manager", adminToken()).json();
        assertThat(browser.text(By.id("org-chart")))
                .contains(manager.get("firstName").asString() + " "
                        + manager.get("lastName").asString());
        browser.screenshot("06-org-chart");
        browser.assertAccessible("org chart");

        browser.open("/console/departments");
        browser.assertAccessible("departments");
        browser.open("/console/departments/d005");
        JsonNode statistics =
                api.get("/api/v1/departments/d005/statistics", adminToken()).json();
        assertThat(browser.text(By.id("statistics")))
                .contains(String.valueOf(statistics.get("headcount").asLong()));
        browser.screenshot("07-department");
        browser.assertAccessible("department");
    }

    @Test
    void theAnalyticsChartsShowTheApisNumbersForTheChosenDay() {
        browser.signIn(hr.username(), hr.password());
        browser.open("/console/analytics?asOf=2020-06-30");
        assertThat(browser.driver.findElements(By.cssSelector("svg.chart"))).hasSize(5);
        Map<String, String> shown = new HashMap<>();
        for (WebElement row : browser.driver.findElements(By.cssSelector("#title-distribution-table tbody tr"))) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            shown.put(cells.get(0).getAttribute("textContent"), cells.get(1).getAttribute("textContent"));
        }
        Map<String, String> expected = new HashMap<>();
        api.get("/api/v1/analytics/title-distribution?asOf=2020-06-30", adminToken())
                .json()
                .forEach(title -> expected.put(
                        title.get("title").asString(),
                        String.valueOf(title.get("count").asLong())));
        assertThat(shown).isNotEmpty();
        shown.replaceAll((title, count) -> count.replace(",", ""));
        assertThat(shown).isEqualTo(expected);
        String payroll = browser.driver
                .findElement(By.cssSelector("#department-performance-table tbody tr td:nth-child(4)"))
                .getAttribute("textContent")
                .replace(",", "");
        JsonNode first = api.get("/api/v1/analytics/department-performance?to=2020-06-30", adminToken())
                .json()
                .get("departments")
                .get(0);
        assertThat(new BigDecimal(payroll))
                .isEqualByComparingTo(first.get("payroll").decimalValue());
        browser.screenshot("08-analytics");
        browser.assertAccessible("analytics");
    }

    @Test
    void aCsvImportWithABadRowReportsItWritesNothingThenImportsOnlyTheValidRowsWhenAsked() throws IOException {
        browser.signIn(hr.username(), hr.password());
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String first = "ada-" + tag + "@example.com";
        String second = "alan-" + tag + "@example.com";
        Path csv = Files.createTempFile(Path.of("target"), "import-", ".csv");
        Files.writeString(csv, """
                firstName,lastName,birthDate,gender,hireDate,email,deptNo,title,salary
                Ada,Lovelace,1985-12-10,F,2020-02-03,%s,d005,Engineer,70000
                Bad,Row,1985-12-10,F,2020-02-03,not-an-email,d005,Engineer,70000
                Alan,Turing,1982-06-23,M,2020-02-03,%s,d004,Engineer,71000
                """.formatted(first, second));
        browser.open("/console/import");
        browser.assertAccessible("import");
        browser.driver.findElement(By.id("file")).sendKeys(csv.toAbsolutePath().toString());
        browser.submit();
        browser.await(By.id("problems"));
        assertThat(browser.text(By.id("summary"))).contains("3 rows", "2 valid", "1 with errors");
        assertThat(browser.text(By.cssSelector("#problems tbody tr"))).startsWith("3 email");
        assertThat(count(first) + count(second)).as("checking wrote nothing").isZero();
        browser.screenshot("09-import-report");
        browser.assertAccessible("import report");

        WebElement confirm = browser.driver.findElement(By.id("confirm-import"));
        assertThat(confirm.getText()).isEqualTo("Import only the 2 valid rows");
        confirm.click();
        browser.awaitText(By.tagName("h1"), "Import done");
        assertThat(browser.text(By.id("summary"))).contains("2 employees created");
        assertThat(count(first)).isOne();
        assertThat(count(second)).isOne();
        Files.deleteIfExists(csv);
    }

    @Test
    void anEmployeeSeesTheDirectoryAndTheirOwnRecordButCannotReachAColleaguesSalary() {
        BigDecimal salary = jdbc.sql("SELECT amount FROM salaries WHERE emp_no = ? AND to_date = DATE '9999-12-31'")
                .param(colleague)
                .query(BigDecimal.class)
                .single();
        browser.signIn(employee.username(), employee.password());
        assertThat(browser.text(By.cssSelector("header nav"))).doesNotContain("Analytics", "Import", "Users");

        browser.open("/console/employees/" + colleague);
        assertThat(browser.present(By.id("current-salary"))).isFalse();
        assertThat(browser.text(By.id("salary-history"))).contains("Access denied");
        String page = browser.source();
        assertThat(page).doesNotContain(salary.toPlainString()).doesNotContain(String.format("%,.2f", salary));
        browser.screenshot("10-employee-sees-colleague");
        browser.assertAccessible("colleague's profile as an employee");

        // Not by hiding alone: the salary action itself is refused by the API, and nothing changes.
        browser.open("/console/employees/" + colleague + "/salary");
        browser.fill(By.id("f-salary-amount"), "999999");
        browser.submit();
        browser.awaitText(By.id("error-summary"), "Access denied");
        assertThat(jdbc.sql("SELECT amount FROM salaries WHERE emp_no = ? AND to_date = DATE '9999-12-31'")
                        .param(colleague)
                        .query(BigDecimal.class)
                        .single())
                .isEqualByComparingTo(salary);
        // Neither the export, nor the analytics, nor the administration give more away.
        String lastName = jdbc.sql("SELECT last_name FROM employees WHERE emp_no = ?")
                .param(colleague)
                .query(String.class)
                .single();
        String export = browser.fetch("/console/employees/export?q=" + lastName);
        String row = export.lines()
                .filter(line -> line.startsWith(colleague + ","))
                .findFirst()
                .orElseThrow();
        assertThat(row.split(",", -1)[5]).as("no birth date in the export").isEmpty();
        browser.open("/console/analytics");
        assertThat(browser.driver.findElements(By.cssSelector("svg.chart"))).isEmpty();
        assertThat(browser.text(By.tagName("main"))).contains("Access denied");
        browser.open("/console/admin/users");
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Not available to you");

        browser.open("/console/employees/" + self);
        assertThat(browser.present(By.id("current-salary")))
                .as("own record in full")
                .isTrue();
    }

    @Test
    void anAdministratorManagesUsersAndFiltersTheAuditTrail() {
        browser.signIn(ADMIN, ADMIN_PASSWORD);
        browser.open("/console/admin/users");
        assertThat(browser.text(By.tagName("main"))).contains(hr.username());
        browser.screenshot("11-users");
        browser.assertAccessible("users");
        browser.open("/console/admin/audit?action=LOGIN_SUCCEEDED");
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("main table tbody tr td:nth-child(3)"));
        assertThat(rows).isNotEmpty().extracting(WebElement::getText).containsOnly("LOGIN_SUCCEEDED");
        browser.screenshot("12-audit");
        browser.assertAccessible("audit trail");
    }

    @Test
    void aUserChangesTheirPasswordWithTheApisRulesAndSignsInWithTheNewOne() {
        TestUser user = createUser("console-pw", Role.EMPLOYEE);
        browser.signIn(user.username(), user.password());
        browser.open("/console/password");
        browser.fill(By.id("currentPassword"), user.password());
        browser.fill(By.id("newPassword"), "short");
        browser.fill(By.id("confirmPassword"), "short");
        browser.submit();
        assertThat(browser.text(By.cssSelector("main .alert"))).isNotBlank();
        assertThat(browser.path()).isEqualTo("/console/password");
        String changed = "Console-New-Pass-" + UUID.randomUUID();
        browser.fill(By.id("currentPassword"), user.password());
        browser.fill(By.id("newPassword"), changed);
        browser.fill(By.id("confirmPassword"), changed);
        browser.submit();
        browser.awaitText(By.cssSelector(".notice"), "Your password was changed");
        browser.signOut();
        browser.signIn(user.username(), changed);
        assertThat(browser.path()).isEqualTo("/console/employees");
    }

    @Test
    void theDirectoryIsUsableOnAPhone() {
        browser.signIn(hr.username(), hr.password());
        browser.viewport(390, 844);
        browser.open("/console/employees");
        browser.screenshot("13-directory-phone");
        browser.assertAccessible("directory on a phone");
        Long scrollWidth = (Long) browser.driver.executeScript("return document.documentElement.scrollWidth;");
        Long clientWidth = (Long) browser.driver.executeScript("return document.documentElement.clientWidth;");
        assertThat(scrollWidth).as("no sideways scrolling of the page").isLessThanOrEqualTo(clientWidth);
    }

    private long count(String email) {
        return jdbc.sql("SELECT count(*) FROM employees WHERE email = ?")
                .param(email)
                .query(Long.class)
                .single();
    }
}
