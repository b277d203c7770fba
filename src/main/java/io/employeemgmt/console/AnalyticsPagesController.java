package io.employeemgmt.console;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.SessionAttribute;

/**
 * Analytics as charts, each drawn from one API answer for the chosen as-of date (and department), with the API's
 * numbers in a table under it. A report the API refuses for this user (a manager asking company-wide) shows the
 * API's reason in place of the chart.
 */
@Controller
class AnalyticsPagesController {

    /** One panel: a chart and its table, or the API's refusal. */
    public record Panel(
            String id,
            String title,
            @Nullable Chart chart,
            List<String> columns,
            List<List<String>> table,
            @Nullable String refused) {}

    private final ConsoleApi api;
    private final Lookups lookups;

    AnalyticsPagesController(ConsoleApi api, Lookups lookups) {
        this.api = api;
        this.lookups = lookups;
    }

    @GetMapping("/console/analytics")
    String analytics(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me,
            @RequestParam(required = false) @Nullable String asOf,
            @RequestParam(required = false) @Nullable String department,
            Model model) {
        LocalDate day = parse(asOf);
        String dept = department == null || department.isBlank() ? null : department;
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("asOf", day);
        scope.put("department", dept);
        List<Panel> panels = new ArrayList<>();
        panels.add(salaryDistribution(api.get(me, "/analytics/salary-distribution", scope)));
        panels.add(performance(api.get(me, "/analytics/department-performance", Map.of("to", day))));
        panels.add(trends(api.get(me, "/analytics/employee-trends", Map.of("interval", "YEAR", "to", day))));
        panels.add(gender(api.get(me, "/analytics/gender-diversity", Map.of("asOf", day))));
        panels.add(titles(api.get(me, "/analytics/title-distribution", scope)));
        model.addAttribute("panels", panels);
        model.addAttribute("asOf", day);
        model.addAttribute("department", dept);
        model.addAttribute("departments", lookups.departments(me));
        return "console/analytics";
    }

    private static LocalDate parse(@Nullable String asOf) {
        try {
            return asOf == null || asOf.isBlank() ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(asOf);
        } catch (DateTimeParseException e) {
            return LocalDate.now(ZoneOffset.UTC);
        }
    }

    private static Panel refused(String id, String title, ApiReply reply) {
        return new Panel(id, title, null, List.of(), List.of(), reply.detail());
    }

    private static List<Map<?, ?>> items(Object list) {
        List<Map<?, ?>> items = new ArrayList<>();
        if (list instanceof List<?> values) {
            values.forEach(value -> items.add((Map<?, ?>) value));
        }
        return items;
    }

    private static BigDecimal number(Object value) {
        return value == null ? BigDecimal.ZERO : new BigDecimal(value.toString());
    }

    private static String text(Object value) {
        return value == null ? "" : value instanceof Number n ? Chart.format(number(n)) : value.toString();
    }

    private Panel salaryDistribution(ApiReply reply) {
        String title = "Salary distribution";
        if (!reply.ok()) {
            return refused("salary-distribution", title, reply);
        }
        List<Chart.Point> points = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        for (Map<?, ?> bucket : items(reply.map().get("buckets"))) {
            String label = text(bucket.get("lower")) + " – " + text(bucket.get("upper"));
            points.add(new Chart.Point(label, List.of(number(bucket.get("count")))));
            table.add(List.of(label, text(bucket.get("count"))));
        }
        return new Panel(
                "salary-distribution",
                title,
                Chart.of("chart-salary", title, "Current salaries per band", List.of("Employees"), points),
                List.of("Salary band", "Employees"),
                table,
                null);
    }

    private Panel performance(ApiReply reply) {
        String title = "Department performance";
        if (!reply.ok()) {
            return refused("department-performance", title, reply);
        }
        List<Chart.Point> points = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        for (Map<?, ?> row : items(reply.map().get("departments"))) {
            String name = String.valueOf(row.get("name"));
            points.add(new Chart.Point(name, List.of(number(row.get("averageSalary")))));
            table.add(List.of(
                    name,
                    text(row.get("headcount")),
                    text(row.get("averageSalary")),
                    text(row.get("payroll")),
                    text(row.get("hires")),
                    text(row.get("terminations")),
                    text(row.get("turnover"))));
        }
        return new Panel(
                "department-performance",
                title,
                Chart.of(
                        "chart-performance",
                        title,
                        "Average salary per department; the table has headcount, payroll, hires, terminations and"
                                + " turnover of the year up to the as-of date",
                        List.of("Average salary"),
                        points),
                List.of("Department", "Headcount", "Average salary", "Payroll", "Hires", "Terminations", "Turnover"),
                table,
                null);
    }

    private Panel trends(ApiReply reply) {
        String title = "Hires and terminations per year";
        if (!reply.ok()) {
            return refused("employee-trends", title, reply);
        }
        List<Chart.Point> points = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        for (Map<?, ?> point : items(reply.map().get("points"))) {
            String year = String.valueOf(point.get("period")).substring(0, 4);
            points.add(new Chart.Point(year, List.of(number(point.get("hires")), number(point.get("terminations")))));
            table.add(List.of(year, text(point.get("hires")), text(point.get("terminations"))));
        }
        return new Panel(
                "employee-trends",
                title,
                Chart.of(
                        "chart-trends",
                        title,
                        "Hires and terminations per year",
                        List.of("Hires", "Terminations"),
                        points),
                List.of("Year", "Hires", "Terminations"),
                table,
                null);
    }

    private Panel gender(ApiReply reply) {
        String title = "Gender diversity";
        if (!reply.ok()) {
            return refused("gender-diversity", title, reply);
        }
        List<Chart.Point> points = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        for (Map<?, ?> row : items(reply.list())) {
            String name = String.valueOf(row.get("name"));
            points.add(new Chart.Point(
                    name, List.of(number(row.get("female")), number(row.get("male")), number(row.get("other")))));
            table.add(List.of(
                    name,
                    text(row.get("total")),
                    text(row.get("female")),
                    text(row.get("male")),
                    text(row.get("other")),
                    text(row.get("femaleRatio"))));
        }
        return new Panel(
                "gender-diversity",
                title,
                Chart.of(
                        "chart-gender",
                        title,
                        "Employees per gender and department",
                        List.of("Female", "Male", "Other"),
                        points),
                List.of("Department", "Total", "Female", "Male", "Other", "Female ratio"),
                table,
                null);
    }

    private Panel titles(ApiReply reply) {
        String title = "Title distribution";
        if (!reply.ok()) {
            return refused("title-distribution", title, reply);
        }
        List<Chart.Point> points = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        for (Map<?, ?> row : items(reply.list())) {
            String name = String.valueOf(row.get("title"));
            points.add(new Chart.Point(name, List.of(number(row.get("count")))));
            table.add(List.of(name, text(row.get("count")), text(row.get("share")), text(row.get("averageSalary"))));
        }
        return new Panel(
                "title-distribution",
                title,
                Chart.of("chart-titles", title, "Employees per current title", List.of("Employees"), points),
                List.of("Title", "Employees", "Share", "Average salary"),
                table,
                null);
    }
}
