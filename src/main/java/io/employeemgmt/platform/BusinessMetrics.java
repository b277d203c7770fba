package io.employeemgmt.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Business meters exported at /metrics as {@code employee_mgmt_*_total}. Features call these after their transaction
 * commits its intent; dashboards and alerts rely on these names, so rename only together with monitoring/.
 */
@Component
public class BusinessMetrics {

    private final Counter loginSucceeded;
    private final Counter loginFailed;
    private final Counter employeesCreated;
    private final Counter employeesTerminated;
    private final Counter salaryChanges;

    public BusinessMetrics(MeterRegistry registry) {
        loginSucceeded = Counter.builder("employee_mgmt.logins")
                .tag("outcome", "success")
                .description("Login attempts")
                .register(registry);
        loginFailed = Counter.builder("employee_mgmt.logins")
                .tag("outcome", "failure")
                .description("Login attempts")
                .register(registry);
        employeesCreated = Counter.builder("employee_mgmt.employees.hired")
                .description("Employees hired through the API")
                .register(registry);
        employeesTerminated = Counter.builder("employee_mgmt.employees.terminated")
                .description("Employees terminated through the API")
                .register(registry);
        salaryChanges = Counter.builder("employee_mgmt.salary.changes")
                .description("Salary changes and salary records written through the API")
                .register(registry);
    }

    public void loginSucceeded() {
        loginSucceeded.increment();
    }

    public void loginFailed() {
        loginFailed.increment();
    }

    public void employeeCreated() {
        employeesCreated.increment();
    }

    public void employeeTerminated() {
        employeesTerminated.increment();
    }

    public void salaryChanged() {
        salaryChanges.increment();
    }
}
