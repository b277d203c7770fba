package io.employeemgmt.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.SessionAttribute;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Administration: user accounts and their roles, and the audit trail with its filters (ADMIN, as in the API). */
@Controller
class AdminPagesController {

    static final List<String> ROLES = List.of("ADMIN", "HR_MANAGER", "MANAGER", "EMPLOYEE");
    private static final List<String> AUDIT_FILTERS =
            List.of("entityType", "entityId", "actor", "action", "from", "to");

    private final ConsoleApi api;

    AdminPagesController(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping("/console/admin/users")
    String users(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        ApiReply reply = ApiRefused.require(
                api.get(me, "/users", Map.of("size", 50, "page", Math.max(0, page), "sort", "username")));
        model.addAttribute("users", reply.content());
        model.addAttribute("usersPage", reply.map().get("page"));
        model.addAttribute("page", Math.max(0, page));
        model.addAttribute("roles", ROLES);
        return "console/users";
    }

    @PostMapping("/console/admin/users")
    String createUser(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me,
            @RequestParam Map<String, String> params,
            @RequestParam(name = "roles", required = false) List<String> roles,
            Model model,
            RedirectAttributes redirect) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (String field : List.of("username", "email", "displayName", "password", "employeeNumber")) {
            String value = params.getOrDefault(field, "").strip();
            if (!value.isEmpty()) {
                body.put(
                        field,
                        "employeeNumber".equals(field) && value.matches("[0-9]{1,18}") ? Long.valueOf(value) : value);
            }
        }
        body.put("roles", roles == null ? List.of() : roles);
        ApiReply reply = api.send(me, "POST", "/users", body, null);
        if (!reply.ok()) {
            Map<String, String> kept = new LinkedHashMap<>(params);
            kept.remove("password");
            model.addAttribute("newUser", kept);
            model.addAttribute("newRoles", roles == null ? List.of() : roles);
            model.addAttribute("createErrors", reply.fieldErrors());
            model.addAttribute("createProblem", reply.detail());
            return users(me, 0, model);
        }
        redirect.addFlashAttribute("notice", "Created user " + body.get("username") + ".");
        return "redirect:/console/admin/users";
    }

    @PostMapping("/console/admin/users/{id}/roles")
    String setRoles(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me,
            @PathVariable String id,
            @RequestParam(name = "roles", required = false) List<String> roles,
            RedirectAttributes redirect) {
        ApiReply reply = api.send(
                me, "PUT", "/users/" + safeId(id) + "/roles", Map.of("roles", roles == null ? List.of() : roles), null);
        redirect.addFlashAttribute(reply.ok() ? "notice" : "problem", reply.ok() ? "Roles saved." : reply.detail());
        return "redirect:/console/admin/users";
    }

    @PostMapping("/console/admin/users/{id}/{action:unlock|enable|disable}")
    String accountAction(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me,
            @PathVariable String id,
            @PathVariable String action,
            RedirectAttributes redirect) {
        ApiReply reply = api.send(me, "POST", "/users/" + safeId(id) + "/" + action, null, null);
        redirect.addFlashAttribute(
                reply.ok() ? "notice" : "problem", reply.ok() ? "Done: " + action + "." : reply.detail());
        return "redirect:/console/admin/users";
    }

    @GetMapping("/console/admin/audit")
    String audit(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me,
            @RequestParam Map<String, String> params,
            Model model) {
        Map<String, Object> query = new LinkedHashMap<>();
        Map<String, String> filters = new LinkedHashMap<>();
        for (String name : AUDIT_FILTERS) {
            String value = params.getOrDefault(name, "").strip();
            if (!value.isEmpty()) {
                filters.put(name, value);
                // datetime-local inputs carry no zone: the console's times are UTC, as shown on the page
                query.put(
                        name,
                        ("from".equals(name) || "to".equals(name)) && value.length() == 16 ? value + ":00Z" : value);
            }
        }
        int page = parsePage(params.get("page"));
        query.put("page", page);
        query.put("size", 50);
        ApiReply reply = api.get(me, "/audit", query);
        if (reply.status() == 403) {
            ApiRefused.require(reply);
        }
        model.addAttribute("filters", filters);
        model.addAttribute("events", reply.ok() ? reply.content() : List.of());
        model.addAttribute("auditPage", reply.ok() ? reply.map().get("page") : null);
        model.addAttribute("errors", reply.fieldErrors());
        model.addAttribute("problem", reply.ok() ? null : reply.detail());
        model.addAttribute("page", page);
        model.addAttribute("nextLink", "/console/admin/audit" + ConsoleApi.queryString(withPage(filters, page + 1)));
        model.addAttribute(
                "previousLink", "/console/admin/audit" + ConsoleApi.queryString(withPage(filters, page - 1)));
        return "console/audit";
    }

    private static Map<String, String> withPage(Map<String, String> filters, int page) {
        Map<String, String> all = new LinkedHashMap<>(filters);
        all.put("page", String.valueOf(Math.max(0, page)));
        return all;
    }

    private static int parsePage(String value) {
        try {
            return value == null ? 0 : Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** User ids are UUIDs; anything else is not sent on to the API as a path. */
    private static String safeId(String id) {
        return id.matches("[0-9a-fA-F-]{36}") ? id : "invalid";
    }
}
