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
