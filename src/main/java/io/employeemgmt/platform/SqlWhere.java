package io.employeemgmt.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the optional filters of a list query as fixed SQL fragments with named parameters. Fragments are
 * always constants written in the repositories; only the parameter values come from the request.
 */
public final class SqlWhere {

    private final List<String> clauses = new ArrayList<>();
    private final Map<String, Object> params = new LinkedHashMap<>();

    public SqlWhere and(String clause) {
        clauses.add(clause);
        return this;
    }

    /** Adds {@code clause} with its parameter when {@code value} is present; does nothing for null. */
    public SqlWhere andIf(Object value, String clause, String param) {
        if (value != null) {
            clauses.add(clause);
            params.put(param, value);
        }
        return this;
    }

    public SqlWhere param(String name, Object value) {
        params.put(name, value);
        return this;
    }

    public String sql() {
        return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    public Map<String, Object> params() {
        return params;
    }

    /** Escapes LIKE wildcards so a search term matches literally. */
    public static String likeContains(String term) {
        return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
