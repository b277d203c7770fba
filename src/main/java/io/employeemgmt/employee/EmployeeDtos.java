package io.employeemgmt.employee;

import io.employeemgmt.salary.SalaryDtos.Amount;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** Request and response shapes of the employee API. */
public final class EmployeeDtos {

    private EmployeeDtos() {}

    public enum Gender {
        M,
        F,
        X
    }

    public enum Status {
        ACTIVE,
        ON_LEAVE,
        SUSPENDED,
        TERMINATED
    }

    @Schema(name = "EmployeeSummary")
    public record Summary(
            long empNo,
            String firstName,
            String lastName,
            String email,
            Gender gender,

            @Schema(description = PRIVATE, requiredMode = Schema.RequiredMode.NOT_REQUIRED)
            LocalDate birthDate,

            LocalDate hireDate,
            Status status,
            String deptNo,
            String deptName,
            String title) {}

    @Schema(name = "Employee")
    public record Details(
            long empNo,
            UUID uuid,
            String firstName,
            String lastName,

            @Schema(description = PRIVATE, requiredMode = Schema.RequiredMode.NOT_REQUIRED)
            LocalDate birthDate,

            Gender gender,
            LocalDate hireDate,
            LocalDate terminationDate,
            Status status,
            String email,

            @Schema(description = PRIVATE, requiredMode = Schema.RequiredMode.NOT_REQUIRED)
            String phone,

            @Schema(description = PRIVATE, requiredMode = Schema.RequiredMode.NOT_REQUIRED)
            String address,

            CurrentDepartment department,
            CurrentTitle title,

            @Schema(description = PRIVATE, requiredMode = Schema.RequiredMode.NOT_REQUIRED)
            CurrentSalary salary,

            ManagerRef manager,
            long version,
            Instant createdAt,
            Instant updatedAt,
            String createdBy,
            String updatedBy) {}

    public record CurrentDepartment(String deptNo, String name, LocalDate fromDate) {}

    public record CurrentTitle(String title, LocalDate fromDate) {}

    public record CurrentSalary(BigDecimal amount, String currency, LocalDate fromDate) {}

    @Schema(description = "Current manager of the employee's department (absent for that manager themselves)")
    public record ManagerRef(long empNo, String firstName, String lastName) {}

    @Schema(name = "NewEmployee", description = "Hires an employee into a department, title and salary at once")
    public record NewEmployee(
            @NotBlank @Size(max = 50) String firstName,
            @NotBlank @Size(max = 50) String lastName,
            @NotNull @Past LocalDate birthDate,
            @NotNull Gender gender,
            @NotNull LocalDate hireDate,
            @NotBlank @Email @Size(max = 254) String email,

            @Size(max = 32) @Pattern(regexp = PHONE, message = PHONE_MESSAGE)
            String phone,

            @Size(max = 255) String address,

            @NotNull @Pattern(regexp = "d[0-9]{3}", message = "must look like d001")
            String deptNo,

            @NotBlank @Size(max = 50) String title,
            @NotNull @Valid Amount salary) {}

    @Schema(
            name = "EmployeeUpdate",
            description = "Replaceable fields (PUT), or a JSON merge patch of them (PATCH). Terminate with DELETE.")
    public record Update(
            @NotBlank @Size(max = 50) String firstName,
            @NotBlank @Size(max = 50) String lastName,
            @NotNull @Past LocalDate birthDate,
            @NotNull Gender gender,
            @NotBlank @Email @Size(max = 254) String email,

            @Size(max = 32) @Pattern(regexp = PHONE, message = PHONE_MESSAGE)
            String phone,

            @Size(max = 255) String address,
            @NotNull Status status) {}

    @Schema(name = "Transfer")
    public record Transfer(
            @NotNull @Pattern(regexp = "d[0-9]{3}", message = "must look like d001")
            String deptNo,

            @Schema(description = "Defaults to today") LocalDate effectiveDate) {}

    @Schema(name = "Promotion")
    public record Promotion(
            @NotBlank @Size(max = 50) String title,
            @Schema(description = "Defaults to today") LocalDate effectiveDate) {}

    @Schema(name = "SalaryChange")
    public record SalaryChange(
            @NotNull @Valid Amount salary,
            @Schema(description = "Defaults to today") LocalDate effectiveDate) {}

    /** How the private fields are documented in the OpenAPI schemas. */
    static final String PRIVATE = "Role-dependent: present only for HR_MANAGER and ADMIN, for the caller's own "
            + "record, and for a MANAGER on current members of the departments they manage";

    static final String PHONE = "\\+?[0-9 ()./-]{5,32}";
    static final String PHONE_MESSAGE = "must be a phone number (digits, spaces, + ( ) . / -)";
}
