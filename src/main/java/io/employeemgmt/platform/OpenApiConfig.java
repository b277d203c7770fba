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
import io.swagger.v3.oas.models.parameters.Parameter;
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
    private static final String MERGE_PATCH = "EmployeeMergePatch";

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

    /**
     * Runs on the finished document: the Problem schema every error response references (defined here, so it can
     * never be referenced without being defined), the error responses, Idempotency-Key on the retry-safe POSTs and
     * the merge-patch body of PATCH /employees/{empNo}.
     */
    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSchemas(PROBLEM, problemSchema());
            openApi.getPaths()
                    .forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                        addProblems(path, method, operation);
                        if (method == PathItem.HttpMethod.POST && IdempotentRequests.ROUTES.contains(path)) {
                            addIdempotencyKey(operation);
                        }
                    }));
            describeMergePatch(openApi);
        };
    }

    private static void addIdempotencyKey(Operation operation) {
        operation.addParametersItem(new Parameter()
                .in("header")
                .name(IdempotentRequests.HEADER)
                .required(false)
                .description("Makes the request safe to retry: the first outcome (2xx) is stored with the key for 24"
                        + " h and a replay with the same key and body gets the same status and body (header "
                        + IdempotentRequests.REPLAYED + ": true) without changing anything again. Keys are per user;"
                        + " a UUID per logical request is a good choice.")
                .schema(new StringSchema().minLength(1).maxLength(255).pattern("^[\\x21-\\x7e]+$")));
        add(operation, "422", "The Idempotency-Key was already used for a different request");
    }

    /** PATCH /employees/{empNo} takes an RFC 7396 merge patch of the Update fields, not an arbitrary JSON value. */
    private static void describeMergePatch(OpenAPI openApi) {
        PathItem item = openApi.getPaths().get("/api/v1/employees/{empNo}");
        Schema<?> update = openApi.getComponents().getSchemas().get("EmployeeUpdate");
        if (item == null || item.getPatch() == null || update == null) {
            return;
        }
        ObjectSchema patch = new ObjectSchema();
        patch.setDescription("RFC 7396 JSON merge patch of an employee: only the fields to change; null clears an"
                + " optional field (phone, address)");
        Map<String, Schema> properties = new java.util.LinkedHashMap<>(update.getProperties());
        for (String optional : List.of("phone", "address")) {
            Schema<?> nullable = properties.get(optional);
            if (nullable != null) {
                nullable.addType("null");
            }
        }
        patch.setProperties(properties);
        patch.setAdditionalProperties(false);
        patch.setMinProperties(1);
        openApi.getComponents().addSchemas(MERGE_PATCH, patch);
        Schema<?> reference = new Schema<>().$ref("#/components/schemas/" + MERGE_PATCH);
        item.getPatch()
                .setRequestBody(new io.swagger.v3.oas.models.parameters.RequestBody()
                        .required(true)
                        .content(new Content()
                                .addMediaType("application/merge-patch+json", new MediaType().schema(reference))
                                .addMediaType("application/json", new MediaType().schema(reference))));
        // Jackson's tree type is no part of the API: where a property is free-form JSON (audit snapshots) it is
        // described as any JSON value, and the generated schema of the Java class goes.
        for (Schema<?> schema : openApi.getComponents().getSchemas().values()) {
            Map<String, Schema> fields = schema.getProperties();
            if (fields == null) {
                continue;
            }
            for (Map.Entry<String, Schema> property : fields.entrySet()) {
                if (JSON_NODE.equals(property.getValue().get$ref())) {
                    property.setValue(new Schema<>().description("Any JSON value"));
                }
            }
        }
        openApi.getComponents().getSchemas().remove("JsonNode");
    }

    private static final String JSON_NODE = "#/components/schemas/JsonNode";

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
        if (method == PathItem.HttpMethod.PATCH) {
            add(operation, "428", "If-Match is required and was not sent");
        }
        add(operation, "401", "Missing, invalid, expired or revoked access token");
        add(operation, "403", "The caller's roles or scope do not permit this");
        add(operation, "405", "Method not supported on this resource");
        add(operation, "406", "The Accept header is malformed or asks for a type this API does not produce");
        if (operation.getRequestBody() != null) {
            add(operation, "415", "Unsupported Content-Type");
        }
        add(operation, "500", "Unexpected error (logged; no internals in the response)");
        add(
                operation,
                "503",
                "The database is unavailable, the pool exhausted or a lock wait timed out; see Retry-After");
        add(operation, "504", "The database did not answer within the time allowed for this kind of request");
        ApiResponse unavailable = operation.getResponses().get("503");
        if (unavailable != null
                && (unavailable.getHeaders() == null
                        || !unavailable.getHeaders().containsKey("Retry-After"))) {
            unavailable.addHeaderObject(
                    "Retry-After",
                    new io.swagger.v3.oas.models.headers.Header()
                            .description("Seconds to wait before retrying")
                            .schema(new IntegerSchema()));
        }
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
