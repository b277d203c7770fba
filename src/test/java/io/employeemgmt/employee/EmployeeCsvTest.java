package io.employeemgmt.employee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.employeemgmt.platform.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** Reading and writing CSV: RFC 4180 records, and the line each starts on as a spreadsheet numbers it. */
class EmployeeCsvTest {

    @Test
    void recordsKeepTheLineTheyStartOnAcrossQuotedLineBreaksBlankLinesAndCrlf() {
        String text = "\uFEFFa,b\r\n\"multi\nline\",x\r\n\r\n\"say \"\"hi\"\"\",\n\nlast,\"\"\n";

        List<EmployeeCsv.Row> rows = EmployeeCsv.parse(text);

        assertThat(rows)
                .containsExactly(
                        new EmployeeCsv.Row(1, List.of("a", "b")),
                        new EmployeeCsv.Row(2, List.of("multi\nline", "x")),
                        new EmployeeCsv.Row(5, List.of("say \"hi\"", "")),
                        new EmployeeCsv.Row(7, List.of("last", "")));
    }

    @Test
    void aLoneCarriageReturnEndsALineAndTheLastRecordNeedsNoLineEnd() {
        assertThat(EmployeeCsv.parse("a\rb\rc"))
                .extracting(EmployeeCsv.Row::line)
                .containsExactly(1, 2, 3);
    }

    @Test
    void anEmptyFileHasNoRecords() {
        assertThat(EmployeeCsv.parse("")).isEmpty();
        assertThat(EmployeeCsv.parse("\n\n")).isEmpty();
    }

    @Test
    void malformedCsvIsABadRequestNamingTheProblem() {
        assertThatThrownBy(() -> EmployeeCsv.parse("a,b\n\"open,x\n")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(e.fieldErrors())
                    .singleElement()
                    .satisfies(problem -> assertThat(problem.message())
                            .startsWith("is not valid CSV")
                            .contains("line 2")
                            .doesNotContain("Exception"));
        });
        assertThatThrownBy(() -> EmployeeCsv.parse("\"closed\"trailing,x\n")).isInstanceOf(ApiException.class);
    }

    @Test
    void writtenLinesQuoteWhatNeedsQuotingAndDefuseFormulas() {
        assertThat(EmployeeCsv.line(List.of("plain", "a,b", "say \"hi\"", "=SUM(A1)", "-12.5")))
                .isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",'=SUM(A1),-12.5\r\n");
        assertThat(EmployeeCsv.parse(EmployeeCsv.line(List.of("x\ny", "z"))))
                .containsExactly(new EmployeeCsv.Row(1, List.of("x\ny", "z")));
    }
}
