package io.employeemgmt.employee;

import io.employeemgmt.employee.EmployeeDtos.Gender;
import io.employeemgmt.employee.EmployeeDtos.Status;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;

/** Filters of the employee list, bound from query parameters. Without {@code status}, terminated people are hidden. */
public record EmployeeFilter(
        @Parameter(description = "Employment status; default: everyone except TERMINATED")
        Status status,

        @Parameter(description = "Current department number, e.g. d005")
        @Pattern(regexp = "d[0-9]{3}", message = "must look like d001")
        String department,

        @Parameter(description = "Current title, exact") @Size(max = 50)
        String title,

        @Parameter(description = "Hired on or after (yyyy-MM-dd)")
        LocalDate hiredFrom,

        @Parameter(description = "Hired on or before (yyyy-MM-dd)")
        LocalDate hiredTo,

        Gender gender,

        @Parameter(description = "Fuzzy search over first name, last name and email") @Size(min = 2, max = 100)
        String q) {}
