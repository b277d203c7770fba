package io.employeemgmt.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiClient.Response;
import io.employeemgmt.support.ApiTestBase;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/** Every route the application serves is in the OpenAPI document with a summary and its error responses. */
class OpenApiDocumentationTest extends ApiTestBase {

    @Autowired
    RequestMappingHandlerMapping mappings;

    @Test
    void everyApiRouteIsDocumentedWithProblemResponses() {
        JsonNode paths = api.get("/api/v1/openapi.json").json().path("paths");
        int documented = 0;
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry :
                mappings.getHandlerMethods().entrySet()) {
            if (!entry.getValue().getBeanType().getPackageName().startsWith("io.employeemgmt")) {
                continue; // springdoc's own endpoints
            }
            RequestMappingInfo info = entry.getKey();
            for (String path : info.getPatternValues()) {
                if (!path.startsWith("/api/v1/")) {
                    continue;
                }
                for (var method : info.getMethodsCondition().getMethods()) {
                    JsonNode operation = paths.path(path).path(method.name().toLowerCase(Locale.ROOT));
                    assertThat(operation.isMissingNode())
                            .as(method + " " + path)
                            .isFalse();
                    assertThat(operation.path("summary").asString())
                            .as(method + " " + path)
                            .isNotBlank();
                    JsonNode problem = operation
                            .path("responses")
                            .path("400")
                            .path("content")
                            .path("application/problem+json");
                    assertThat(problem.isMissingNode())
                            .as("400 of " + method + " " + path)
                            .isFalse();
                    documented++;
                }
            }
        }
        assertThat(documented).isGreaterThan(30);
    }

    /** Every $ref points at a schema the document defines (it once referenced an undefined Problem 257 times). */
    @Test
    void theDocumentDefinesEverySchemaItReferences() throws Exception {
        Response document = api.get("/api/v1/openapi.json");
        java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
        java.nio.file.Files.writeString(java.nio.file.Path.of("target/openapi.json"), document.body());
        JsonNode root = document.json();
        java.util.List<String> references = new java.util.ArrayList<>();
        collectReferences(root, references);
        assertThat(references).isNotEmpty();
        for (String reference : references) {
            assertThat(reference).as(reference).startsWith("#/");
            JsonNode target = root.at(reference.substring(1));
            assertThat(target.isMissingNode()).as("undefined: " + reference).isFalse();
        }
        assertThat(root.at("/components/schemas/Problem/properties/status").isMissingNode())
                .isFalse();
    }

    @Test
    void thePatchOfAnEmployeeIsDescribedAsAMergePatchWithIfMatchRequired() {
        JsonNode root = api.get("/api/v1/openapi.json").json();
        JsonNode patch = root.at("/paths/~1api~1v1~1employees~1{empNo}/patch");
        String reference = patch.at("/requestBody/content/application~1merge-patch+json/schema/$ref")
                .asString();
        assertThat(reference).isEqualTo("#/components/schemas/EmployeeMergePatch");
        JsonNode schema = root.at("/components/schemas/EmployeeMergePatch");
        assertThat(schema.path("properties").has("phone")).isTrue();
        assertThat(schema.path("properties").has("jsonNode")).isFalse();
        assertThat(patch.at("/responses/428").isMissingNode()).isFalse();
    }

    @Test
    void theRetrySafePostsDocumentIdempotencyKey() {
        JsonNode paths = api.get("/api/v1/openapi.json").json().path("paths");
        for (String route : IdempotentRequests.ROUTES) {
            JsonNode post = paths.path(route).path("post");
            assertThat(post.isMissingNode()).as(route).isFalse();
            boolean documented = false;
            for (JsonNode parameter : post.path("parameters")) {
                documented |= parameter.path("name").asString().equals(IdempotentRequests.HEADER)
                        && parameter.path("in").asString().equals("header");
            }
            assertThat(documented).as(route).isTrue();
            assertThat(post.path("responses").has("422")).as(route).isTrue();
        }
    }

    private static void collectReferences(JsonNode node, java.util.List<String> references) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().equals("$ref") && field.getValue().isString()) {
                    references.add(field.getValue().asString());
                } else {
                    collectReferences(field.getValue(), references);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                collectReferences(item, references);
            }
        }
    }

    @Test
    void swaggerUiOpensOnEmployeesAndTheWebConsoleIsNoPartOfTheApiDocument() {
        JsonNode document = api.get("/api/v1/openapi.json").json();
        assertThat(document.path("tags").get(0).path("name").asString()).isEqualTo("Employees");
        assertThat(document.path("paths").propertyNames()).allMatch(path -> path.startsWith("/api/v1/"));
        assertThat(document.path("paths").has("/api/v1/employees/import")).isTrue();
        assertThat(document.path("paths").has("/api/v1/employees/export")).isTrue();
    }

    @Test
    void swaggerUiIsServedUnderTheApiPath() {
        Response docs = api.get("/api/v1/docs");
        assertThat(docs.status()).isEqualTo(302);
        assertThat(docs.header("Location")).contains("/api/v1/swagger-ui/index.html");
        assertThat(api.get("/api/v1/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void probesAnswer() {
        for (String probe : new String[] {"", "/live", "/ready", "/startup"}) {
            Response response = api.get("/api/v1/health" + probe);
            assertThat(response.status()).as(probe).isEqualTo(200);
            assertThat(response.json().path("status").asString()).isEqualTo("UP");
        }
    }
}
