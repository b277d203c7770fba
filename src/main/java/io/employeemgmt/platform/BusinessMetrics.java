package io.employeemgmt.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Business meters exported at /metrics as {@code employee_mgmt_*_total}. Features report what happened inside their
 * transaction; each report is a {@link BusinessEvent} counted only once that transaction commits (at once when there
 * is none), so a rolled-back write never counts. Dashboards and alerts rely on these names, so rename only together
 * with monitoring/.
 */
@Component
public class BusinessMetrics {

    /** Something the business meters count. */
    public record BusinessEvent(Kind kind) {}

    public enum Kind {
        LOGIN_SUCCEEDED,
        LOGIN_FAILED,
        EMPLOYEE_HIRED,
        EMPLOYEE_TERMINATED,
        SALARY_CHANGED
    }

    private final Map<Kind, Counter> counters = new EnumMap<>(Kind.class);
    private final ApplicationEventPublisher events;

    public BusinessMetrics(MeterRegistry registry, ApplicationEventPublisher events) {
        this.events = events;
        counters.put(
                Kind.LOGIN_SUCCEEDED,
                Counter.builder("employee_mgmt.logins")
                        .tag("outcome", "success")
                        .description("Login attempts")
                        .register(registry));
        counters.put(
                Kind.LOGIN_FAILED,
                Counter.builder("employee_mgmt.logins")
                        .tag("outcome", "failure")
                        .description("Login attempts")
                        .register(registry));
        counters.put(
                Kind.EMPLOYEE_HIRED,
                Counter.builder("employee_mgmt.employees.hired")
                        .description("Employees hired through the API")
                        .register(registry));
        counters.put(
                Kind.EMPLOYEE_TERMINATED,
                Counter.builder("employee_mgmt.employees.terminated")
                        .description("Employees terminated through the API")
                        .register(registry));
        counters.put(
                Kind.SALARY_CHANGED,
                Counter.builder("employee_mgmt.salary.changes")
                        .description("Salary changes and salary records written through the API")
                        .register(registry));
    }

    public void loginSucceeded() {
        events.publishEvent(new BusinessEvent(Kind.LOGIN_SUCCEEDED));
    }

    public void loginFailed() {
        events.publishEvent(new BusinessEvent(Kind.LOGIN_FAILED));
    }

    public void employeeCreated() {
        events.publishEvent(new BusinessEvent(Kind.EMPLOYEE_HIRED));
    }

    public void employeeTerminated() {
        events.publishEvent(new BusinessEvent(Kind.EMPLOYEE_TERMINATED));
    }

    public void salaryChanged() {
        events.publishEvent(new BusinessEvent(Kind.SALARY_CHANGED));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void countAfterCommit(BusinessEvent event) {
        counters.get(event.kind()).increment();
    }
}
