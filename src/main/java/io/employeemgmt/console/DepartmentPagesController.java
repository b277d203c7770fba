package io.employeemgmt.console;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.SessionAttribute;

/** Departments (members, manager and its history, statistics) and the org chart. */
@Controller
class DepartmentPagesController {

    private static final int MEMBERS_PAGE = 25;

    /** One box of the org chart: a department, its current manager and headcount, and the departments under it. */
    public record OrgUnit(
            String deptNo,
            String name,
            long headcount,
            @Nullable Map<String, Object> manager,
            List<OrgUnit> children) {

        public long totalHeadcount() {
            return headcount
                    + children.stream().mapToLong(OrgUnit::totalHeadcount).sum();
        }
    }

    private final ConsoleApi api;

    DepartmentPagesController(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping("/console/departments")
    String departments(@SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me, Model model) {
        List<Object> departments = ApiRefused.require(
                        api.get(me, "/departments", Map.of("size", 100, "sort", "deptNo")))
                .content();
        model.addAttribute("departments", departments);
        model.addAttribute("managers", managers(me, departments));
        return "console/departments";
    }

    @GetMapping("/console/departments/{deptNo}")
    String department(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me,
            @PathVariable String deptNo,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        String base = "/departments/" + deptNo;
        model.addAttribute("d", ApiRefused.require(api.get(me, base)).map());
        ApiReply manager = api.get(me, base + "/manager");
        model.addAttribute("manager", manager.ok() ? manager.map() : null);
        ApiReply history = api.get(me, base + "/managers");
        model.addAttribute("history", history.ok() ? history.list() : List.of());
        ApiReply statistics = api.get(me, base + "/statistics");
        model.addAttribute("statistics", statistics.ok() ? statistics.map() : null);
        model.addAttribute("statisticsRefused", statistics.ok() ? null : statistics.detail());
        int shown = Math.max(0, Math.min(page, 100_000));
        ApiReply members =
                api.get(me, base + "/employees", Map.of("page", shown, "size", MEMBERS_PAGE, "sort", "lastName"));
        Map<String, Object> body = members.ok() ? members.map() : Map.of();
        model.addAttribute("members", members.ok() ? members.content() : List.of());
        model.addAttribute("membersPage", body.get("page"));
        model.addAttribute("page", shown);
        return "console/department";
    }

    @GetMapping("/console/org-chart")
    String orgChart(@SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me, Model model) {
        List<Object> departments = ApiRefused.require(
                        api.get(me, "/departments", Map.of("size", 100, "sort", "deptNo", "active", true)))
                .content();
        Map<String, Map<String, Object>> managers = managers(me, departments);
        Map<String, List<Map<?, ?>>> byParent = new LinkedHashMap<>();
        for (Object item : departments) {
            Map<?, ?> department = (Map<?, ?>) item;
            Object parent = department.get("parentDeptNo");
            byParent.computeIfAbsent(parent == null ? "" : parent.toString(), key -> new ArrayList<>())
                    .add(department);
        }
        List<OrgUnit> roots = units("", byParent, managers, new ArrayList<>());
        model.addAttribute("roots", roots);
        model.addAttribute(
                "total", roots.stream().mapToLong(OrgUnit::totalHeadcount).sum());
        return "console/org-chart";
    }

    private static List<OrgUnit> units(
            String parent,
            Map<String, List<Map<?, ?>>> byParent,
            Map<String, Map<String, Object>> managers,
            List<String> path) {
        List<OrgUnit> units = new ArrayList<>();
        for (Map<?, ?> department : byParent.getOrDefault(parent, List.of())) {
            String deptNo = String.valueOf(department.get("deptNo"));
            if (path.contains(deptNo)) {
                continue; // a cycle cannot be drawn; the database forbids only the direct one
            }
            List<String> below = new ArrayList<>(path);
            below.add(deptNo);
            units.add(new OrgUnit(
                    deptNo,
                    String.valueOf(department.get("name")),
                    ((Number) Objects.requireNonNullElse(department.get("currentHeadcount"), 0)).longValue(),
                    managers.get(deptNo),
                    units(deptNo, byParent, managers, below)));
        }
        units.sort(Comparator.comparing(OrgUnit::deptNo));
        return units;
    }

    /** The current manager of each department (absent where there is none). */
    private Map<String, Map<String, Object>> managers(ConsoleSession me, List<Object> departments) {
        Map<String, Map<String, Object>> managers = new LinkedHashMap<>();
        for (Object item : departments) {
            String deptNo = String.valueOf(((Map<?, ?>) item).get("deptNo"));
            ApiReply manager = api.get(me, "/departments/" + deptNo + "/manager");
            if (manager.ok()) {
                managers.put(deptNo, manager.map());
            }
        }
        return managers;
    }
}
