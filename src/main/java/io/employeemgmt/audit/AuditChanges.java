package io.employeemgmt.audit;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reduces a before/after pair to the fields that changed and masks secrets. Objects are compared as their JSON
 * form (records, maps and beans alike), field by field at the top level.
 */
final class AuditChanges {

    /** A field whose name contains one of these is never stored; its value becomes {@value #REDACTED}. */
    private static final Pattern SECRET_FIELD =
            Pattern.compile("(?i).*(password|secret|token|credential|hash|apikey|api_key).*");

    static final String REDACTED = "[REDACTED]";

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    record Diff(
            @Nullable Map<String, Object> before, @Nullable Map<String, Object> after) {

        boolean isEmpty() {
            return before != null && after != null && before.isEmpty() && after.isEmpty();
        }
    }

    private final JsonMapper json;

    AuditChanges(JsonMapper json) {
        this.json = json;
    }

    Diff diff(@Nullable Object before, @Nullable Object after) {
        Map<String, Object> old = toMap(before);
        Map<String, Object> now = toMap(after);
        if (old == null || now == null) {
            return new Diff(redact(withoutNulls(old)), redact(withoutNulls(now)));
        }
        Set<String> fields = new TreeSet<>(old.keySet());
        fields.addAll(now.keySet());
        Map<String, Object> changedBefore = new LinkedHashMap<>();
        Map<String, Object> changedAfter = new LinkedHashMap<>();
        for (String field : fields) {
            Object was = old.get(field);
            Object is = now.get(field);
            if (!same(was, is)) {
                changedBefore.put(field, was);
                changedAfter.put(field, is);
            }
        }
        return new Diff(redact(changedBefore), redact(changedAfter));
    }

    @Nullable
    String toJson(@Nullable Map<String, Object> fields) {
        return fields == null ? null : json.writeValueAsString(fields);
    }

    @SuppressWarnings("PMD.ReturnEmptyCollectionRatherThanNull") // null = no state (created/deleted), not {}
    private @Nullable Map<String, Object> toMap(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        try {
            return json.convertValue(value, MAP);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "An audited value must be an object with fields, not "
                            + value.getClass().getSimpleName(),
                    e);
        }
    }

    private static boolean same(@Nullable Object a, @Nullable Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        return Objects.equals(a, b);
    }

    @SuppressWarnings("PMD.ReturnEmptyCollectionRatherThanNull") // null = no state (created/deleted), not {}
    private static @Nullable Map<String, Object> withoutNulls(@Nullable Map<String, Object> fields) {
        if (fields == null) {
            return null;
        }
        Map<String, Object> present = new LinkedHashMap<>();
        fields.forEach((field, value) -> {
            if (value != null) {
                present.put(field, value);
            }
        });
        return present;
    }

    @SuppressWarnings("PMD.ReturnEmptyCollectionRatherThanNull") // null = no state (created/deleted), not {}
    private static @Nullable Map<String, Object> redact(@Nullable Map<String, Object> fields) {
        if (fields == null) {
            return null;
        }
        Map<String, Object> safe = new LinkedHashMap<>();
        fields.forEach((field, value) -> safe.put(field, isSecret(field) ? REDACTED : redactNested(value)));
        return safe;
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Object redactNested(@Nullable Object value) {
        if (value instanceof Map<?, ?> nested) {
            return redact((Map<String, Object>) nested);
        }
        return value;
    }

    static boolean isSecret(String field) {
        return SECRET_FIELD.matcher(field).matches();
    }
}
