package io.employeemgmt.analytics;

import io.employeemgmt.analytics.AnalyticsDtos.GenderDiversity;
import io.employeemgmt.analytics.AnalyticsDtos.PerformanceReport;
import io.employeemgmt.analytics.AnalyticsDtos.SalaryDistribution;
import io.employeemgmt.analytics.AnalyticsDtos.SalaryStatistics;
import io.employeemgmt.analytics.AnalyticsDtos.Summary;
import io.employeemgmt.analytics.AnalyticsDtos.TitleShare;
import io.employeemgmt.analytics.AnalyticsDtos.Trends;
import io.employeemgmt.department.CallerScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/analytics", produces = "application/json")
@Tag(name = "Analytics", description = "Figures over the records current on 'asOf' (default: today)")
class AnalyticsController {

    private static final String DEPT = "d[0-9]{3}";

    static final String MANAGER_NEEDS_DEPARTMENT =
            "HR_MANAGER and ADMIN; a MANAGER only with department set to a department they manage (403 otherwise)";

    static final String MANAGER_SEES_OWN =
            "HR_MANAGER and ADMIN see every department; a MANAGER sees only the departments they manage";

    private final AnalyticsService analytics;
    private final CallerScope scope;

    AnalyticsController(AnalyticsService analytics, CallerScope scope) {
        this.analytics = analytics;
        this.scope = scope;
    }

    @GetMapping("/salary-statistics")
    @Operation(
            summary = "Count, mean, min, max, median, p25/p75/p90 and standard deviation of salaries",
            description = MANAGER_NEEDS_DEPARTMENT)
    SalaryStatistics salaryStatistics(
            @RequestParam(required = false) LocalDate asOf,
            @RequestParam(required = false) @Pattern(regexp = DEPT) String department,
            @RequestParam(required = false) @Size(max = 50) String title) {
        scope.requireDepartment(department);
        return analytics.salaryStatistics(asOf, department, title);
    }

    @GetMapping("/salary-distribution")
    @Operation(summary = "Number of salaries per bucket of bucketWidth", description = MANAGER_NEEDS_DEPARTMENT)
    SalaryDistribution salaryDistribution(
            @RequestParam(required = false) LocalDate asOf,
            @RequestParam(required = false) @Pattern(regexp = DEPT) String department,
            @RequestParam(required = false) @Size(max = 50) String title,
            @RequestParam(defaultValue = "10000") @DecimalMin("100") @DecimalMax("10000000") BigDecimal bucketWidth) {
        scope.requireDepartment(department);
        return analytics.salaryDistribution(asOf, department, title, bucketWidth);
    }

    @GetMapping("/department-performance")
    @Operation(
            summary = "Per department: headcount, salaries and payroll on 'to'; hires, terminations, turnover",
            description = MANAGER_SEES_OWN)
    PerformanceReport departmentPerformance(
            @Parameter(description = "Period start; default one year before 'to'") @RequestParam(required = false)
                    LocalDate from,
            @Parameter(description = "Period end; default today") @RequestParam(required = false) LocalDate to) {
        PerformanceReport report = analytics.departmentPerformance(from, to);
        if (scope.unrestricted()) {
            return report;
        }
        Set<String> managed = scope.managedDepartments();
        return new PerformanceReport(
                report.from(),
                report.to(),
                report.departments().stream()
                        .filter(row -> managed.contains(row.deptNo()))
                        .toList());
    }

    @GetMapping("/employee-trends")
    @Operation(
            summary = "Hires and terminations per month or year",
            description = "HR_MANAGER and ADMIN (company-wide)")
    Trends trends(
            @RequestParam(defaultValue = "MONTH") AnalyticsService.Interval interval,
            @RequestParam(required = false) LocalDate from,
            @RequestParam(required = false) LocalDate to) {
        return analytics.trends(interval, from, to);
    }

    @GetMapping("/gender-diversity")
    @Operation(summary = "Gender counts and female ratio per department", description = MANAGER_SEES_OWN)
    List<GenderDiversity> genderDiversity(@RequestParam(required = false) LocalDate asOf) {
        List<GenderDiversity> rows = analytics.genderDiversity(asOf);
        if (scope.unrestricted()) {
            return rows;
        }
        Set<String> managed = scope.managedDepartments();
        return rows.stream().filter(row -> managed.contains(row.deptNo())).toList();
    }

    @GetMapping("/title-distribution")
    @Operation(summary = "Employees per title with share and average salary", description = MANAGER_NEEDS_DEPARTMENT)
    List<TitleShare> titleDistribution(
            @RequestParam(required = false) LocalDate asOf,
            @RequestParam(required = false) @Pattern(regexp = DEPT) String department) {
        scope.requireDepartment(department);
        return analytics.titleDistribution(asOf, department);
    }

    @GetMapping("/summary")
    @Operation(
            summary = "Headline figures: employees, departments, salaries, hires and terminations",
            description = "HR_MANAGER and ADMIN (company-wide)")
    Summary summary(@RequestParam(required = false) LocalDate asOf) {
        return analytics.summary(asOf);
    }
}
