package io.employeemgmt.department;

import io.employeemgmt.department.DepartmentDtos.DepartmentRequest;
import io.employeemgmt.department.DepartmentDtos.DepartmentView;
import io.employeemgmt.department.DepartmentDtos.Manager;
import io.employeemgmt.department.DepartmentDtos.ManagerAppointment;
import io.employeemgmt.department.DepartmentDtos.Member;
import io.employeemgmt.department.DepartmentDtos.Statistics;
import io.employeemgmt.platform.Etags;
import io.employeemgmt.platform.PageRequest;
import io.employeemgmt.platform.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/departments", produces = "application/json")
@Tag(name = "Departments")
class DepartmentController {

    private final DepartmentService departments;
    private final CallerScope scope;

    DepartmentController(DepartmentService departments, CallerScope scope) {
        this.departments = departments;
        this.scope = scope;
    }

    @GetMapping
    @Operation(summary = "List departments", description = "Sort by deptNo or name")
    PageResponse<DepartmentView> list(
            @Parameter(description = "Only active (true) or inactive (false) departments")
                    @RequestParam(required = false)
                    Boolean active,
            @Valid PageRequest page) {
        return departments.list(active, page);
    }

    @GetMapping("/{deptNo}")
    @Operation(summary = "Get a department; the ETag header carries its version")
    ResponseEntity<DepartmentView> get(@PathVariable @Pattern(regexp = "d[0-9]{3}") String deptNo) {
        DepartmentView department = departments.get(deptNo);
        return ResponseEntity.ok().eTag(Etags.of(department.version())).body(department);
    }

    // Documents the status the method answers with (springdoc reads it; ResponseEntity sets the same).
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping(consumes = "application/json")
    @Operation(summary = "Create a department; its number is assigned by the system")
    ResponseEntity<DepartmentView> create(@Valid @RequestBody DepartmentRequest request) {
        DepartmentView created = departments.create(request);
        return ResponseEntity.created(URI.create("/api/v1/departments/" + created.deptNo()))
                .eTag(Etags.of(created.version()))
                .body(created);
    }

    @PutMapping(path = "/{deptNo}", consumes = "application/json")
    @Operation(summary = "Replace a department's fields; send If-Match to fail with 412 on concurrent changes")
    ResponseEntity<DepartmentView> update(
            @PathVariable @Pattern(regexp = "d[0-9]{3}") String deptNo,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @Valid @RequestBody DepartmentRequest request) {
        DepartmentView updated = departments.update(deptNo, request, Etags.expectedVersion(ifMatch));
        return ResponseEntity.ok().eTag(Etags.of(updated.version())).body(updated);
    }

    // Documents the status the method answers with (springdoc reads it; ResponseEntity sets the same).
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @DeleteMapping("/{deptNo}")
    @Operation(summary = "Deactivate a department (409 while it has current employees); history is kept")
    ResponseEntity<Void> delete(@PathVariable @Pattern(regexp = "d[0-9]{3}") String deptNo) {
        departments.delete(deptNo);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{deptNo}/employees")
    @Operation(summary = "Current members of a department", description = "Sort by empNo, lastName or fromDate")
    PageResponse<Member> members(@PathVariable @Pattern(regexp = "d[0-9]{3}") String deptNo, @Valid PageRequest page) {
        return departments.members(deptNo, page);
    }

    @GetMapping("/{deptNo}/manager")
    @Operation(summary = "Current manager of a department (404 when it has none)")
    Manager manager(@PathVariable @Pattern(regexp = "d[0-9]{3}") String deptNo) {
        return departments.currentManager(deptNo);
    }

    @PutMapping(path = "/{deptNo}/manager", consumes = "application/json")
    @Operation(summary = "Appoint the manager from an effective date, ending the current manager's term that day")
    Manager appointManager(
            @PathVariable @Pattern(regexp = "d[0-9]{3}") String deptNo,
            @Valid @RequestBody ManagerAppointment appointment) {
        LocalDate effective =
                appointment.effectiveDate() == null ? LocalDate.now(ZoneOffset.UTC) : appointment.effectiveDate();
        return departments.appointManager(deptNo, appointment.empNo(), effective);
    }

    @GetMapping("/{deptNo}/managers")
    @Operation(summary = "Manager history of a department, newest first")
    List<Manager> managers(@PathVariable @Pattern(regexp = "d[0-9]{3}") String deptNo) {
        return departments.managerHistory(deptNo);
    }

    @GetMapping("/{deptNo}/statistics")
    @Operation(
            summary = "Headcount and current salary figures of a department",
            description = "HR_MANAGER and ADMIN; a MANAGER for the departments they manage (403 otherwise)")
    Statistics statistics(@PathVariable @Pattern(regexp = "d[0-9]{3}") String deptNo) {
        scope.requireDepartment(deptNo);
        return departments.statistics(deptNo);
    }
}
