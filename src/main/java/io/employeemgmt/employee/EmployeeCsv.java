package io.employeemgmt.employee;

import io.employeemgmt.platform.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV as RFC 4180 describes it: comma separated, fields with a comma, quote or line break quoted with double quotes,
 * quotes doubled inside them, CRLF or LF line ends. Reading (Apache Commons CSV) keeps the physical line number each
 * record starts on, so import errors can name the line a spreadsheet shows; blank lines are skipped.
 */
final class EmployeeCsv {

    /** One record and the line it starts on (1 = the header). */
    record Row(int line, List<String> fields) {}

    private static final CSVFormat FORMAT =
            CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();

    private EmployeeCsv() {}

    /** The records of {@code text} (a leading byte order mark is ignored); malformed CSV is a 400 naming the line. */
    static List<Row> parse(String text) {
        String csv = text.startsWith("\uFEFF") ? text.substring(1) : text;
        int[] lineStarts = lineStarts(csv);
        List<Row> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(csv, FORMAT)) {
            for (CSVRecord record : parser) {
                rows.add(new Row(lineOf(lineStarts, firstCharacter(csv, record)), record.toList()));
            }
        } catch (IOException | UncheckedIOException e) {
            // The innermost message names the line ("(startline 2) EOF reached before encapsulated token
            // finished"); the wrappers' messages would add Java class names.
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw ApiException.badRequest("file", "is not valid CSV (RFC 4180): " + cause.getMessage())
                    .causedBy(e);
        }
        return rows;
    }

    // Where each line starts: after LF, after CRLF, after a lone CR (the line ends Commons CSV accepts).
    private static int[] lineStarts(String csv) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            boolean crlf = c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n';
            if (c == '\n' || (c == '\r' && !crlf)) {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    // A record's position is where the parser began to look for it, before the blank lines it skipped.
    private static int firstCharacter(String csv, CSVRecord record) {
        int position = (int) record.getCharacterPosition();
        while (position < csv.length() && (csv.charAt(position) == '\n' || csv.charAt(position) == '\r')) {
            position++;
        }
        return position;
    }

    private static int lineOf(int[] lineStarts, int position) {
        int index = Arrays.binarySearch(lineStarts, position);
        return (index >= 0 ? index : -index - 2) + 1;
    }

    /** One CSV line (with CRLF) of {@code values}; null is an empty field. */
    static String line(List<?> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object value = values.get(i);
            out.append(value == null ? "" : escape(value.toString()));
        }
        return out.append("\r\n").toString();
    }

    private static String escape(String value) {
        // A leading =, +, - or @ makes spreadsheets evaluate the cell as a formula: prefix a quote (OWASP).
        String safe =
                !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !isNumber(value) ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }

    private static boolean isNumber(String value) {
        return value.matches("[+-]?[0-9]+(\\.[0-9]+)?");
    }
}
