package io.employeemgmt.analytics;

import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** Response shapes of the analytics API. Money figures are rounded to cents; ratios to four decimals. */
public final class AnalyticsDtos {

    private AnalyticsDtos() {}

    @Schema(name = "SalaryStatistics")
    public record SalaryStatistics(
            LocalDate asOf,
            String department,
            String title,
            long count,
            BigDecimal mean,
            BigDecimal min,
            BigDecimal max,
            BigDecimal median,
            BigDecimal p25,
            BigDecimal p75,
            BigDecimal p90,
            BigDecimal stddev) {}

    @Schema(name = "SalaryBucket", description = "Salaries in [lower, upper)")
    public record SalaryBucket(BigDecimal lower, BigDecimal upper, long count) {}

    @Schema(name = "SalaryDistribution")
    public record SalaryDistribution(LocalDate asOf, BigDecimal bucketWidth, List<SalaryBucket> buckets) {}

    @Schema(name = "DepartmentPerformance")
    public record DepartmentPerformance(
            String deptNo,
            String name,
            long headcount,
            BigDecimal averageSalary,
            BigDecimal payroll,
            long hires,
            long terminations,

            @Schema(description = "terminations / headcount at the end of the period")
            BigDecimal turnover) {}

    @Schema(name = "DepartmentPerformanceReport")
    public record PerformanceReport(LocalDate from, LocalDate to, List<DepartmentPerformance> departments) {}

    @Schema(name = "TrendPoint")
    public record TrendPoint(LocalDate period, long hires, long terminations) {}

    @Schema(name = "EmployeeTrends")
    public record Trends(String interval, LocalDate from, LocalDate to, List<TrendPoint> points) {}

    @Schema(name = "GenderDiversity")
    public record GenderDiversity(
            String deptNo, String name, long total, long male, long female, long other, BigDecimal femaleRatio) {}

    @Schema(name = "TitleDistribution")
    public record TitleShare(String title, long count, BigDecimal share, BigDecimal averageSalary) {}

    @Schema(name = "AnalyticsSummary")
    public record Summary(
            LocalDate asOf,
            long employees,
            long departments,
            BigDecimal averageSalary,
            BigDecimal payroll,
            long hiresLast12Months,
            long terminationsLast12Months) {}
}
