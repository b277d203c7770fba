package io.employeemgmt.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiIntegrationTest;
import io.employeemgmt.support.TokenApiClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Who may call what, proven over HTTP. The routes come from the handler mappings, so a new endpoint without a rule
 * in {@link AccessRules} and an expectation in {@link #EXPECTED} fails here; every such route is then called as
 * anonymous and as each role, and the status must match the expectation written below - independently of the
 * table, so a wrong rule in the table fails too.
 */
class AccessRulesTest extends ApiIntegrationTest {

    private static final String ALL = "HR_MANAGER,MANAGER,EMPLOYEE,ADMIN";
    private static final String HR = "HR_MANAGER,ADMIN";

    /**
     * Who may call each route: "public", "authenticated", or the roles allowed. A role marked {@code *} passes the
     * route rule but the row-level rule may still refuse this test's callers (users linked to no employee, managing
     * no department) with a 403 of its own; {@code RowLevelAccessTest} proves those rules with linked users.
     */
    private static final Map<String, String> EXPECTED = Map.ofEntries(
            Map.entry("GET /api/v1/health", "public"),
            Map.entry("GET /api/v1/health/live", "public"),
            Map.entry("GET /api/v1/health/ready", "public"),
            Map.entry("GET /api/v1/health/startup", "public"),
            Map.entry("GET /api/v1/docs", "public"),
            Map.entry("GET /api/v1/openapi.json", "public"),
            Map.entry("GET /api/v1/openapi.json.yaml", "public"),
            Map.entry("GET /api/v1/openapi.json/swagger-config", "public"),
            Map.entry("POST /api/v1/auth/login", "public"),
            Map.entry("POST /api/v1/auth/refresh", "public"),
            Map.entry("GET /api/v1/auth/jwks", "public"),
            Map.entry("GET /api/v1/auth/me", "authenticated"),
            Map.entry("PUT /api/v1/auth/me", "authenticated"),
            Map.entry("POST /api/v1/auth/logout", "authenticated"),
            Map.entry("POST /api/v1/auth/change-password", "authenticated"),
            Map.entry("GET /api/v1/users", "ADMIN"),
            Map.entry("POST /api/v1/users", "ADMIN"),
            Map.entry("GET /api/v1/users/{id}", "ADMIN"),
            Map.entry("PUT /api/v1/users/{id}/roles", "ADMIN"),
            Map.entry("PUT /api/v1/users/{id}/employee", "ADMIN"),
            Map.entry("POST /api/v1/users/{id}/disable", "ADMIN"),
            Map.entry("POST /api/v1/users/{id}/enable", "ADMIN"),
            Map.entry("POST /api/v1/users/{id}/unlock", "ADMIN"),
            Map.entry("POST /api/v1/users/{id}/password", "ADMIN"),
            Map.entry("GET /api/v1/audit", "ADMIN"),
            Map.entry("GET /api/v1/employees", ALL),
            Map.entry("POST /api/v1/employees", HR),
            Map.entry("GET /api/v1/employees/export", ALL),
            Map.entry("POST /api/v1/employees/import", HR),
            Map.entry("GET /api/v1/employees/{empNo}", ALL),
            Map.entry("PUT /api/v1/employees/{empNo}", HR),
            Map.entry("PATCH /api/v1/employees/{empNo}", "HR_MANAGER,ADMIN,MANAGER*,EMPLOYEE*"),
            Map.entry("DELETE /api/v1/employees/{empNo}", HR),
            Map.entry("POST /api/v1/employees/{empNo}/transfers", HR),
            Map.entry("POST /api/v1/employees/{empNo}/promotions", HR),
            Map.entry("POST /api/v1/employees/{empNo}/salary-changes", HR),
            Map.entry("GET /api/v1/employees/{empNo}/titles", ALL),
            Map.entry("GET /api/v1/employees/{empNo}/departments", ALL),
            Map.entry("GET /api/v1/employees/{empNo}/salaries", "HR_MANAGER,ADMIN,MANAGER*,EMPLOYEE*"),
            Map.entry("GET /api/v1/departments", ALL),
            Map.entry("POST /api/v1/departments", HR),
            Map.entry("GET /api/v1/departments/{deptNo}", ALL),
            Map.entry("PUT /api/v1/departments/{deptNo}", HR),
            Map.entry("DELETE /api/v1/departments/{deptNo}", HR),
            Map.entry("GET /api/v1/departments/{deptNo}/employees", ALL),
            Map.entry("GET /api/v1/departments/{deptNo}/manager", ALL),
            Map.entry("PUT /api/v1/departments/{deptNo}/manager", HR),
            Map.entry("GET /api/v1/departments/{deptNo}/managers", ALL),
            Map.entry("GET /api/v1/departments/{deptNo}/statistics", "HR_MANAGER,ADMIN,MANAGER*"),
            Map.entry("GET /api/v1/titles", ALL),
            Map.entry("GET /api/v1/salaries", HR),
            Map.entry("POST /api/v1/salaries", HR),
            Map.entry("GET /api/v1/salaries/{id}", "HR_MANAGER,ADMIN,MANAGER*"),
            Map.entry("PUT /api/v1/salaries/{id}", HR),
            Map.entry("DELETE /api/v1/salaries/{id}", HR),
            Map.entry("GET /api/v1/salaries/employee/{empNo}", "HR_MANAGER,ADMIN,MANAGER*,EMPLOYEE*"),
            Map.entry("GET /api/v1/salaries/employee/{empNo}/current", "HR_MANAGER,ADMIN,MANAGER*,EMPLOYEE*"),
            Map.entry("GET /api/v1/analytics/salary-statistics", "HR_MANAGER,ADMIN,MANAGER*"),
            Map.entry("GET /api/v1/analytics/salary-distribution", "HR_MANAGER,ADMIN,MANAGER*"),
            Map.entry("GET /api/v1/analytics/title-distribution", "HR_MANAGER,ADMIN,MANAGER*"),
            Map.entry("GET /api/v1/analytics/department-performance", "HR_MANAGER,ADMIN,MANAGER"),
            Map.entry("GET /api/v1/analytics/gender-diversity", "HR_MANAGER,ADMIN,MANAGER"),
            Map.entry("GET /api/v1/analytics/employee-trends", HR),
            Map.entry("GET /api/v1/analytics/summary", HR));

    private static final List<HttpMethod> ANY_METHOD =
            List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    record Route(HttpMethod method, String pattern, String handler) {

        String key() {
            return method + " " + pattern;
        }

        String samplePath() {
            return AccessRules.samplePath(pattern).replace("**", "x");
        }

        @Override
        public String toString() {
            return method + " " + pattern + " (" + handler + ")";
        }
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyRouteIsUnderTheApiAndListedInTheTable() {
        List<String> unlisted = new ArrayList<>();
        List<String> outsideApi = new ArrayList<>();
        for (Route route : routes()) {
            if (!route.pattern().startsWith("/api/v1/")) {
                // The web console has a filter chain of its own (session sign-in, CSRF); ConsoleAccessTest proves
                // that every console route needs a signed-in user and that the API decides what it shows.
                if (!route.pattern().equals("/error") && !route.pattern().startsWith("/console")) {
                    outsideApi.add(route.toString());
                }
                continue;
            }
            boolean listed = AccessRules.listedRuleFor(route.method(), route.samplePath())
                    .isPresent();
            if (listed && EXPECTED.containsKey(route.key())) {
                continue;
            }
            unlisted.add(route + (listed ? ": no expectation in this test" : ": no rule in AccessRules"));
        }
        assertThat(outsideApi)
                .as("routes outside /api/v1 bypass the security chain")
                .isEmpty();
        assertThat(unlisted).as("routes without a rule or an expectation").isEmpty();
        assertThat(EXPECTED.keySet())
                .as("expectations for routes that no longer exist")
                .isSubsetOf(routes().stream().map(Route::key).toList());
        assertThat(routes())
                .extracting(Route::pattern)
                .contains("/api/v1/auth/login", "/api/v1/users/{id}/roles", "/api/v1/employees/{empNo}/salaries");
    }

    @Test
    void everyRouteAnswersEachCallerAsExpected() {
        Map<Role, String> tokens = new LinkedHashMap<>();
        for (Role role : Role.values()) {
            tokens.put(role, tokenFor(role));
        }
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (Route route : routes()) {
            if (!route.pattern().startsWith("/api/v1/")) {
                continue;
            }
            String expected = EXPECTED.get(route.key());
            if (expected == null) {
                continue;
            }
            boolean isPublic = expected.equals("public");
            TokenApiClient.Response anonymous = api.send(route.method().name(), route.samplePath(), null, null);
            check(mismatches, route, "anonymous", anonymous, isPublic ? Set.of() : Set.of(401), expected);
            for (Role role : Role.values()) {
                // Logging out would revoke the shared token: that route gets a token of its own.
                String token = route.pattern().endsWith("/logout") ? tokenFor(role) : tokens.get(role);
                TokenApiClient.Response response = api.send(route.method().name(), route.samplePath(), null, token);
                List<String> listed = List.of(expected.split(","));
                boolean rowLevel = listed.contains(role.name() + "*");
                boolean allowed =
                        isPublic || expected.equals("authenticated") || listed.contains(role.name()) || rowLevel;
                if (rowLevel && response.status() == 403 && !response.body().contains(ROUTE_LEVEL_DENIAL)) {
                    // Refused by the row-level rule, after the route rule let the caller through.
                    checkProblem(mismatches, route, role.name(), response, expected);
                } else {
                    check(mismatches, route, role.name(), response, allowed ? Set.of() : Set.of(403), expected);
                }
                checked++;
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(checked).isGreaterThan(200);
    }

    @Test
    void unknownApiPathsNeedATokenAndThenAre404() {
        assertThat(api.get("/api/v1/no-such-thing", null).status()).isEqualTo(401);
        TokenApiClient.Response missing = api.get("/api/v1/no-such-thing", tokenFor(Role.EMPLOYEE));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void theOpenApiDocumentDeclaresTheBearerSchemeWhereTheTableRequiresAToken() {
        JsonNode document = api.get("/api/v1/openapi.json", null).json();
        JsonNode scheme = document.get("components").get("securitySchemes").get("bearerAuth");
        assertThat(scheme.get("type").asString()).isEqualTo("http");
        assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");
        assertThat(scheme.get("bearerFormat").asString()).isEqualTo("JWT");
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                HttpMethod method = HttpMethod.valueOf(operation.getKey().toUpperCase(Locale.ROOT));
                AccessRules.Rule rule = AccessRules.ruleFor(method, AccessRules.samplePath(path.getKey()));
                JsonNode security = operation.getValue().get("security");
                assertThat(security).as("%s %s", method, path.getKey()).isNotNull();
                if (rule.access() == AccessRules.Access.PUBLIC) {
                    assertThat(security.size())
                            .as("%s %s is public", method, path.getKey())
                            .isZero();
                } else {
                    assertThat(security.get(0).has("bearerAuth"))
                            .as("%s %s", method, path.getKey())
                            .isTrue();
                }
                operations.add(method + " " + path.getKey());
            }
        }
        assertThat(operations).contains("POST /api/v1/auth/login", "GET /api/v1/audit");
        // Swagger UI keeps the token entered under "Authorize" across reloads.
        assertThat(api.get("/api/v1/openapi.json/swagger-config", null)
                        .json()
                        .get("persistAuthorization")
                        .asBoolean())
                .isTrue();
    }

    /** The detail of a 403 from the route rule (the security filter), as opposed to a row-level refusal. */
    private static final String ROUTE_LEVEL_DENIAL = "requires one of the roles";

    private static void checkProblem(
            List<String> mismatches, Route route, String caller, TokenApiClient.Response response, String expected) {
        if (!response.header("Content-Type").startsWith("application/problem+json")) {
            mismatches.add(route + " as " + caller + " (expected: " + expected + "): row-level 403 without a problem: "
                    + response.body());
        }
    }

    private void check(
            List<String> mismatches,
            Route route,
            String caller,
            TokenApiClient.Response response,
            Set<Integer> expectedDenial,
            String expected) {
        boolean denied = response.status() == 401 || response.status() == 403;
        boolean ok = expectedDenial.isEmpty() ? !denied : expectedDenial.contains(response.status());
        if (ok && denied) {
            ok = response.header("Content-Type").startsWith("application/problem+json");
        }
        if (!ok) {
            mismatches.add(route + " as " + caller + " (expected: " + expected + "): " + response.status() + " "
                    + response.body());
        }
    }

    private List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            Set<RequestMethod> declared = info.getMethodsCondition().getMethods();
            List<HttpMethod> methods = declared.isEmpty()
                    ? ANY_METHOD
                    : declared.stream().map(m -> HttpMethod.valueOf(m.name())).toList();
            for (String pattern : info.getPatternValues()) {
                for (HttpMethod method : methods) {
                    routes.add(new Route(method, pattern, handler.getBeanType().getName()));
                }
            }
        });
        return routes;
    }
}
