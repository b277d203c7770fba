package io.employeemgmt.employee;

import io.employeemgmt.employee.EmployeeDtos.Gender;
import io.employeemgmt.employee.EmployeeDtos.NewEmployee;
import io.employeemgmt.employee.EmployeeDtos.Summary;
import io.employeemgmt.platform.ApiException;
import io.employeemgmt.platform.DatabaseConstraints;
import io.employeemgmt.platform.PageRequest;
import io.employeemgmt.platform.PageResponse;
import io.employeemgmt.salary.SalaryDtos.Amount;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * CSV export of the employee directory and CSV import of new hires. The export pages through the same query and
 * the same field filtering as {@code GET /employees}, so a file holds exactly the filtered list the caller may
 * see. The import hires each row through {@link EmployeeService#hire} inside one transaction, each row in a
 * savepoint of its own: a rejected row is rolled back alone and reported with its line, field and message. A dry
 * run, and a real run over a file with errors (unless the caller asked for the valid rows only), roll everything
 * back, so nothing is written.
 */
@Service
class EmployeeCsvService {

    static final List<String> EXPORT_COLUMNS = List.of(
            "empNo",
            "firstName",
            "lastName",
            "email",
            "gender",
            "birthDate",
            "hireDate",
            "status",
            "deptNo",
            "deptName",
            "title");

    static final List<String> IMPORT_COLUMNS = List.of(
            "firstName",
            "lastName",
            "birthDate",
            "gender",
            "hireDate",
            "email",
            "phone",
            "address",
            "deptNo",
            "title",
            "salary",
            "currency");

    private static final Set<String> REQUIRED_COLUMNS =
            Set.of("firstName", "lastName", "birthDate", "gender", "hireDate", "email", "deptNo", "title", "salary");

    static final int MAX_ROWS = 5_000;

    private static final int EXPORT_PAGE = 100;

    @Schema(name = "ImportProblem", description = "Why one row (or the header, line 1) cannot be imported")
    record ImportProblem(int line, String field, String message) {}

    @Schema(name = "ImportRow", description = "One data row of the file and what became of it")
    record ImportRow(
            int line,

            @Schema(description = "VALID (would be or was created), INVALID (see problems)")
            String status,

            String firstName,
            String lastName,
            String email,
            String deptNo,
            String title,

            @Schema(
                    description = "Employee number of the created employee; absent in a dry run or when nothing was"
                            + " written")
            Long empNo) {}

    @Schema(name = "ImportReport")
    record ImportReport(
            @Schema(description = "true: validated only, nothing written")
            boolean dryRun,

            @Schema(description = "true: the valid rows were imported even though others are invalid")
            boolean validOnly,

            int rows,
            int valid,
            int invalid,
            int created,
            List<ImportRow> results,
            List<ImportProblem> problems) {}

    private final EmployeeService employees;
    private final EmployeeShaper shaper;
    private final Validator validator;
    private final TransactionTemplate outer;
    private final TransactionTemplate savepoint;

    EmployeeCsvService(
            EmployeeService employees,
            EmployeeShaper shaper,
            Validator validator,
            PlatformTransactionManager transactions) {
        this.employees = employees;
        this.shaper = shaper;
        this.validator = validator;
        this.outer = new TransactionTemplate(transactions);
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * Writes the filtered list as CSV, page by page along the keyset of {@code sort} (default empNo), each page shaped
     * for the caller exactly like the JSON list.
     */
    void export(EmployeeFilter filter, String sort, Writer out) throws IOException {
        shaper.requireSortAllowed(sort);
        String order = sort == null || sort.isBlank() ? "empNo" : sort;
        out.write(EmployeeCsv.line(EXPORT_COLUMNS));
        String cursor = null;
        do {
            PageResponse<Summary> page =
                    shaper.shape(employees.list(filter, new PageRequest(null, EXPORT_PAGE, order, cursor), false));
            for (Summary row : page.content()) {
                out.write(EmployeeCsv.line(Arrays.asList(
                        row.empNo(),
                        row.firstName(),
                        row.lastName(),
                        row.email(),
                        row.gender(),
                        row.birthDate(),
                        row.hireDate(),
                        row.status(),
                        row.deptNo(),
                        row.deptName(),
                        row.title())));
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        out.flush();
    }

    // The import's three outcomes (dry run, refusal, valid rows only) read best side by side.
    @SuppressWarnings("PMD.CognitiveComplexity")
    ImportReport importCsv(String text, boolean dryRun, boolean validOnly) {
        List<EmployeeCsv.Row> records = EmployeeCsv.parse(text);
        if (records.isEmpty()) {
            throw ApiException.badRequest("file", "is empty; the first line must name the columns " + IMPORT_COLUMNS);
        }
        Map<String, Integer> columns = header(records.getFirst());
        List<EmployeeCsv.Row> data = records.subList(1, records.size());
        if (data.isEmpty()) {
            throw ApiException.badRequest("file", "has a header but no rows");
        }
        if (data.size() > MAX_ROWS) {
            throw ApiException.badRequest("file", "has " + data.size() + " rows; at most " + MAX_ROWS + " per file");
        }
        ImportReport report = outer.execute(status -> {
            List<ImportRow> results = new ArrayList<>();
            List<ImportProblem> problems = new ArrayList<>();
            for (EmployeeCsv.Row record : data) {
                results.add(importRow(record, columns, problems));
            }
            int invalid = (int) results.stream()
                    .filter(row -> "INVALID".equals(row.status()))
                    .count();
            boolean write = !dryRun && (invalid == 0 || validOnly);
            if (!write) {
                status.setRollbackOnly();
            }
            List<ImportRow> shown = write
                    ? results
                    : results.stream()
                            .map(row -> new ImportRow(
                                    row.line(),
                                    row.status(),
                                    row.firstName(),
                                    row.lastName(),
                                    row.email(),
                                    row.deptNo(),
                                    row.title(),
                                    null))
                            .toList();
            int valid = results.size() - invalid;
            return new ImportReport(
                    dryRun, validOnly, results.size(), valid, invalid, write ? valid : 0, shown, List.copyOf(problems));
        });
        if (!dryRun && report.invalid() > 0 && !validOnly) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "The file has " + report.invalid() + " invalid row(s); nothing was imported. Fix them, or import"
                            + " only the valid rows with validOnly=true",
                    report.problems().stream()
                            .map(p -> new ApiException.FieldProblem("line " + p.line() + ": " + p.field(), p.message()))
                            .toList());
        }
        return report;
    }

    private static Map<String, Integer> header(EmployeeCsv.Row header) {
        Map<String, Integer> columns = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String name = header.fields().get(i).strip();
            String known = IMPORT_COLUMNS.stream()
                    .filter(column -> column.equalsIgnoreCase(name))
                    .findFirst()
                    .orElse(null);
            if (known == null) {
                unknown.add(name);
            } else {
                columns.put(known, i);
            }
        }
        List<String> missing = REQUIRED_COLUMNS.stream()
                .filter(column -> !columns.containsKey(column))
                .sorted(Comparator.comparingInt(IMPORT_COLUMNS::indexOf))
                .toList();
        if (!unknown.isEmpty() || !missing.isEmpty()) {
            String message = (missing.isEmpty() ? "" : "missing columns " + missing)
                    + (!missing.isEmpty() && !unknown.isEmpty() ? "; " : "")
                    + (unknown.isEmpty() ? "" : "unknown columns " + unknown)
                    + "; the columns are " + IMPORT_COLUMNS;
            throw ApiException.badRequest("header", message);
        }
        return columns;
    }

    // One row: parse each column, collect every problem, then hire inside a savepoint - one pass, in column order.
    @SuppressWarnings("PMD.CognitiveComplexity")
    private ImportRow importRow(EmployeeCsv.Row record, Map<String, Integer> columns, List<ImportProblem> problems) {
        int line = record.line();
        List<ImportProblem> found = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        columns.forEach((name, index) -> {
            String value =
                    index < record.fields().size() ? record.fields().get(index).strip() : "";
            values.put(name, value.isEmpty() ? null : value);
        });
        NewEmployee request = new NewEmployee(
                values.get("firstName"),
                values.get("lastName"),
                date(values, "birthDate", line, found),
                gender(values, line, found),
                date(values, "hireDate", line, found),
                values.get("email"),
                values.get("phone"),
                values.get("address"),
                values.get("deptNo"),
                values.get("title"),
                amount(values, line, found));
        for (ConstraintViolation<NewEmployee> violation : validator.validate(request)) {
            String field = violation.getPropertyPath().toString();
            String column =
                    "salary.amount".equals(field) ? "salary" : "salary.currency".equals(field) ? "currency" : field;
            if (found.stream().noneMatch(problem -> problem.field().equals(column))) {
                found.add(new ImportProblem(line, column, violation.getMessage()));
            }
        }
        Long empNo = null;
        if (found.isEmpty()) {
            try {
                empNo = savepoint.execute(status -> employees.hire(request).empNo());
            } catch (ApiException e) {
                if (e.fieldErrors().isEmpty()) {
                    found.add(new ImportProblem(line, "row", e.getMessage()));
                }
                e.fieldErrors()
                        .forEach(problem -> found.add(new ImportProblem(line, problem.field(), problem.message())));
            } catch (DataIntegrityViolationException e) {
                ApiException translated = DatabaseConstraints.translate(e);
                if (translated.fieldErrors().isEmpty()) {
                    found.add(new ImportProblem(line, "row", translated.getMessage()));
                }
                translated
                        .fieldErrors()
                        .forEach(problem -> found.add(new ImportProblem(line, problem.field(), problem.message())));
            }
        }
        found.sort(Comparator.comparingInt(problem -> IMPORT_COLUMNS.indexOf(problem.field())));
        problems.addAll(found);
        return new ImportRow(
                line,
                found.isEmpty() ? "VALID" : "INVALID",
                values.get("firstName"),
                values.get("lastName"),
                values.get("email"),
                values.get("deptNo"),
                values.get("title"),
                empNo);
    }

    private static LocalDate date(Map<String, String> values, String column, int line, List<ImportProblem> found) {
        String value = values.get(column);
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            found.add(new ImportProblem(line, column, "must be a date like 1990-12-31"));
            return null;
        }
    }

    private static Gender gender(Map<String, String> values, int line, List<ImportProblem> found) {
        String value = values.get("gender");
        if (value == null) {
            return null;
        }
        try {
            return Gender.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            found.add(new ImportProblem(line, "gender", "must be one of M, F, X"));
            return null;
        }
    }

    private static Amount amount(Map<String, String> values, int line, List<ImportProblem> found) {
        String value = values.get("salary");
        if (value == null) {
            return null;
        }
        try {
            return new Amount(new BigDecimal(value), values.get("currency"));
        } catch (NumberFormatException e) {
            found.add(new ImportProblem(line, "salary", "must be a number like 65000 or 65000.50"));
            return null;
        }
    }
}
