package io.employeemgmt.employee;

import io.employeemgmt.department.CallerScope;
import io.employeemgmt.department.DepartmentDtos.Assignment;
import io.employeemgmt.employee.EmployeeDtos.Details;
import io.employeemgmt.employee.EmployeeDtos.NewEmployee;
import io.employeemgmt.employee.EmployeeDtos.Promotion;
import io.employeemgmt.employee.EmployeeDtos.SalaryChange;
import io.employeemgmt.employee.EmployeeDtos.Summary;
import io.employeemgmt.employee.EmployeeDtos.Transfer;
import io.employeemgmt.employee.EmployeeDtos.Update;
import io.employeemgmt.platform.ApiException;
import io.employeemgmt.platform.Etags;
import io.employeemgmt.platform.PageRequest;
import io.employeemgmt.platform.PageResponse;
import io.employeemgmt.salary.SalaryDtos.SalaryView;
import io.employeemgmt.title.TitleDtos.TitleRecord;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

@RestController
@RequestMapping(path = "/api/v1/employees", produces = "application/json")
@Tag(name = "Employees")
class EmployeeController {

    static final String PRIVATE_FIELDS = "Private fields (birthDate, phone, address, salary) are present only for "
            + "HR_MANAGER and ADMIN, for the employee's own record, and for a MANAGER on current members of the "
            + "departments they manage; otherwise they are left out of the response.";

    private static final Set<String> OWN_CONTACT_FIELDS = Set.of("phone", "address");

    private final EmployeeService employees;
    private final JsonMapper json;
    private final Validator validator;
    private final EmployeeShaper shaper;
    private final CallerScope scope;

    EmployeeController(
            EmployeeService employees, JsonMapper json, Validator validator, EmployeeShaper shaper, CallerScope scope) {
        this.employees = employees;
        this.json = json;
        this.validator = validator;
        this.shaper = shaper;
        this.scope = scope;
    }

    @GetMapping
    @Operation(
            summary = "List employees",
            description = "Offset paging (page, size ≤ 100), or keyset paging: pass the previous page's "
                    + "nextCursor as cursor for deep pages (nextCursor is present whenever more rows follow). "
                    + "Totals (page.totalElements, page.totalPages) only with count=true, which counts the whole "
                    + "filtered set. Sort by empNo, lastName, firstName, hireDate or birthDate (birthDate: "
                    + "HR_MANAGER and ADMIN only). Terminated employees are hidden unless status=TERMINATED. "
                    + PRIVATE_FIELDS)
    PageResponse<Summary> list(
            @Valid EmployeeFilter filter,
            @Valid PageRequest page,
            @Parameter(description = "Also count every matching row (offset pages only; an extra query)")
                    @RequestParam(defaultValue = "false")
                    boolean count) {
        shaper.requireSortAllowed(page.sort());
        return shaper.shape(employees.list(filter, page, count));
    }

    @GetMapping("/{empNo}")
    @Operation(
            summary = "Get an employee with current department, title, salary and manager; ETag = version",
            description = PRIVATE_FIELDS)
    ResponseEntity<Details> get(@PathVariable @Positive long empNo) {
        return withEtag(employees.get(empNo));
    }

    // Documents the status the method answers with (springdoc reads it; ResponseEntity sets the same).
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping(consumes = "application/json")
    @Operation(summary = "Hire an employee into a department with a title and a salary")
    ResponseEntity<Details> create(@Valid @RequestBody NewEmployee request) {
        Details created = employees.hire(request);
        return ResponseEntity.created(URI.create("/api/v1/employees/" + created.empNo()))
                .eTag(Etags.of(created.version()))
                .body(shaper.shape(created));
    }

    @PutMapping(path = "/{empNo}", consumes = "application/json")
    @Operation(summary = "Replace the employee's own fields; with If-Match, a stale version gets 412")
    ResponseEntity<Details> replace(
            @PathVariable @Positive long empNo,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @Valid @RequestBody Update update) {
        return withEtag(employees.update(empNo, update, Etags.expectedVersion(ifMatch)));
    }

    @PatchMapping(
            path = "/{empNo}",
            consumes = {"application/merge-patch+json", "application/json"})
    @Operation(
            summary = "Change some fields (RFC 7396 JSON merge patch: null clears an optional field)",
            description = "HR_MANAGER and ADMIN may change every field of the update schema. An EMPLOYEE or "
                    + "MANAGER may patch only phone and address, and only on their own record (403 otherwise). "
                    + "If-Match is required (428 without it): a patch applies to the version the client has seen.")
    ResponseEntity<Details> patch(
            @PathVariable @Positive long empNo,
            @Parameter(required = true, description = "The ETag of the version being patched (from GET)")
                    @RequestHeader(name = HttpHeaders.IF_MATCH, required = false)
                    String ifMatch,
            @RequestBody JsonNode patch) {
        if (!patch.isObject()) {
            throw ApiException.badRequest("body", "must be a JSON object");
        }
        requireContactPatchAllowed(empNo, (ObjectNode) patch);
        if (ifMatch == null || ifMatch.isBlank()) {
            // Without it the patch would be merged into whatever version is current; a concurrent change would
            // then fail with a 412 naming a precondition the client never sent.
            throw ApiException.preconditionRequired("PATCH requires If-Match with the ETag of the version you"
                    + " patch (GET /api/v1/employees/" + empNo + " returns it)");
        }
        Long expectedVersion = Etags.expectedVersion(ifMatch);
        Details current = employees.get(empNo);
        if (expectedVersion != null && expectedVersion != current.version()) {
            throw ApiException.preconditionFailed("Employee " + empNo + " was changed by someone else (now version "
                    + current.version() + "); GET it again and retry with its new ETag");
        }
        Update merged = merge(current, (ObjectNode) patch);
        return withEtag(employees.update(empNo, merged, current.version()));
    }

