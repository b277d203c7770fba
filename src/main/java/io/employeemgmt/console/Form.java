package io.employeemgmt.console;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A console form: its fields, the values shown, and the API's answer to the last submission. Field names are the
 * API's JSON property paths ({@code salary.amount}), so a field error from the API's problem lands on the input
 * that caused it; errors the form has no input for are listed in the summary at the top.
 */
public final class Form {

    public record Option(String value, String label) {}

    public record Field(
            String name,
            String label,
            String type,
            boolean required,
            List<Option> options,
            @Nullable String hint) {

        public String id() {
            return "f-" + name.replace('.', '-');
        }

        static Field text(String name, String label, boolean required) {
            return new Field(name, label, "text", required, List.of(), null);
        }

        Field type(String type) {
            return new Field(name, label, type, required, options, hint);
        }

        Field hint(String hint) {
            return new Field(name, label, type, required, options, hint);
        }

        static Field select(String name, String label, boolean required, List<Option> options) {
            return new Field(name, label, "select", required, options, null);
        }
    }

    /** A field whose saved value changed while the person was editing (412). */
    public record Conflict(
            String field, String label, @Nullable String saved) {}

    final String title;
    final String action;
    final String submit;
    final List<Field> fields;
    final Map<String, String> values;
    final Map<String, String> hidden = new LinkedHashMap<>();
    Map<String, String> errors = Map.of();

    @Nullable
    String detail;

    @Nullable
    String notice;

    List<Conflict> conflicts = List.of();
    boolean danger;

    Form(String title, String action, String submit, List<Field> fields, Map<String, String> values) {
        this.title = title;
        this.action = action;
        this.submit = submit;
        this.fields = fields;
        this.values = new LinkedHashMap<>(values);
    }

    // Accessors for the templates.
    public String getTitle() {
        return title;
    }

    public String getAction() {
        return action;
    }

    public String getSubmit() {
        return submit;
    }

    public List<Field> getFields() {
        return fields;
    }

    public Map<String, String> getValues() {
        return values;
    }

    public Map<String, String> getHidden() {
        return hidden;
    }

    public Map<String, String> getErrors() {
        return errors;
    }

    public @Nullable String getDetail() {
        return detail;
    }

    public @Nullable String getNotice() {
        return notice;
    }

    public List<Conflict> getConflicts() {
        return conflicts;
    }

    public boolean isDanger() {
        return danger;
    }

    public @Nullable String conflictFor(String field) {
        return conflicts.stream()
                .filter(c -> c.field().equals(field))
                .map(c -> c.saved() == null ? "(empty)" : c.saved())
                .findFirst()
                .orElse(null);
    }

    /** The ids of the hint, error and saved-meanwhile texts of {@code field}, for aria-describedby. */
    public @Nullable String describedBy(Field field) {
        List<String> ids = new ArrayList<>();
        if (errors.containsKey(field.name())) {
            ids.add(field.id() + "-error");
        }
        if (field.hint() != null) {
            ids.add(field.id() + "-hint");
        }
        if (conflictFor(field.name()) != null) {
            ids.add(field.id() + "-saved");
        }
        return ids.isEmpty() ? null : String.join(" ", ids);
    }

    /** Errors the API gave for names that are no input of this form. */
    public List<String> getOtherErrors() {
        List<String> other = new ArrayList<>();
        errors.forEach((field, message) -> {
            if (fields.stream().noneMatch(f -> f.name().equals(field))) {
                other.add(field + ": " + message);
            }
        });
        return other;
    }

    public List<Map.Entry<Field, String>> getFieldErrors() {
        List<Map.Entry<Field, String>> list = new ArrayList<>();
        fields.forEach(f -> {
            if (errors.containsKey(f.name())) {
                list.add(Map.entry(f, errors.get(f.name())));
            }
        });
        return list;
    }

    /** Takes the submitted values of this form's fields. */
    Form submitted(Map<String, String> params) {
        fields.forEach(
                f -> values.put(f.name(), params.getOrDefault(f.name(), "").strip()));
        return this;
    }

    Form answer(ApiReply reply) {
        errors = reply.fieldErrors();
        // With field errors the summary lists them by label; the API's detail repeats them by JSON name.
        detail = errors.isEmpty() ? reply.detail() : "Please correct the fields below.";
        return this;
    }

    /** The JSON body: dotted names nest, empty inputs are left out, number inputs that parse are numbers. */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        for (Field field : fields) {
            String value = values.getOrDefault(field.name(), "");
            if (value.isBlank()) {
                continue;
            }
            Object typed = value;
            if ("number".equals(field.type())) {
                try {
                    typed = new BigDecimal(value);
                } catch (NumberFormatException e) {
                    typed = value; // the API names the field and says what it expects
                }
            }
            put(body, field.name(), typed);
        }
        return body;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> body, String name, Object value) {
        int dot = name.indexOf('.');
        if (dot < 0) {
            body.put(name, value);
            return;
        }
        Map<String, Object> inner =
                (Map<String, Object>) body.computeIfAbsent(name.substring(0, dot), key -> new LinkedHashMap<>());
        put(inner, name.substring(dot + 1), value);
    }

    /** Values of a record (as the API returns it) for these fields; nested by dotted names. */
    static Map<String, String> valuesOf(List<Field> fields, Map<String, Object> record) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Field field : fields) {
            Object value = record;
            for (String part : field.name().split("\\.", -1)) {
                value = value instanceof Map<?, ?> map ? map.get(part) : null;
            }
            values.put(field.name(), value == null ? "" : Objects.toString(value));
        }
        return values;
    }
}
