package io.employeemgmt.platform.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Who may call which route: the single table the security filter chain, the OpenAPI document and the route tests
 * read. The first rule that matches a request's method and path decides; {@link Role#ADMIN} is added to every role
 * rule because administrators may do everything. Row-level rules (own department, own record) and field filtering
 * cannot be decided from the URL; the feature services apply them using {@code CurrentActor}.
 *
 * <p>Every route the application serves must match a rule listed here; {@code AccessRulesTest} enumerates the
 * handler mappings and fails for a route without one. {@link #UNLISTED_API_ROUTE} only catches paths no controller
 * serves (so an authenticated caller gets 404, not 403).
 */
public final class AccessRules {

    /** What a rule requires. */
    public enum Access {
        /** Anyone, without a token; a bearer token sent anyway is ignored. */
        PUBLIC,
        /** Any valid access token. */
        AUTHENTICATED,
        /** A valid access token whose user holds one of the rule's roles. */
        ROLES
    }

    /** One row of the table; {@code method} null means any method. */
    public record Rule(@Nullable HttpMethod method, String pattern, Access access, Set<Role> roles) {

        public Rule {
            roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        }

        boolean matches(HttpMethod requestMethod, PathContainer path) {
            if (method != null && !method.equals(requestMethod)) {
                return false;
            }
            return parsed(pattern).matches(path);
        }

        /** Whether {@code user} (null for an anonymous caller) may call a route this rule covers. */
        public boolean permits(@Nullable AuthenticatedUser user) {
            return switch (access) {
                case PUBLIC -> true;
                case AUTHENTICATED -> user != null;
                case ROLES -> user != null && roles.stream().anyMatch(user::hasRole);
            };
        }

        /** Role names in declaration order, for messages and the OpenAPI document. */
        public List<String> roleNames() {
            return roles.stream().sorted().map(Role::name).toList();
        }

        @Override
        public String toString() {
            String on = (method == null ? "*" : method.name()) + " " + pattern;
            return switch (access) {
                case PUBLIC -> on + " -> public";
                case AUTHENTICATED -> on + " -> authenticated";
                case ROLES -> on + " -> " + String.join("|", roleNames());
            };
        }
    }

    private static final String API = "/api/v1";

    private static final List<Rule> RULES = List.of(
            // Probes, API documentation and Swagger UI.
            publicRoute(null, API + "/health"),
            publicRoute(null, API + "/health/**"),
            publicRoute(HttpMethod.GET, API + "/docs"),
            publicRoute(HttpMethod.GET, API + "/swagger-ui/**"),
            publicRoute(HttpMethod.GET, API + "/openapi.json"),
            publicRoute(HttpMethod.GET, API + "/openapi.json/**"),
            publicRoute(HttpMethod.GET, API + "/openapi.json.yaml"),
            // Authentication: getting a token needs none; the rest of /auth acts on the caller's own account.
            publicRoute(HttpMethod.POST, API + "/auth/login"),
            publicRoute(HttpMethod.POST, API + "/auth/refresh"),
            publicRoute(HttpMethod.GET, API + "/auth/jwks"),
            // Served only when employee-mgmt.security.self-registration-enabled=true; otherwise 404.
            publicRoute(HttpMethod.POST, API + "/auth/register"),
            authenticated(HttpMethod.GET, API + "/auth/me"),
            authenticated(HttpMethod.PUT, API + "/auth/me"),
            authenticated(HttpMethod.POST, API + "/auth/logout"),
            authenticated(HttpMethod.POST, API + "/auth/change-password"),
            // User administration and the audit trail.
            roles(null, API + "/users", Role.ADMIN),
            roles(null, API + "/users/**", Role.ADMIN),
            roles(HttpMethod.GET, API + "/audit", Role.ADMIN),
            // Employees: everyone reads the directory (private fields are filtered per caller in the response);
            // salary history only for HR, the manager of the employee's department and the employee themselves;
            // an EMPLOYEE or MANAGER may PATCH only the phone and address of their own record; all else is HR.
            roles(HttpMethod.GET, API + "/employees", Role.HR_MANAGER, Role.MANAGER, Role.EMPLOYEE),
            // CSV: the export is the directory (filtered per caller like the list); the import hires, so it is HR.
            roles(HttpMethod.GET, API + "/employees/export", Role.HR_MANAGER, Role.MANAGER, Role.EMPLOYEE),
            roles(HttpMethod.POST, API + "/employees/import", Role.HR_MANAGER),
            roles(HttpMethod.GET, API + "/employees/{empNo}", Role.HR_MANAGER, Role.MANAGER, Role.EMPLOYEE),
            roles(HttpMethod.GET, API + "/employees/{empNo}/titles", Role.HR_MANAGER, Role.MANAGER, Role.EMPLOYEE),
            roles(HttpMethod.GET, API + "/employees/{empNo}/departments", Role.HR_MANAGER, Role.MANAGER, Role.EMPLOYEE),
            roles(HttpMethod.GET, API + "/employees/{empNo}/salaries", Role.HR_MANAGER, Role.MANAGER, Role.EMPLOYEE),
            roles(HttpMethod.PATCH, API + "/employees/{empNo}", Role.HR_MANAGER, Role.MANAGER, Role.EMPLOYEE),
            roles(null, API + "/employees", Role.HR_MANAGER),
            roles(null, API + "/employees/**", Role.HR_MANAGER),
            // Departments: everyone reads them and their members; salary statistics are analytics (HR, and a
            // MANAGER for the departments they manage); writes and manager appointments are HR.
            roles(HttpMethod.GET, API + "/departments/{deptNo}/statistics", Role.HR_MANAGER, Role.MANAGER),
            roles(HttpMethod.GET, API + "/departments", Role.HR_MANAGER, Role.MANAGER, Role.EMPLOYEE),
            roles(HttpMethod.GET, API + "/departments/**", Role.HR_MANAGER, Role.MANAGER, Role.EMPLOYEE),
            roles(null, API + "/departments", Role.HR_MANAGER),
            roles(null, API + "/departments/**", Role.HR_MANAGER),
            // Titles with their headcounts: everyone.
            roles(HttpMethod.GET, API + "/titles", Role.HR_MANAGER, Role.MANAGER, Role.EMPLOYEE),
            // Salary records: an employee's history and current salary also for the manager of their department
            // and for themselves; one record by id also for that manager; the list and all writes are HR.
            roles(HttpMethod.GET, API + "/salaries/employee/**", Role.HR_MANAGER, Role.MANAGER, Role.EMPLOYEE),
            roles(HttpMethod.GET, API + "/salaries/{id}", Role.HR_MANAGER, Role.MANAGER),
            roles(null, API + "/salaries", Role.HR_MANAGER),
            roles(null, API + "/salaries/**", Role.HR_MANAGER),
            // Analytics: HR everything. A MANAGER only about the departments they manage: endpoints with a
            // department parameter need it set to one of them, per-department reports list only them, and the
            // company-wide ones (employee-trends, summary) are refused.
            roles(HttpMethod.GET, API + "/analytics/employee-trends", Role.HR_MANAGER),
            roles(HttpMethod.GET, API + "/analytics/summary", Role.HR_MANAGER),
            roles(HttpMethod.GET, API + "/analytics/**", Role.HR_MANAGER, Role.MANAGER));

    /**
     * Applies to an {@code /api/v1} path that no rule above lists. Listed last in the filter chain.
     */
    public static final Rule UNLISTED_API_ROUTE = new Rule(null, API + "/**", Access.AUTHENTICATED, Set.of());

    /**
     * Every rule's pattern, parsed once: the bearer-token resolver looks the rule of each request up, and parsing
     * the whole table per request was a measurable part of its CPU.
     */
    private static final Map<String, PathPattern> PATTERNS = Stream.concat(
                    RULES.stream(), Stream.of(UNLISTED_API_ROUTE))
            .map(Rule::pattern)
            .distinct()
            .collect(Collectors.toUnmodifiableMap(Function.identity(), PathPatternParser.defaultInstance::parse));

    private AccessRules() {}

    /** The rules in the order they are applied, without {@link #UNLISTED_API_ROUTE}. */
    public static List<Rule> rules() {
        return RULES;
    }

    /** The listed rule deciding {@code method path}, if any. */
    public static Optional<Rule> listedRuleFor(HttpMethod method, String path) {
        PathContainer parsedPath = PathContainer.parsePath(path);
        return RULES.stream().filter(rule -> rule.matches(method, parsedPath)).findFirst();
    }

    /** The rule deciding {@code method path}: the listed one, else {@link #UNLISTED_API_ROUTE}. */
    public static Rule ruleFor(HttpMethod method, String path) {
        return listedRuleFor(method, path).orElse(UNLISTED_API_ROUTE);
    }

    /** A concrete path for a route template: {@code /users/{id}} becomes {@code /users/x}. */
    public static String samplePath(String template) {
        return template.replaceAll("\\{[^/}]+}", "x");
    }

    private static Rule publicRoute(@Nullable HttpMethod method, String pattern) {
        return new Rule(method, pattern, Access.PUBLIC, Set.of());
    }

    private static Rule authenticated(@Nullable HttpMethod method, String pattern) {
        return new Rule(method, pattern, Access.AUTHENTICATED, Set.of());
    }

    private static Rule roles(@Nullable HttpMethod method, String pattern, Role... roles) {
        Set<Role> allowed = Arrays.stream(roles).collect(Collectors.toCollection(() -> EnumSet.of(Role.ADMIN)));
        return new Rule(method, pattern, Access.ROLES, allowed);
    }

    private static PathPattern parsed(String pattern) {
        PathPattern parsed = PATTERNS.get(pattern);
        return parsed != null ? parsed : PathPatternParser.defaultInstance.parse(pattern);
    }
}
