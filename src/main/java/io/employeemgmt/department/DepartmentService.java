package io.employeemgmt.department;

import io.employeemgmt.audit.AuditLog;
import io.employeemgmt.department.DepartmentDtos.Assignment;
import io.employeemgmt.department.DepartmentDtos.DepartmentRequest;
import io.employeemgmt.department.DepartmentDtos.DepartmentView;
import io.employeemgmt.department.DepartmentDtos.Manager;
import io.employeemgmt.department.DepartmentDtos.Member;
import io.employeemgmt.department.DepartmentDtos.Statistics;
import io.employeemgmt.platform.ApiException;
import io.employeemgmt.platform.Caches;
import io.employeemgmt.platform.CurrentActor;
import io.employeemgmt.platform.DataChanges;
import io.employeemgmt.platform.PageRequest;
import io.employeemgmt.platform.PageResponse;
import io.employeemgmt.platform.SortOrder;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Departments and who works in and manages them. Other features use the assignment methods (hire, transfer,
 * terminate) inside their own transaction; the date rules live in {@code EffectiveDating}.
 */
@Service
public class DepartmentService {

    private static final Map<String, String> SORTS = SortOrder.allow("deptNo", "d.dept_no", "name", "d.name");
    private static final Map<String, String> MEMBER_SORTS =
            SortOrder.allow("empNo", "e.emp_no", "lastName", "e.last_name", "fromDate", "de.from_date");

    private final DepartmentRepository repository;
    private final CurrentActor actor;
    private final DataChanges changes;
    private final AuditLog audit;

    DepartmentService(DepartmentRepository repository, CurrentActor actor, DataChanges changes, AuditLog audit) {
        this.repository = repository;
        this.actor = actor;
        this.changes = changes;
        this.audit = audit;
    }

    @Transactional(readOnly = true)
    public PageResponse<DepartmentView> list(Boolean active, PageRequest page) {
        page.requireOffsetPaging();
        SortOrder sort = SortOrder.parse(page.sort(), SORTS, "deptNo");
        List<DepartmentView> content = repository.findPage(active, sort, page.sizeOrDefault(), page.offset());
        return PageResponse.offset(content, page.pageOrZero(), page.sizeOrDefault(), repository.count(active));
    }

    @Transactional(readOnly = true)
    public DepartmentView get(String deptNo) {
        return repository.find(deptNo).orElseThrow(() -> notFound(deptNo));
    }

    @Transactional
    public DepartmentView create(DepartmentRequest request) {
        changes.changed();
        DepartmentView created = get(repository.insert(request, actor.name()));
        audit.record("DEPARTMENT_CREATED", "DEPARTMENT", created.deptNo(), null, audited(created));
        return created;
    }

    /** The fields of a department that the API lets clients change, as the audit trail stores them. */
    private static DepartmentRequest audited(DepartmentView view) {
        return new DepartmentRequest(
                view.name(), view.description(), view.budget(), view.location(), view.active(), view.parentDeptNo());
    }

    @Transactional
    public DepartmentView update(String deptNo, DepartmentRequest request, Long expectedVersion) {
        changes.changed();
        DepartmentView before = get(deptNo);
        if (repository.update(deptNo, request, expectedVersion, actor.name()) == 0) {
            throw ApiException.preconditionFailed("Department " + deptNo + " was changed by someone else; "
                    + "GET it again and retry with its new ETag");
        }
        DepartmentView after = get(deptNo);
        audit.record("DEPARTMENT_UPDATED", "DEPARTMENT", deptNo, audited(before), audited(after));
        return after;
    }

    /** Deactivates the department; its history stays. Refused while people still work in it. */
    @Transactional
    public void delete(String deptNo) {
        changes.changed();
        DepartmentView before = get(deptNo);
        long headcount = repository.currentHeadcount(deptNo);
        if (headcount > 0) {
            throw ApiException.conflict("Department " + deptNo + " still has " + headcount
                    + " current employees; transfer them before deleting it");
        }
        if (repository.activeChildren(deptNo) > 0) {
            throw ApiException.conflict("Department " + deptNo + " has active sub-departments");
        }
        repository.closeCurrentManagement(deptNo, LocalDate.now(ZoneOffset.UTC));
        repository.deactivate(deptNo, actor.name());
        audit.record("DEPARTMENT_DELETED", "DEPARTMENT", deptNo, audited(before), audited(get(deptNo)));
    }

