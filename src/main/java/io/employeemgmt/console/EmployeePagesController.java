package io.employeemgmt.console;

import io.employeemgmt.console.Form.Field;
import jakarta.servlet.http.HttpServletRequest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.SessionAttribute;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * An employee's profile (current department, title, salary, manager and the three timelines) and the HR actions:
 * hire, edit (with the ETag as If-Match: a concurrent change is shown next to each field, never overwritten
 * silently), transfer, promote, salary change and terminate. Each action is one API call; its problem's field
 * errors are shown on the inputs they name. What the profile shows is what the API returned for this user.
 */
@Controller
class EmployeePagesController {

    private static final List<Form.Option> GENDERS = List.of(
            new Form.Option("F", "Female"), new Form.Option("M", "Male"), new Form.Option("X", "Other / not stated"));
    private static final List<Form.Option> STATUSES = Lookups.options("ACTIVE", "ON_LEAVE", "SUSPENDED");

    private final ConsoleApi api;
    private final Lookups lookups;

    EmployeePagesController(ConsoleApi api, Lookups lookups) {
        this.api = api;
        this.lookups = lookups;
    }

    @GetMapping("/console/employees/{empNo}")
    String profile(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me, @PathVariable long empNo, Model model) {
        Map<String, Object> employee =
                ApiRefused.require(api.get(me, "/employees/" + empNo)).map();
        model.addAttribute("e", employee);
        model.addAttribute("titles", listOrEmpty(api.get(me, "/employees/" + empNo + "/titles")));
        model.addAttribute("departmentsHistory", listOrEmpty(api.get(me, "/employees/" + empNo + "/departments")));
        ApiReply salaries = api.get(me, "/employees/" + empNo + "/salaries");
        model.addAttribute("salaries", salaries.ok() ? salaries.list() : null);
        model.addAttribute("salariesRefused", salaries.ok() ? null : salaries.detail());
        model.addAttribute("self", Objects.equals(me.employeeNumber(), empNo));
        return "console/profile";
    }

    @GetMapping("/console/employees/new")
    String hireForm(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me, HttpServletRequest request, Model model) {
        Map<String, String> defaults =
                Map.of("hireDate", LocalDate.now(ZoneOffset.UTC).toString(), "salary.currency", "USD");
        Form form = hire(me, Drafts.take(request, "/console/employees/new").orElse(defaults));
        return show(model, form);
    }

    @PostMapping("/console/employees/new")
    String hireSubmit(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me,
            @RequestParam Map<String, String> params,
            Model model,
            RedirectAttributes redirect) {
        Form form = hire(me, Map.of()).submitted(params);
        ApiReply reply = api.send(me, "POST", "/employees", form.body(), null);
        if (!reply.ok()) {
            return show(model, form.answer(reply));
        }
        Map<String, Object> hired = reply.map();
        redirect.addFlashAttribute(
                "notice",
                "Hired " + hired.get("firstName") + " " + hired.get("lastName") + " (" + hired.get("empNo") + ").");
        return "redirect:/console/employees/" + hired.get("empNo");
    }

    @GetMapping("/console/employees/{empNo}/{action:edit|transfer|promote|salary|terminate}")
    String actionForm(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me,
            @PathVariable long empNo,
            @PathVariable String action,
            HttpServletRequest request,
            Model model) {
        ApiReply current = ApiRefused.require(api.get(me, "/employees/" + empNo));
        Map<String, Object> employee = current.map();
        Form form = action(me, empNo, action, employee, Map.of());
        if ("edit".equals(action)) {
            form.values.putAll(Form.valuesOf(form.fields, employee));
            form.hidden.put("etag", Objects.requireNonNullElse(current.etag(), ""));
        }
        Drafts.take(request, request.getRequestURI()).ifPresent(kept -> {
            form.submitted(kept);
            if (kept.containsKey("etag")) {
                form.hidden.put("etag", kept.get("etag"));
            }
            form.notice = "You were signed out before this was saved. What you had typed is filled in again: check it"
                    + " and submit.";
        });
        model.addAttribute("e", employee);
        return show(model, form);
    }

    @PostMapping("/console/employees/{empNo}/{action:edit|transfer|promote|salary|terminate}")
    String actionSubmit(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me,
            @PathVariable long empNo,
            @PathVariable String action,
            @RequestParam Map<String, String> params,
            Model model,
            RedirectAttributes redirect) {
        Map<String, Object> employee =
                ApiRefused.require(api.get(me, "/employees/" + empNo)).map();
        Form form = action(me, empNo, action, employee, Map.of()).submitted(params);
        ApiReply reply = switch (action) {
            case "edit" -> api.send(me, "PUT", "/employees/" + empNo, form.body(), params.get("etag"));
            case "transfer" -> api.send(me, "POST", "/employees/" + empNo + "/transfers", form.body(), null);
            case "promote" -> api.send(me, "POST", "/employees/" + empNo + "/promotions", form.body(), null);
            case "salary" -> api.send(me, "POST", "/employees/" + empNo + "/salary-changes", form.body(), null);
            case "terminate" ->
                api.send(
                        me,
                        "DELETE",
                        "/employees/" + empNo
                                + ConsoleApi.queryString(
                                        Map.of("terminationDate", form.values.getOrDefault("terminationDate", ""))),
                        null,
                        null);
            default -> throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        };
        model.addAttribute("e", employee);
        if (reply.status() == HttpStatus.PRECONDITION_FAILED.value()) {
            return concurrentEdit(me, empNo, form, model);
        }
        if (!reply.ok()) {
            form.hidden.put("etag", Objects.requireNonNullElse(params.get("etag"), ""));
            return show(model, form.answer(reply));
        }
        redirect.addFlashAttribute(
                "notice",
                switch (action) {
                    case "edit" -> "Saved.";
                    case "transfer" -> "Transferred.";
                    case "promote" -> "New title recorded.";
                    case "salary" -> "Salary change recorded.";
                    default -> "Employment ended.";
                });
        return "redirect:/console/employees/" + empNo;
    }

