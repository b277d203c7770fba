package io.employeemgmt.employee;

import io.employeemgmt.department.CallerScope;
import io.employeemgmt.employee.EmployeeDtos.Details;
import io.employeemgmt.employee.EmployeeDtos.Summary;
import io.employeemgmt.platform.PageResponse;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The one place that removes private fields from employee responses. Birth date, phone, address and salary are
 * shown to ADMIN and HR_MANAGER, to the employee themselves, and to a MANAGER for the current members of the
 * departments they manage; everyone else gets the directory view without them (the fields are left out of the
 * JSON).
 */
@Component
class EmployeeShaper {

    private final CallerScope scope;

    EmployeeShaper(CallerScope scope) {
        this.scope = scope;
    }

    Details shape(Details details) {
        if (scope.maySeePrivate(details.empNo())) {
            return details;
        }
        return new Details(
                details.empNo(),
                details.uuid(),
                details.firstName(),
                details.lastName(),
                null,
                details.gender(),
                details.hireDate(),
                details.terminationDate(),
                details.status(),
                details.email(),
                null,
                null,
                details.department(),
                details.title(),
                null,
                details.manager(),
                details.version(),
                details.createdAt(),
                details.updatedAt(),
                details.createdBy(),
                details.updatedBy());
    }

    PageResponse<Summary> shape(PageResponse<Summary> page) {
        if (scope.unrestricted()) {
            return page;
        }
        Set<String> managed = scope.managedDepartments();
        return new PageResponse<>(
                page.content().stream()
                        .map(row -> scope.maySeePrivate(row.empNo(), row.deptNo(), managed) ? row : directory(row))
                        .toList(),
                page.page(),
                page.nextCursor());
    }

    private static Summary directory(Summary row) {
        return new Summary(
                row.empNo(),
                row.firstName(),
                row.lastName(),
                row.email(),
                row.gender(),
                null,
                row.hireDate(),
                row.status(),
                row.deptNo(),
                row.deptName(),
                row.title());
    }

    /** Sorting by birth date would reveal it through the order: only for callers who may see every birth date. */
    void requireSortAllowed(String sort) {
        if (sort != null && sort.contains("birthDate") && !scope.unrestricted()) {
            throw io.employeemgmt.platform.ApiException.forbidden(
                    "Access denied: sorting by birthDate needs the HR_MANAGER or ADMIN role");
        }
    }
}
