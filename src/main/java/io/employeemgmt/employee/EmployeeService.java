package io.employeemgmt.employee;

import io.employeemgmt.audit.AuditLog;
import io.employeemgmt.department.DepartmentDtos.Assignment;
import io.employeemgmt.department.DepartmentService;
import io.employeemgmt.employee.EmployeeDtos.Details;
import io.employeemgmt.employee.EmployeeDtos.NewEmployee;
import io.employeemgmt.employee.EmployeeDtos.Status;
import io.employeemgmt.employee.EmployeeDtos.Summary;
import io.employeemgmt.employee.EmployeeDtos.Update;
import io.employeemgmt.platform.ApiException;
import io.employeemgmt.platform.BusinessMetrics;
import io.employeemgmt.platform.CurrentActor;
import io.employeemgmt.platform.DataChanges;
import io.employeemgmt.platform.PageRequest;
import io.employeemgmt.platform.PageResponse;
import io.employeemgmt.platform.SortOrder;
import io.employeemgmt.salary.SalaryDtos.Amount;
import io.employeemgmt.salary.SalaryDtos.SalaryView;
import io.employeemgmt.salary.SalaryService;
import io.employeemgmt.title.TitleDtos.TitleRecord;
import io.employeemgmt.title.TitleService;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Employees and the actions that change their history. Every action locks the employee row first, so two
 * concurrent actions on one person run one after the other, and each closes the current record and opens the
 * next one in a single transaction.
 */
@Service
public class EmployeeService {

    private final EmployeeRepository repository;
    private final DepartmentService departments;
    private final TitleService titles;
    private final SalaryService salaries;
    private final CurrentActor actor;
    private final BusinessMetrics metrics;
    private final DataChanges changes;
    private final AuditLog audit;

    EmployeeService(
            EmployeeRepository repository,
            DepartmentService departments,
            TitleService titles,
            SalaryService salaries,
            CurrentActor actor,
            BusinessMetrics metrics,
            DataChanges changes,
            AuditLog audit) {
        this.repository = repository;
        this.departments = departments;
        this.titles = titles;
        this.salaries = salaries;
        this.actor = actor;
        this.metrics = metrics;
        this.changes = changes;
        this.audit = audit;
    }

    @Transactional(readOnly = true)
    public PageResponse<Summary> list(EmployeeFilter filter, PageRequest page, boolean count) {
        if (filter.hiredFrom() != null
                && filter.hiredTo() != null
                && filter.hiredFrom().isAfter(filter.hiredTo())) {
            throw ApiException.badRequest("hiredFrom", "must not be after hiredTo");
        }
        SortOrder sort = SortOrder.parse(page.sort(), EmployeeRepository.SORTS, "empNo");
        int size = page.sizeOrDefault();
        if (filter.q() != null && page.sort() == null) {
            // A search without an explicit sort is ordered by relevance, which has no stable keyset.
            if (page.cursor() != null) {
                throw ApiException.badRequest("cursor", "searching with q needs an explicit sort to use a cursor");
            }
            List<Summary> rows = repository.findPage(filter, null, size, page.offset());
            return count
                    ? PageResponse.offset(rows, page.pageOrZero(), size, repository.count(filter))
                    : PageResponse.offset(rows, page.pageOrZero(), size);
        }
        if (page.cursor() != null) {
            if (page.page() != null) {
                throw ApiException.badRequest("page", "cannot be combined with cursor");
            }
            KeysetCursor cursor = KeysetCursor.decode(page.cursor(), sort);
            List<Summary> rows = repository.findAfter(filter, sort, cursor, size + 1);
            return new PageResponse<>(rows.subList(0, Math.min(size, rows.size())), null, next(rows, size, sort));
        }
        List<Summary> rows = repository.findPage(filter, sort, size + 1, page.offset());
        List<Summary> content = rows.subList(0, Math.min(size, rows.size()));
        PageResponse<Summary> offsetPage = count
                ? PageResponse.offset(content, page.pageOrZero(), size, repository.count(filter))
                : PageResponse.offset(content, page.pageOrZero(), size);
        return new PageResponse<>(offsetPage.content(), offsetPage.page(), next(rows, size, sort));
    }

    private static String next(List<Summary> rows, int size, SortOrder sort) {
        if (rows.size() <= size) {
            return null;
        }
        Summary last = rows.get(size - 1);
        String value = switch (sort.field()) {
            case "lastName" -> last.lastName();
            case "firstName" -> last.firstName();
            case "hireDate" -> last.hireDate().toString();
            case "birthDate" -> last.birthDate().toString();
            default -> Long.toString(last.empNo());
        };
        return new KeysetCursor(sort.field(), sort.descending(), value, last.empNo()).encode();
    }

    @Transactional(readOnly = true)
    public Details get(long empNo) {
        return repository.findDetails(empNo).orElseThrow(() -> notFound(empNo));
    }

    /** Hires: the employee row plus the first department, title and salary records, all from the hire date. */
    @Transactional
    public Details hire(NewEmployee request) {
        changes.changed();
        departments.requireActive(request.deptNo(), "deptNo");
        long empNo = repository.insert(request, actor.name());
        departments.assignNewHire(empNo, request.deptNo(), request.hireDate());
        titles.assignNewHire(empNo, request.title(), request.hireDate());
        salaries.startForNewHire(empNo, request.salary(), request.hireDate());
        // Counted once the hire commits (BusinessMetrics): an import's dry run hires inside a transaction it rolls
        // back.
        metrics.employeeCreated();
        Details hired = get(empNo);
        audit.record("EMPLOYEE_HIRED", "EMPLOYEE", empNo, null, request);
        return hired;
    }

