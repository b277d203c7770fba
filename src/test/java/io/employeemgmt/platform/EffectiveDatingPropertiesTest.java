package io.employeemgmt.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.EmployeeApiApplication;
import io.employeemgmt.employee.EmployeeDtos.Gender;
import io.employeemgmt.employee.EmployeeDtos.NewEmployee;
import io.employeemgmt.employee.EmployeeService;
import io.employeemgmt.platform.security.ApiAuthentication;
import io.employeemgmt.platform.security.AuthenticatedUser;
import io.employeemgmt.platform.security.Role;
import io.employeemgmt.salary.SalaryDtos.Amount;
import io.employeemgmt.salary.SalaryDtos.SalaryRequest;
import io.employeemgmt.salary.SalaryService;
import io.employeemgmt.support.ApiIntegrationTest;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Property-based tests (jqwik) of the effective-dating rules at the service level, against the real schema: for
 * any sequence of salary changes (forward or back-dated) and inserted historic salary periods, a salary history
 * never overlaps, always has exactly one current record, and the services accept a change exactly when a simple
 * model of the rules says it is valid; a rejected change leaves the history as it was.
 */
class EffectiveDatingPropertiesTest {

    private static final LocalDate OPEN = EffectiveDating.OPEN_END;
    private static final LocalDate HIRED = LocalDate.of(2015, 3, 1);
    private static final String DATABASE = "effective_dating_properties";
    private static ConfigurableApplicationContext context;
    private static String lastRejection;

    /** A salary change effective {@code days} after the hire date, or a historic period inserted directly. */
    sealed interface Step {
        record Change(int days) implements Step {}

        record Historic(int fromDays, int length) implements Step {}
    }

    record Row(LocalDate from, LocalDate to) {
        /** Half-open ranges, as PostgreSQL's daterange: an empty range [d, d) overlaps nothing. */
        boolean overlaps(LocalDate otherFrom, LocalDate otherTo) {
            return from.isBefore(to) && otherFrom.isBefore(otherTo) && from.isBefore(otherTo) && otherFrom.isBefore(to);
        }
    }

    private static synchronized ConfigurableApplicationContext context() {
        if (context == null) {
            // An empty database of its own on the JVM's test server: hires in the past must not change the
            // figures the analytics tests compare against.
            String server = "jdbc:postgresql://127.0.0.1:" + io.employeemgmt.support.EmbeddedPostgresLauncher.port();
            try (var admin = java.sql.DriverManager.getConnection(server + "/postgres", "postgres", "")) {
                admin.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE);
                admin.createStatement().execute("CREATE DATABASE " + DATABASE);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            context = new SpringApplicationBuilder(EmployeeApiApplication.class)
                    .run(
                            "--spring.datasource.url=" + server + "/" + DATABASE,
                            "--spring.datasource.username=postgres",
                            "--spring.datasource.password=",
                            "--server.port=0",
                            "--management.server.port=0",
                            "--employee-mgmt.demo-data.enabled=false",
                            "--employee-mgmt.security.bootstrap-admin.password=" + ApiIntegrationTest.ADMIN_PASSWORD);
            context.getBean(JdbcClient.class)
                    .sql("INSERT INTO departments (dept_no, name) VALUES ('d001', 'Properties')")
                    .update();
        }
        return context;
    }

