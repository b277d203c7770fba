package io.employeemgmt.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The choices of the console's selects (departments, titles), read from the API like everything else. */
@Component
class Lookups {

    private final ConsoleApi api;

    Lookups(ConsoleApi api) {
        this.api = api;
    }

    List<Form.Option> departments(ConsoleSession me) {
        List<Form.Option> options = new ArrayList<>();
        ApiReply reply = api.get(me, "/departments", Map.of("size", 100, "sort", "deptNo"));
        if (reply.ok()) {
            for (Object item : reply.content()) {
                Map<?, ?> department = (Map<?, ?>) item;
                options.add(new Form.Option(
                        String.valueOf(department.get("deptNo")),
                        department.get("name") + " (" + department.get("deptNo") + ")"));
            }
        }
        return options;
    }

    List<Form.Option> titles(ConsoleSession me) {
        List<Form.Option> options = new ArrayList<>();
        ApiReply reply = api.get(me, "/titles");
        if (reply.ok()) {
            for (Object item : reply.list()) {
                String title = String.valueOf(((Map<?, ?>) item).get("title"));
                options.add(new Form.Option(title, title));
            }
        }
        return options;
    }

    static List<Form.Option> options(String... values) {
        return java.util.Arrays.stream(values).map(v -> new Form.Option(v, v)).toList();
    }
}
