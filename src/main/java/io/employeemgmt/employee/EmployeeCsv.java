package io.employeemgmt.employee;

import java.util.ArrayList;
import java.util.List;

/**
 * CSV as RFC 4180 describes it: comma separated, fields with a comma, quote or line break quoted with double quotes,
 * quotes doubled inside them, CRLF or LF line ends. Reading keeps the physical line number each record starts on,
 * so import errors can name the line a spreadsheet shows.
 */
final class EmployeeCsv {

    /** One record and the line it starts on (1 = the header). */
    record Row(int line, List<String> fields) {}

    private EmployeeCsv() {}

    // A single-pass RFC 4180 state machine (quotes, doubled quotes, CRLF): split, the quoting state would scatter.
    @SuppressWarnings({
        "PMD.CognitiveComplexity",
        "PMD.CyclomaticComplexity",
        "PMD.AvoidReassigningLoopVariables",
        "PMD.AssignmentInOperand"
    })
    static List<Row> parse(String text) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        int line = 1;
        int recordLine = 1;
        int start = text.startsWith("\uFEFF") ? 1 : 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    if (field.isEmpty()) {
                        quoted = true;
                    } else {
                        field.append(c);
                    }
                    fieldStarted = true;
                }
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    fieldStarted = true;
                }
                case '\r' -> {
                    // part of CRLF; a lone CR is treated as a line end too
                    if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        continue;
                    }
                    recordLine = endRecord(rows, fields, field, fieldStarted, recordLine, ++line);
                    fieldStarted = false;
                }
                case '\n' -> {
                    recordLine = endRecord(rows, fields, field, fieldStarted, recordLine, ++line);
                    fieldStarted = false;
                }
                default -> {
                    field.append(c);
                    fieldStarted = true;
                }
            }
        }
        endRecord(rows, fields, field, fieldStarted || quoted, recordLine, line);
        return rows;
    }

    private static int endRecord(
            List<Row> rows, List<String> fields, StringBuilder field, boolean started, int recordLine, int nextLine) {
        if (started || !fields.isEmpty()) {
            fields.add(field.toString());
            rows.add(new Row(recordLine, List.copyOf(fields)));
        }
        fields.clear();
        field.setLength(0);
        return nextLine;
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
