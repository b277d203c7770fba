package io.employeemgmt.employee;

import io.employeemgmt.employee.EmployeeCsvService.ImportReport;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** CSV export of the directory and CSV import of new hires; the web console uses both. */
@RestController
@RequestMapping("/api/v1/employees")
@Tag(name = "Employees")
class EmployeeCsvController {

    private final EmployeeCsvService csv;

    EmployeeCsvController(EmployeeCsvService csv) {
        this.csv = csv;
    }

    @GetMapping(path = "/export", produces = "text/csv")
    @Operation(
            summary = "Export the filtered directory as CSV",
            description = "The same filters and field filtering as GET /employees; every matching row (no paging), in"
                    + " the order of sort (default empNo). Columns: " + "empNo, firstName, lastName, email, gender,"
                    + " birthDate, hireDate, status, deptNo, deptName, title; birthDate is empty where the caller may"
                    + " not see it. " + EmployeeController.PRIVATE_FIELDS,
            responses =
                    @ApiResponse(
                            responseCode = "200",
                            description = "CSV (RFC 4180, UTF-8, header line first)",
                            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    void export(
            @Valid EmployeeFilter filter,
            @Parameter(description = "Sort as field or field,asc|desc (empNo, lastName, firstName, hireDate)")
                    @RequestParam(required = false)
                    @Size(max = 64)
                    String sort,
            HttpServletResponse response)
            throws IOException {
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION,
                "attachment; filename=\"employees-" + LocalDate.now(ZoneOffset.UTC) + ".csv\"");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        csv.export(filter, sort, out);
    }

    @PostMapping(path = "/import", consumes = "text/csv", produces = "application/json")
    @Operation(
            summary = "Import new employees from CSV (hire each row), or check a file with dryRun=true",
            description = "Header line with the columns firstName, lastName, birthDate (yyyy-MM-dd), gender (M|F|X),"
                    + " hireDate, email, deptNo, title, salary, and optionally phone, address, currency; at most 5,000"
                    + " rows. Each row is validated like POST /employees. dryRun=true writes nothing and reports per"
                    + " row what would be created and what is wrong (line, field, message). Without dryRun, a file"
                    + " with any invalid row is refused with 400 and nothing is written, unless validOnly=true, which"
                    + " imports the valid rows and reports the others. All rows are written in one transaction.")
    ResponseEntity<ImportReport> importCsv(
            @RequestBody String body,
            @Parameter(description = "Validate only; write nothing") @RequestParam(defaultValue = "false")
                    boolean dryRun,
            @Parameter(description = "Import the valid rows even though others are invalid")
                    @RequestParam(defaultValue = "false")
                    boolean validOnly) {
        ImportReport report = csv.importCsv(body, dryRun, validOnly);
        return ResponseEntity.status(report.created() > 0 ? HttpStatus.CREATED : HttpStatus.OK)
                .body(report);
    }
}
