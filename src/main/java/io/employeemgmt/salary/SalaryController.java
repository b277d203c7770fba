package io.employeemgmt.salary;

import io.employeemgmt.department.CallerScope;
import io.employeemgmt.platform.PageRequest;
import io.employeemgmt.platform.PageResponse;
import io.employeemgmt.salary.SalaryDtos.SalaryRequest;
import io.employeemgmt.salary.SalaryDtos.SalaryView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/salaries", produces = "application/json")
@Tag(name = "Salaries")
class SalaryController {

    private static final String WHO = "HR_MANAGER and ADMIN; a MANAGER for current members of departments they "
            + "manage; an EMPLOYEE for their own record (403 otherwise)";

    private final SalaryService salaries;
    private final CallerScope scope;

    SalaryController(SalaryService salaries, CallerScope scope) {
        this.salaries = salaries;
        this.scope = scope;
    }

    @GetMapping
    @Operation(summary = "List salary records", description = "Sort by id, fromDate, amount or empNo")
    PageResponse<SalaryView> list(
            @RequestParam(required = false) @Positive Long empNo,
            @RequestParam(required = false) @Positive BigDecimal minAmount,
            @RequestParam(required = false) @Positive BigDecimal maxAmount,
            @Parameter(description = "Only periods still running on or after this date") @RequestParam(required = false)
                    LocalDate fromDate,
            @Parameter(description = "Only periods started on or before this date") @RequestParam(required = false)
                    LocalDate toDate,
            @Valid PageRequest page) {
        return salaries.list(empNo, minAmount, maxAmount, fromDate, toDate, page);
    }

    @GetMapping("/{id}")
    @Operation(
            summary = "Get one salary record",
            description = "HR_MANAGER and ADMIN; a MANAGER for current members of departments they manage")
    SalaryView get(@PathVariable @Positive long id) {
        SalaryView salary = salaries.get(id);
        scope.requirePrivateAccess(salary.empNo());
        return salary;
    }

    // Documents the status the method answers with (springdoc reads it; ResponseEntity sets the same).
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping(consumes = "application/json")
    @Operation(summary = "Record a salary period (corrections; use the employee's salary change for raises)")
    ResponseEntity<SalaryView> create(@Valid @RequestBody SalaryRequest request) {
        SalaryView created = salaries.create(request);
        return ResponseEntity.created(URI.create("/api/v1/salaries/" + created.id()))
                .body(created);
    }

    @PutMapping(path = "/{id}", consumes = "application/json")
    @Operation(summary = "Correct a salary period")
    SalaryView update(@PathVariable @Positive long id, @Valid @RequestBody SalaryRequest request) {
        return salaries.update(id, request);
    }

    // Documents the status the method answers with (springdoc reads it; ResponseEntity sets the same).
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a salary period recorded in error")
    ResponseEntity<Void> delete(@PathVariable @Positive long id) {
        salaries.delete(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/employee/{empNo}")
    @Operation(summary = "Salary history of an employee, newest first", description = WHO)
    List<SalaryView> history(@PathVariable @Positive long empNo) {
        scope.requirePrivateAccess(empNo);
        return salaries.history(empNo);
    }

    @GetMapping("/employee/{empNo}/current")
    @Operation(summary = "Current salary of an employee (404 when none)", description = WHO)
    SalaryView current(@PathVariable @Positive long empNo) {
        scope.requirePrivateAccess(empNo);
        return salaries.current(empNo);
    }
}
