package io.employeemgmt.platform;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** API metadata, plus the RFC 9457 error responses every operation can return, documented once for all. */
@Configuration
class OpenApiConfig {

    private static final String PROBLEM = "Problem";

    @Bean
    OpenAPI employeeApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("employee-mgmt API")
                        .version("v1")
                        .description("Employees, departments, salaries, titles and workforce analytics. Errors are"
                                + " RFC 9457 application/problem+json."))
                .components(new Components().addSchemas(PROBLEM, problemSchema()));
    }

    /** The order of the groups in Swagger UI, which opens on the first: the directory, not the admin-only groups. */
    static final List<String> TAG_ORDER = List.of(
            "Employees",
            "Departments",
            "Salaries",
            "Titles",
            "Analytics",
            "Authentication",
            "Users",
            "Audit",
            "Health");

    @Bean
    OpenApiCustomizer tagOrder() {
        return openApi -> {
            List<Tag> tags = new ArrayList<>(openApi.getTags() == null ? List.of() : openApi.getTags());
            TAG_ORDER.stream()
                    .filter(name -> tags.stream().noneMatch(tag -> name.equals(tag.getName())))
                    .forEach(name -> tags.add(new Tag().name(name)));
            tags.sort(Comparator.comparingInt(tag -> {
                int index = TAG_ORDER.indexOf(tag.getName());
                return index < 0 ? TAG_ORDER.size() : index;
            }));
            openApi.setTags(tags);
        };
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> openApi.getPaths()
                .forEach((path, item) ->
                        item.readOperationsMap().forEach((method, operation) -> addProblems(path, method, operation)));
    }

    private static void addProblems(String path, PathItem.HttpMethod method, Operation operation) {
        add(operation, "400", "Invalid input: the detail and errors[] name each rejected field");
        if (path.contains("{")) {
            add(operation, "404", "No such resource");
        }
        if (method != PathItem.HttpMethod.GET) {
            add(operation, "409", "Conflicts with existing data or history");
        }
        if (method == PathItem.HttpMethod.PUT || method == PathItem.HttpMethod.PATCH) {
            add(operation, "412", "If-Match does not match the current version");
        }
        if (operation.getRequestBody() != null) {
            add(operation, "415", "Unsupported Content-Type");
        }
        add(operation, "500", "Unexpected error (logged; no internals in the response)");
        add(operation, "503", "A dependency such as the database is unavailable");
    }

    private static void add(Operation operation, String status, String description) {
        if (operation.getResponses().containsKey(status)) {
            return;
        }
        operation
                .getResponses()
                .addApiResponse(
                        status,
                        new ApiResponse()
                                .description(description)
                                .content(new Content()
                                        .addMediaType(
                                                "application/problem+json",
                                                new MediaType()
                                                        .schema(new Schema<>()
                                                                .$ref("#/components/schemas/" + PROBLEM)))));
    }

    private static Schema<?> problemSchema() {
        ObjectSchema fieldError = new ObjectSchema();
        fieldError.setProperties(Map.of("field", new StringSchema(), "message", new StringSchema()));
        ObjectSchema problem = new ObjectSchema();
        problem.setDescription("RFC 9457 problem details");
        problem.setProperties(Map.of(
                "type", new StringSchema(),
                "title", new StringSchema(),
                "status", new IntegerSchema(),
                "detail", new StringSchema(),
                "instance", new StringSchema(),
                "errors", new ArraySchema().items(fieldError)));
        return problem;
    }
}