    @AfterContainer
    static void close() {
        if (context != null) {
            context.close();
        }
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> change = Arbitraries.integers().between(-400, 4500).map(Step.Change::new);
        Arbitrary<Step> historic = Combinators.combine(
                        Arbitraries.integers().between(-3000, 3000),
                        Arbitraries.integers().between(-5, 400))
                .as(Step.Historic::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, change), net.jqwik.api.Tuple.of(2, historic))
                .list()
                .ofMinSize(1)
                .ofMaxSize(8);
    }

    @Property(tries = 25)
    void salaryHistoryNeverOverlapsAndHasOneCurrentRecord(@ForAll("histories") List<Step> steps) {
        ConfigurableApplicationContext spring = context();
        EmployeeService employees = spring.getBean(EmployeeService.class);
        SalaryService salaries = spring.getBean(SalaryService.class);
        JdbcClient jdbc = spring.getBean(JdbcClient.class);
        SecurityContextHolder.getContext()
                .setAuthentication(new ApiAuthentication(new AuthenticatedUser(
                        UUID.randomUUID(),
                        "property-test",
                        Set.of(Role.ADMIN),
                        null,
                        UUID.randomUUID(),
                        "property-test",
                        Instant.now().plusSeconds(3600))));
        try {
            long empNo = employees
                    .hire(new NewEmployee(
                            "Prop",
                            "Erty",
                            LocalDate.of(1990, 1, 1),
                            Gender.F,
                            HIRED,
                            "prop-" + UUID.randomUUID() + "@example.com",
                            null,
                            null,
                            "d001",
                            "Engineer",
                            new Amount(new BigDecimal("50000"), "USD")))
                    .empNo();
            List<Row> model = new ArrayList<>(List.of(new Row(HIRED, OPEN)));
            for (Step step : steps) {
                List<Row> before = history(jdbc, empNo);
                boolean expected = valid(step, model);
                boolean accepted = apply(step, empNo, employees, salaries);
                assertThat(accepted)
                        .as("%s on %s (rejected: %s)", step, model, lastRejection)
                        .isEqualTo(expected);
                if (accepted) {
                    applyToModel(step, model);
                }
                List<Row> after = history(jdbc, empNo);
                assertThat(after).as("after %s", step).containsExactlyInAnyOrderElementsOf(model);
                if (!accepted) {
                    assertThat(after).isEqualTo(before);
                }
                assertInvariants(after);
            }
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private static boolean apply(Step step, long empNo, EmployeeService employees, SalaryService salaries) {
        try {
            switch (step) {
                case Step.Change change ->
                    employees.changeSalary(
                            empNo, new Amount(new BigDecimal("60000"), "USD"), HIRED.plusDays(change.days()));
                case Step.Historic historic ->
                    salaries.create(new SalaryRequest(
                            empNo,
                            new BigDecimal("40000"),
                            "USD",
                            HIRED.plusDays(historic.fromDays()),
                            HIRED.plusDays(historic.fromDays() + historic.length())));
            }
            lastRejection = null;
            return true;
        } catch (ApiException | DataIntegrityViolationException rejected) {
            lastRejection = rejected.getMessage();
            return false;
        }
    }

    /**
     * The rules: a change starts after the current record began, not before the hire and not in the future; a
     * historic period does not end before it starts and overlaps nothing.
     */
    private static boolean valid(Step step, List<Row> model) {
        return switch (step) {
            case Step.Change change -> {
                LocalDate effective = HIRED.plusDays(change.days());
                yield effective.isAfter(current(model).from())
                        && !effective.isBefore(HIRED)
                        && !effective.isAfter(LocalDate.now(ZoneOffset.UTC));
            }
            case Step.Historic historic -> {
                LocalDate from = HIRED.plusDays(historic.fromDays());
                LocalDate to = HIRED.plusDays(historic.fromDays() + historic.length());
                // A period covers at least one day (salaries_dates, V41): an empty [d, d) is refused.
                yield to.isAfter(from) && model.stream().noneMatch(row -> row.overlaps(from, to));
            }
        };
    }

    private static void applyToModel(Step step, List<Row> model) {
        switch (step) {
            case Step.Change change -> {
                LocalDate effective = HIRED.plusDays(change.days());
                Row current = current(model);
                model.remove(current);
                model.add(new Row(current.from(), effective));
                model.add(new Row(effective, OPEN));
            }
            case Step.Historic historic ->
                model.add(new Row(
                        HIRED.plusDays(historic.fromDays()), HIRED.plusDays(historic.fromDays() + historic.length())));
        }
    }

    private static Row current(List<Row> rows) {
        return rows.stream().filter(row -> row.to().equals(OPEN)).findFirst().orElseThrow();
    }

    @SuppressWarnings("ReferenceEquality") // identity, on purpose: two equal rows would be a duplicate
    private static boolean sameElement(Row a, Row b) {
        return a == b;
    }

    private static void assertInvariants(List<Row> rows) {
        assertThat(rows.stream().filter(row -> row.to().equals(OPEN))).hasSize(1);
        for (Row row : rows) {
            assertThat(row.from()).isBefore(row.to());
            for (Row other : rows) {
                // The same list element, not an equal row: identity is the point.
                if (!sameElement(row, other)) {
                    assertThat(row.overlaps(other.from(), other.to()))
                            .as("%s overlaps %s", row, other)
                            .isFalse();
                }
            }
        }
    }

    private static List<Row> history(JdbcClient jdbc, long empNo) {
        return jdbc.sql("SELECT from_date, to_date FROM salaries WHERE emp_no = :empNo ORDER BY from_date")
                .param("empNo", empNo)
                .query((rows, n) -> new Row(
                        rows.getObject("from_date", LocalDate.class), rows.getObject("to_date", LocalDate.class)))
                .list();
    }
}
