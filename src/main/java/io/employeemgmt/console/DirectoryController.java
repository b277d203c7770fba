package io.employeemgmt.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.SessionAttribute;

/**
 * The directory: search as you type (htmx replaces the results as the person types; without script the form
 * submits), the list's filters and sort, keyset paging (the API's nextCursor; a search ordered by relevance pages
 * by offset because relevance has no keyset) and the CSV export of exactly the filtered list.
 */
@Controller
class DirectoryController {

    static final List<String> FILTERS =
            List.of("q", "department", "title", "status", "gender", "hiredFrom", "hiredTo", "sort");

    static final List<Form.Option> SORTS = List.of(
            new Form.Option("lastName,asc", "Last name A–Z"),
            new Form.Option("lastName,desc", "Last name Z–A"),
            new Form.Option("firstName,asc", "First name A–Z"),
            new Form.Option("hireDate,desc", "Newest hires first"),
            new Form.Option("hireDate,asc", "Longest serving first"),
            new Form.Option("empNo,asc", "Employee number"));

    private static final int PAGE_SIZE = 25;

    private final ConsoleApi api;
    private final Lookups lookups;

    DirectoryController(ConsoleApi api, Lookups lookups) {
        this.api = api;
        this.lookups = lookups;
    }

    // One place translates the directory form into the API query; split, the filter rules would scatter.
    @SuppressWarnings({"PMD.CognitiveComplexity", "PMD.CyclomaticComplexity", "PMD.NPathComplexity"})
    @GetMapping("/console/employees")
    String directory(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me,
            @RequestParam Map<String, String> params,
            HttpServletRequest request,
            Model model) {
        Map<String, String> filters = filters(params);
        boolean relevance = filters.containsKey("q") && !filters.containsKey("sort");
        Map<String, Object> query = new LinkedHashMap<>(filters);
        query.put("size", PAGE_SIZE);
        if (!relevance && !filters.containsKey("sort")) {
            query.put("sort", "lastName,asc");
        }
        int page = parsePage(params.get("page"));
        if (relevance) {
            query.put("page", page);
        } else if (params.get("cursor") != null && !params.get("cursor").isBlank()) {
            query.put("cursor", params.get("cursor"));
        }
        if (page == 0 && !query.containsKey("cursor")) {
            // The exact count costs a scan of the filtered set: asked for on the first page only, where people read it.
            query.put("count", true);
        }
        ApiReply reply = api.get(me, "/employees", query);
        model.addAttribute("filters", filters);
        model.addAttribute("errors", reply.fieldErrors());
        model.addAttribute("problem", reply.ok() ? null : reply.detail());
        model.addAttribute("rows", reply.ok() ? reply.content() : List.of());
        Map<String, Object> body = reply.ok() ? reply.map() : Map.of();
        Object pageInfo = body.get("page");
        model.addAttribute("total", pageInfo instanceof Map<?, ?> info ? info.get("totalElements") : null);
        String nextCursor = body.get("nextCursor") == null ? null : String.valueOf(body.get("nextCursor"));
        model.addAttribute(
                "next",
                nextLink(filters, relevance, page, nextCursor, reply.content().size()));
        model.addAttribute("firstPage", params.containsKey("cursor") || page > 0 ? link(filters, Map.of()) : null);
        model.addAttribute("exportLink", "/console/employees/export" + ConsoleApi.queryString(filters));
        if (request.getHeader("HX-Request") != null) {
            return "console/employees :: results";
        }
        model.addAttribute("departments", lookups.departments(me));
        model.addAttribute("titles", lookups.titles(me));
        model.addAttribute("sorts", SORTS);
        return "console/employees";
    }

    /** Streams the API's CSV of the same filters to the browser. */
    @GetMapping("/console/employees/export")
    void export(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me,
            @RequestParam Map<String, String> params,
            HttpServletResponse response)
            throws IOException {
        HttpResponse<InputStream> csv = api.stream(me, "/employees/export", filters(params));
        try (InputStream in = csv.body()) {
            response.setStatus(csv.statusCode());
            response.setContentType(
                    csv.headers().firstValue(HttpHeaders.CONTENT_TYPE).orElse("text/plain"));
            csv.headers()
                    .firstValue(HttpHeaders.CONTENT_DISPOSITION)
                    .ifPresent(value -> response.setHeader(HttpHeaders.CONTENT_DISPOSITION, value));
            OutputStream out = response.getOutputStream();
            in.transferTo(out);
            out.flush();
        }
    }

    static Map<String, String> filters(Map<String, String> params) {
        Map<String, String> filters = new LinkedHashMap<>();
        for (String name : FILTERS) {
            String value = params.get(name);
            if (value != null && !value.isBlank()) {
                filters.put(name, value.strip());
            }
        }
        return filters;
    }

    private static String nextLink(
            Map<String, String> filters, boolean relevance, int page, String nextCursor, int shown) {
        if (relevance) {
            return shown == PAGE_SIZE ? link(filters, Map.of("page", String.valueOf(page + 1))) : null;
        }
        return nextCursor == null ? null : link(filters, Map.of("cursor", nextCursor));
    }

    private static String link(Map<String, String> filters, Map<String, String> extra) {
        Map<String, String> all = new LinkedHashMap<>(filters);
        all.putAll(extra);
        return "/console/employees" + ConsoleApi.queryString(all);
    }

    private static int parsePage(String value) {
        try {
            return value == null ? 0 : Math.max(0, Math.min(10_000, Integer.parseInt(value)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
