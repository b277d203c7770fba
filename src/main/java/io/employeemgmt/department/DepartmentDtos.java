package io.employeemgmt.department;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** Request and response shapes of the department API. */
public final class DepartmentDtos {

    private DepartmentDtos() {}

    @Schema(name = "Department")
    public record DepartmentView(
            String deptNo,
            String name,
            String description,
            BigDecimal budget,
            String location,
            boolean active,
            String parentDeptNo,
            long currentHeadcount,
            long version,
            Instant createdAt,
            Instant updatedAt) {}

    @Schema(name = "DepartmentRequest")
    public record DepartmentRequest(
            @NotBlank @Size(max = 80) String name,
            @Size(max = 500) String description,
            @PositiveOrZero @DecimalMax("9999999999999.99") BigDecimal budget,
            @Size(max = 120) String location,
            Boolean active,

            @Pattern(regexp = "d[0-9]{3}", message = "must look like d001")
            String parentDeptNo) {}

    @Schema(name = "DepartmentMember")
    public record Member(
            long empNo, String firstName, String lastName, String email, String title, LocalDate fromDate) {}

    @Schema(name = "DepartmentManager")
    public record Manager(long empNo, String firstName, String lastName, LocalDate fromDate, LocalDate toDate) {}

    @Schema(name = "ManagerAppointment")
    public record ManagerAppointment(
            @NotNull Long empNo,

            @Schema(description = "First day as manager; defaults to today")
            LocalDate effectiveDate) {}

    @Schema(name = "DepartmentStatistics")
    public record Statistics(
            String deptNo,
            long headcount,
            BigDecimal averageSalary,
            BigDecimal minSalary,
            BigDecimal maxSalary,
            BigDecimal payroll) {}

    /** A department assignment of one employee, as shown in the employee's history. */
    @Schema(name = "DepartmentAssignment")
    public record Assignment(String deptNo, String deptName, LocalDate fromDate, LocalDate toDate) {}
}