    @Transactional
    public Details update(long empNo, Update update, Long expectedVersion) {
        changes.changed();
        if (update.status() == Status.TERMINATED) {
            throw ApiException.badRequest("status", "terminate an employee with DELETE, which also closes history");
        }
        Details before = repository.findDetails(empNo).orElse(null);
        if (repository.update(empNo, update, expectedVersion, actor.name()) == 0) {
            Details current = get(empNo);
            if (current.status() == Status.TERMINATED) {
                throw ApiException.conflict("Employee " + empNo + " is terminated; the record is read-only");
            }
            throw ApiException.preconditionFailed("Employee " + empNo + " was changed by someone else (now version "
                    + current.version() + "); GET it again and retry with its new ETag");
        }
        Details after = get(empNo);
        audit.record("EMPLOYEE_UPDATED", "EMPLOYEE", empNo, updatable(before), updatable(after));
        return after;
    }

    /** The fields of an employee that PUT and PATCH change, as the audit trail stores them. */
    private static Update updatable(Details details) {
        return new Update(
                details.firstName(),
                details.lastName(),
                details.birthDate(),
                details.gender(),
                details.email(),
                details.phone(),
                details.address(),
                details.status());
    }

    /** Soft delete: marks the employee terminated and ends current records that day; all history is kept. */
    @Transactional
    public void terminate(long empNo, LocalDate terminationDate) {
        changes.changed();
        EmployeeRepository.Locked employee = lockForChange(empNo, terminationDate, false);
        if (employee.status() == Status.TERMINATED) {
            return;
        }
        departments.endEmployment(empNo, terminationDate);
        titles.endEmployment(empNo, terminationDate);
        salaries.endEmployment(empNo, terminationDate);
        repository.terminate(empNo, terminationDate, actor.name());
        metrics.employeeTerminated();
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("status", employee.status());
        before.put("terminationDate", null);
        audit.record(
                "EMPLOYEE_TERMINATED",
                "EMPLOYEE",
                empNo,
                before,
                Map.of("status", Status.TERMINATED, "terminationDate", terminationDate));
    }

    @Transactional
    public Details transfer(long empNo, String deptNo, LocalDate effectiveDate) {
        return changeHistory(
                empNo,
                effectiveDate,
                "EMPLOYEE_TRANSFERRED",
                details -> auditField("department", details.department()),
                () -> departments.transfer(empNo, deptNo, effectiveDate));
    }

    @Transactional
    public Details promote(long empNo, String title, LocalDate effectiveDate) {
        return changeHistory(
                empNo,
                effectiveDate,
                "EMPLOYEE_PROMOTED",
                details -> auditField("title", details.title()),
                () -> titles.promote(empNo, title, effectiveDate));
    }

    @Transactional
    public Details changeSalary(long empNo, Amount amount, LocalDate effectiveDate) {
        return changeHistory(
                empNo,
                effectiveDate,
                "EMPLOYEE_SALARY_CHANGED",
                details -> auditField("salary", details.salary()),
                () -> salaries.change(empNo, amount, effectiveDate));
    }

    /**
     * Runs one history action for an employed person under the employee lock, bumps the row's version and audits
     * the changed part ({@code audited}) before and after, in the same transaction.
     */
    private Details changeHistory(
            long empNo,
            LocalDate effectiveDate,
            String auditAction,
            Function<Details, Map<String, Object>> audited,
            Runnable action) {
        changes.changed();
        lockForChange(empNo, effectiveDate, true);
        Details before = get(empNo);
        action.run();
        repository.touch(empNo, actor.name());
        Details after = get(empNo);
        audit.record(auditAction, "EMPLOYEE", empNo, audited.apply(before), audited.apply(after));
        return after;
    }

    private static Map<String, Object> auditField(String name, Object value) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(name, value);
        return fields;
    }

    @Transactional(readOnly = true)
    public List<TitleRecord> titleHistory(long empNo) {
        requireExists(empNo);
        return titles.history(empNo);
    }

    @Transactional(readOnly = true)
    public List<SalaryView> salaryHistory(long empNo) {
        requireExists(empNo);
        return salaries.history(empNo);
    }

    @Transactional(readOnly = true)
    public List<Assignment> departmentHistory(long empNo) {
        requireExists(empNo);
        return departments.assignments(empNo);
    }

    private EmployeeRepository.Locked lockForChange(long empNo, LocalDate effectiveDate, boolean mustBeEmployed) {
        EmployeeRepository.Locked employee = repository.lock(empNo).orElseThrow(() -> notFound(empNo));
        if (mustBeEmployed && employee.status() == Status.TERMINATED) {
            throw ApiException.conflict("Employee " + empNo + " is terminated; history can no longer change");
        }
        if (effectiveDate.isBefore(employee.hireDate())) {
            throw ApiException.badRequest("effectiveDate", "must not be before the hire date " + employee.hireDate());
        }
        if (effectiveDate.isAfter(LocalDate.now(ZoneOffset.UTC))) {
            throw ApiException.badRequest("effectiveDate", "must not be in the future");
        }
        return employee;
    }

    private void requireExists(long empNo) {
        if (!repository.exists(empNo)) {
            throw notFound(empNo);
        }
    }

    private static ApiException notFound(long empNo) {
        return ApiException.notFound("Employee " + empNo + " does not exist");
    }
}