    /** Without HR rights, a caller may change only the contact fields of the record they are linked to. */
    private void requireContactPatchAllowed(long empNo, ObjectNode patch) {
        if (scope.unrestricted()) {
            return;
        }
        if (!scope.isSelf(empNo)) {
            throw ApiException.forbidden("Access denied: without the HR_MANAGER role you may change only your own "
                    + "record, and employee " + empNo + " is not linked to your user");
        }
        List<String> others = patch.propertyNames().stream()
                .filter(field -> !OWN_CONTACT_FIELDS.contains(field))
                .sorted()
                .toList();
        if (!others.isEmpty()) {
            throw ApiException.forbidden(
                    "Access denied: on your own record you may change only " + OWN_CONTACT_FIELDS + ", not " + others);
        }
    }

    private Update merge(Details current, ObjectNode patch) {
        ObjectNode base = json.valueToTree(new Update(
                current.firstName(),
                current.lastName(),
                current.birthDate(),
                current.gender(),
                current.email(),
                current.phone(),
                current.address(),
                current.status()));
        patch.properties().forEach(entry -> base.set(entry.getKey(), entry.getValue()));
        Update merged = json.treeToValue(base, Update.class);
        var violations = validator.validate(merged);
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations.stream()
                    .map(v -> new ApiException.FieldProblem(v.getPropertyPath().toString(), v.getMessage()))
                    .sorted(Comparator.comparing(ApiException.FieldProblem::field))
                    .toList());
        }
        return merged;
    }

    // Documents the status the method answers with (springdoc reads it; ResponseEntity sets the same).
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @DeleteMapping("/{empNo}")
    @Operation(summary = "Terminate (soft delete): ends current department, title and salary; history is kept")
    ResponseEntity<Void> terminate(
            @PathVariable @Positive long empNo,
            @Parameter(description = "Last day of employment; defaults to today") @RequestParam(required = false)
                    LocalDate terminationDate) {
        employees.terminate(empNo, terminationDate == null ? LocalDate.now(ZoneOffset.UTC) : terminationDate);
        return ResponseEntity.noContent().build();
    }

    @PostMapping(path = "/{empNo}/transfers", consumes = "application/json")
    @Operation(summary = "Transfer to another department from the effective date (closes the current assignment)")
    ResponseEntity<Details> transfer(@PathVariable @Positive long empNo, @Valid @RequestBody Transfer transfer) {
        return withEtag(employees.transfer(empNo, transfer.deptNo(), orToday(transfer.effectiveDate())));
    }

    @PostMapping(path = "/{empNo}/promotions", consumes = "application/json")
    @Operation(summary = "Give a new title from the effective date (closes the current title)")
    ResponseEntity<Details> promote(@PathVariable @Positive long empNo, @Valid @RequestBody Promotion promotion) {
        return withEtag(employees.promote(empNo, promotion.title(), orToday(promotion.effectiveDate())));
    }

    @PostMapping(path = "/{empNo}/salary-changes", consumes = "application/json")
    @Operation(summary = "Change the salary from the effective date; back-dating only where it overlaps nothing")
    ResponseEntity<Details> changeSalary(@PathVariable @Positive long empNo, @Valid @RequestBody SalaryChange change) {
        return withEtag(employees.changeSalary(empNo, change.salary(), orToday(change.effectiveDate())));
    }

    @GetMapping("/{empNo}/titles")
    @Operation(summary = "Title history, newest first")
    List<TitleRecord> titles(@PathVariable @Positive long empNo) {
        return employees.titleHistory(empNo);
    }

    @GetMapping("/{empNo}/salaries")
    @Operation(
            summary = "Salary history, newest first",
            description = "HR_MANAGER and ADMIN; a MANAGER for current members of departments they manage; an "
                    + "EMPLOYEE for their own record")
    List<SalaryView> salaries(@PathVariable @Positive long empNo) {
        scope.requirePrivateAccess(empNo);
        return employees.salaryHistory(empNo);
    }

    @GetMapping("/{empNo}/departments")
    @Operation(summary = "Department history, newest first")
    List<Assignment> departments(@PathVariable @Positive long empNo) {
        return employees.departmentHistory(empNo);
    }

    /**
     * The filtered directory view of a version gets an ETag of its own, so a conditional GET never answers 304 for
     * a view with different fields; it is no valid If-Match (only the full view's ETag is).
     */
    // Identity is the contract: the shaper returns its argument when it hides nothing.
    @SuppressWarnings("ReferenceEquality")
    private ResponseEntity<Details> withEtag(Details details) {
        Details shaped = shaper.shape(details);
        String etag = shaped == details ? Etags.of(details.version()) : "\"" + details.version() + "-directory\"";
        return ResponseEntity.ok().eTag(etag).body(shaped);
    }

    private static LocalDate orToday(LocalDate date) {
        return date == null ? LocalDate.now(ZoneOffset.UTC) : date;
    }
}
