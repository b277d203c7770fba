package io.employeemgmt.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One answer of the API to the console: status, ETag and body. Success bodies are handed to the templates as plain
 * maps and lists; problem bodies (RFC 9457) give their detail and field errors, which the forms show next to the
 * field the API names.
 */
record ApiReply(int status, @Nullable String etag, String body, JsonMapper json) {

    boolean ok() {
        return status >= 200 && status < 300;
    }

    JsonNode tree() {
        return body.isBlank() ? json.createObjectNode() : json.readTree(body);
    }

    /** The body as maps, lists and scalars for the templates. */
    @SuppressWarnings("unchecked")
    Map<String, Object> map() {
        return (Map<String, Object>) lenient(json.convertValue(tree(), Map.class));
    }

    @SuppressWarnings("unchecked")
    List<Object> list() {
        return (List<Object>) lenient(json.convertValue(tree(), List.class));
    }

    /**
     * The API leaves absent values out of its JSON (and private fields out for callers who may not see them); in the
     * templates such a property reads as null instead of failing, so "not there" and "null" look the same.
     */
    private static Object lenient(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new AbsentIsNull();
            map.forEach((key, inner) -> copy.put(String.valueOf(key), lenient(inner)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return new java.util.ArrayList<>(
                    list.stream().map(ApiReply::lenient).toList());
        }
        return value;
    }

    /** A map that answers every key (null where the JSON had none), as SpEL's map access needs. */
    private static final class AbsentIsNull extends LinkedHashMap<String, Object> {

        @java.io.Serial
        private static final long serialVersionUID = 1L;

        @Override
        public boolean containsKey(Object key) {
            return true;
        }
    }

    /** The {@code content} of a page response. */
    @SuppressWarnings("unchecked")
    List<Object> content() {
        Object content = map().get("content");
        return content instanceof List<?> items ? (List<Object>) items : List.of();
    }

    /** The problem's detail, or a sentence for a body that is no problem. */
    String detail() {
        if (!ok()) {
            try {
                JsonNode detail = tree().get("detail");
                if (detail != null && !detail.asString().isBlank()) {
                    return detail.asString();
                }
            } catch (RuntimeException e) {
                // not JSON: fall through to the status line
            }
        }
        return "The service answered " + status;
    }

    /** Field name (as the API names it, e.g. {@code salary.amount}) to message; first message per field. */
    Map<String, String> fieldErrors() {
        Map<String, String> errors = new LinkedHashMap<>();
        if (ok()) {
            return errors;
        }
        try {
            JsonNode list = tree().get("errors");
            if (list != null && list.isArray()) {
                for (JsonNode error : list) {
                    errors.putIfAbsent(
                            error.path("field").asString(),
                            error.path("message").asString());
                }
            }
        } catch (RuntimeException e) {
            // not JSON: no field errors
        }
        return errors;
    }
}