    @Transactional(readOnly = true)
    public PageResponse<Member> members(String deptNo, PageRequest page) {
        page.requireOffsetPaging();
        get(deptNo);
        SortOrder sort = SortOrder.parse(page.sort(), MEMBER_SORTS, "empNo");
        List<Member> content = repository.members(deptNo, sort, page.sizeOrDefault(), page.offset());
        return PageResponse.offset(
                content, page.pageOrZero(), page.sizeOrDefault(), repository.currentHeadcount(deptNo));
    }

    @Transactional(readOnly = true)
    public Manager currentManager(String deptNo) {
        get(deptNo);
        return repository.managers(deptNo, true).stream()
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("Department " + deptNo + " has no current manager"));
    }

    @Transactional(readOnly = true)
    public List<Manager> managerHistory(String deptNo) {
        get(deptNo);
        return repository.managers(deptNo, false);
    }

    /** Makes {@code empNo} the manager from {@code effectiveDate}, ending the current manager's term that day. */
    @Transactional
    public Manager appointManager(String deptNo, long empNo, LocalDate effectiveDate) {
        changes.changed();
        requireActive(deptNo, "deptNo");
        String status = repository
                .employmentStatus(empNo)
                .orElseThrow(() -> ApiException.badRequest("empNo", "no employee with this number exists"));
        if ("TERMINATED".equals(status)) {
            throw ApiException.conflict("Employee " + empNo + " is terminated and cannot manage a department");
        }
        Manager previous =
                repository.managers(deptNo, true).stream().findFirst().orElse(null);
        repository.closeCurrentManagement(deptNo, effectiveDate);
        repository.openManagement(deptNo, empNo, effectiveDate);
        Manager appointed = currentManager(deptNo);
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("managerEmpNo", previous == null ? null : previous.empNo());
        before.put("fromDate", previous == null ? null : previous.fromDate());
        audit.record(
                "DEPARTMENT_MANAGER_APPOINTED",
                "DEPARTMENT",
                deptNo,
                before,
                Map.of("managerEmpNo", appointed.empNo(), "fromDate", appointed.fromDate()));
        return appointed;
    }

    @Transactional(readOnly = true)
    @Cacheable(Caches.DEPARTMENT_STATISTICS)
    public Statistics statistics(String deptNo) {
        get(deptNo);
        return repository.statistics(deptNo);
    }

    /** Throws 400 on {@code field} unless the department exists and is active. */
    public void requireActive(String deptNo, String field) {
        Boolean active = repository.activeFlag(deptNo).orElse(null);
        if (active == null) {
            throw ApiException.badRequest(field, "department " + deptNo + " does not exist");
        }
        if (!active) {
            throw ApiException.badRequest(field, "department " + deptNo + " is not active");
        }
    }

    /** Puts a newly hired employee into a department from the hire date. */
    public void assignNewHire(long empNo, String deptNo, LocalDate hireDate) {
        requireActive(deptNo, "deptNo");
        repository.openAssignment(empNo, deptNo, hireDate);
    }

    /** Moves an employee to another department from {@code effectiveDate}; the caller holds the employee lock. */
    public void transfer(long empNo, String deptNo, LocalDate effectiveDate) {
        requireActive(deptNo, "deptNo");
        if (repository.currentDepartment(empNo).filter(deptNo::equals).isPresent()) {
            throw ApiException.conflict("Employee " + empNo + " already works in department " + deptNo);
        }
        repository.closeCurrentAssignment(empNo, effectiveDate);
        repository.openAssignment(empNo, deptNo, effectiveDate);
    }

    /** Ends the employee's current assignment and any management term at the termination date. */
    public void endEmployment(long empNo, LocalDate terminationDate) {
        repository.closeCurrentAssignment(empNo, terminationDate);
        for (String managed : repository.departmentsManagedBy(empNo)) {
            repository.closeCurrentManagement(managed, terminationDate);
        }
    }

    @Transactional(readOnly = true)
    public List<Assignment> assignments(long empNo) {
        return repository.assignments(empNo);
    }

    /** The departments {@code empNo} manages today (an open dept_manager term), for "own department" rules. */
    @Transactional(readOnly = true)
    public Set<String> departmentsManagedBy(long empNo) {
        return Set.copyOf(repository.departmentsManagedBy(empNo));
    }

    /** The department {@code empNo} currently works in, if any. */
    @Transactional(readOnly = true)
    public Optional<String> currentDepartmentOf(long empNo) {
        return repository.currentDepartment(empNo);
    }

    private static ApiException notFound(String deptNo) {
        return ApiException.notFound("Department " + deptNo + " does not exist");
    }
}