    /** 412: someone saved the record meanwhile. Keep what this person typed, show what is saved now, next to it. */
    private String concurrentEdit(ConsoleSession me, long empNo, Form form, Model model) {
        ApiReply fresh = ApiRefused.require(api.get(me, "/employees/" + empNo));
        Map<String, String> saved = Form.valuesOf(form.fields, fresh.map());
        form.conflicts = form.fields.stream()
                .filter(f -> !Objects.equals(saved.get(f.name()), form.values.get(f.name())))
                .map(f -> new Form.Conflict(f.name(), f.label(), saved.get(f.name())))
                .toList();
        form.hidden.put("etag", Objects.requireNonNullElse(fresh.etag(), ""));
        form.detail = "Someone else saved this employee while you were editing. Nothing of yours was saved and"
                + " nothing of theirs was overwritten. Their saved values are shown under each field that differs;"
                + " submit again to save your values over them.";
        model.addAttribute("e", fresh.map());
        return show(model, form);
    }

    private Form hire(ConsoleSession me, Map<String, String> values) {
        return new Form(
                "Hire an employee",
                "/console/employees/new",
                "Hire",
                List.of(
                        Field.text("firstName", "First name", true),
                        Field.text("lastName", "Last name", true),
                        Field.text("birthDate", "Birth date", true).type("date"),
                        Field.select("gender", "Gender", true, GENDERS),
                        Field.text("hireDate", "Hire date", true).type("date"),
                        Field.text("email", "Email", true).type("email"),
                        Field.text("phone", "Phone", false).type("tel"),
                        Field.text("address", "Address", false),
                        Field.select("deptNo", "Department", true, lookups.departments(me)),
                        Field.select("title", "Title", true, lookups.titles(me)),
                        Field.text("salary.amount", "Yearly salary", true)
                                .type("number")
                                .hint("e.g. 65000"),
                        Field.text("salary.currency", "Currency", false).hint("ISO 4217 code, default USD")),
                values);
    }

    private Form action(
            ConsoleSession me, long empNo, String action, Map<String, Object> employee, Map<String, String> values) {
        String name = employee.get("firstName") + " " + employee.get("lastName");
        String base = "/console/employees/" + empNo + "/" + action;
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Field effective = Field.text("effectiveDate", "Effective date", false)
                .type("date")
                .hint("Default today; not before the hire date, not in the future");
        Form form = switch (action) {
            case "edit" ->
                new Form(
                        "Edit " + name,
                        base,
                        "Save",
                        List.of(
                                Field.text("firstName", "First name", true),
                                Field.text("lastName", "Last name", true),
                                Field.text("birthDate", "Birth date", true).type("date"),
                                Field.select("gender", "Gender", true, GENDERS),
                                Field.text("email", "Email", true).type("email"),
                                Field.text("phone", "Phone", false).type("tel"),
                                Field.text("address", "Address", false),
                                Field.select("status", "Status", true, STATUSES)),
                        values);
            case "transfer" ->
                new Form(
                        "Transfer " + name,
                        base,
                        "Transfer",
                        List.of(Field.select("deptNo", "New department", true, lookups.departments(me)), effective),
                        Map.of("effectiveDate", today));
            case "promote" ->
                new Form(
                        "New title for " + name,
                        base,
                        "Record title",
                        List.of(Field.select("title", "New title", true, lookups.titles(me)), effective),
                        Map.of("effectiveDate", today));
            case "salary" ->
                new Form(
                        "Change the salary of " + name,
                        base,
                        "Record salary",
                        List.of(
                                Field.text("salary.amount", "New yearly salary", true)
                                        .type("number"),
                                Field.text("salary.currency", "Currency", false).hint("ISO 4217 code, default USD"),
                                effective),
                        Map.of("effectiveDate", today, "salary.currency", "USD"));
            case "terminate" -> {
                Form terminate = new Form(
                        "End the employment of " + name,
                        base,
                        "Terminate",
                        List.of(Field.text("terminationDate", "Last day of employment", true)
                                .type("date")
                                .hint("Department, title and salary end that day; the history is kept")),
                        Map.of("terminationDate", today));
                terminate.danger = true;
                yield terminate;
            }
            default -> throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        };
        form.hidden.put("back", "/console/employees/" + empNo);
        return form;
    }

    private static String show(Model model, Form form) {
        model.addAttribute("form", form);
        return "console/form";
    }

    private static List<Object> listOrEmpty(ApiReply reply) {
        return reply.ok() ? reply.list() : List.of();
    }

    static Map<String, Object> copy(Map<String, Object> map) {
        return new LinkedHashMap<>(map);
    }
}
