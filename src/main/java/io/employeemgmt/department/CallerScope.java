package io.employeemgmt.department;

import io.employeemgmt.platform.ApiException;
import io.employeemgmt.platform.CurrentActor;
import io.employeemgmt.platform.security.Role;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Row-level rules that the route table ({@code AccessRules}) cannot decide from the URL. ADMIN and HR_MANAGER are
 * unrestricted. A MANAGER's "own department" is every department they manage today (open dept_manager term of the
 * employee record their user is linked to); they see the private fields and salaries of that department's current
 * members and its analytics. Everyone sees their own record in full. Everything else is the company directory.
 */
@Component
public class CallerScope {

    private final CurrentActor actor;
    private final DepartmentService departments;

    CallerScope(CurrentActor actor, DepartmentService departments) {
        this.actor = actor;
        this.departments = departments;
    }

    /** ADMIN or HR_MANAGER: no row-level restriction. */
    public boolean unrestricted() {
        return actor.hasRole(Role.ADMIN) || actor.hasRole(Role.HR_MANAGER);
    }

    /** Whether {@code empNo} is the employee record the caller's user is linked to. */
    public boolean isSelf(long empNo) {
        return actor.employeeNumber().filter(own -> own == empNo).isPresent();
    }

    /** The departments the caller manages today; empty unless they hold MANAGER and are linked to an employee. */
    public Set<String> managedDepartments() {
        if (!actor.hasRole(Role.MANAGER)) {
            return Set.of();
        }
        return actor.employeeNumber().map(departments::departmentsManagedBy).orElse(Set.of());
    }

    /** Whether the caller may see birth date, phone, address and salary of an employee in {@code deptNo}. */
    public boolean maySeePrivate(long empNo, String currentDeptNo, Set<String> managed) {
        return unrestricted() || isSelf(empNo) || (currentDeptNo != null && managed.contains(currentDeptNo));
    }

    /** Whether the caller may see birth date, phone, address and salary of {@code empNo}. */
    public boolean maySeePrivate(long empNo) {
        if (unrestricted() || isSelf(empNo)) {
            return true;
        }
        Set<String> managed = managedDepartments();
        return !managed.isEmpty()
                && departments
                        .currentDepartmentOf(empNo)
                        .filter(managed::contains)
                        .isPresent();
    }

    /** 403 unless the caller may see the salaries and private fields of {@code empNo}. */
    public void requirePrivateAccess(long empNo) {
        if (!maySeePrivate(empNo)) {
            throw ApiException.forbidden("Access denied: only HR, the manager of employee " + empNo
                    + "'s department and the employee themselves may see their salary and private data");
        }
    }

    /** 403 unless the caller is unrestricted or manages {@code deptNo} (null: the whole company). */
    public void requireDepartment(String deptNo) {
        if (unrestricted()) {
            return;
        }
        if (deptNo == null) {
            throw ApiException.forbidden("Access denied: a manager must ask about one of the departments they "
                    + "manage (department="
                    + String.join("|", managedDepartments().stream().sorted().toList())
                    + ")");
        }
        if (!managedDepartments().contains(deptNo)) {
            throw ApiException.forbidden(
                    "Access denied: only HR and the manager of department " + deptNo + " may see its figures");
        }
    }
}
