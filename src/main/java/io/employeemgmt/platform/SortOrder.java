package io.employeemgmt.platform;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A validated sort: the API field name, the SQL expression it maps to, and the direction. Only fields in the
 * endpoint's allow-list are accepted, so user input never reaches SQL text.
 */
public record SortOrder(String field, String column, boolean descending) {

    public static SortOrder parse(String sort, Map<String, String> allowed, String defaultField) {
        if (sort == null || sort.isBlank()) {
            return new SortOrder(defaultField, allowed.get(defaultField), false);
        }
        String[] parts = sort.split(",", -1);
        String field = parts[0].trim();
        if (parts.length > 2 || !allowed.containsKey(field)) {
            throw ApiException.badRequest(
                    "sort", "unknown sort field '" + field + "'; allowed: " + String.join(", ", allowed.keySet()));
        }
        boolean descending = false;
        if (parts.length == 2) {
            String direction = parts[1].trim().toLowerCase(Locale.ROOT);
            if (!"asc".equals(direction) && !"desc".equals(direction)) {
                throw ApiException.badRequest("sort", "direction must be 'asc' or 'desc'");
            }
            descending = "desc".equals(direction);
        }
        return new SortOrder(field, allowed.get(field), descending);
    }

    /** An allow-list from pairs of API field name and SQL column, in the order error messages list them. */
    public static Map<String, String> allow(String... fieldColumnPairs) {
        Map<String, String> allowed = new LinkedHashMap<>();
        for (int i = 0; i < fieldColumnPairs.length; i += 2) {
            allowed.put(fieldColumnPairs[i], fieldColumnPairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(allowed);
    }

    public String direction() {
        return descending ? "DESC" : "ASC";
    }
}
