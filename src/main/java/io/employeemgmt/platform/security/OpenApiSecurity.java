package io.employeemgmt.platform.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Declares the bearer scheme in the OpenAPI document (so Swagger UI offers "Authorize") and marks each operation
 * from {@link AccessRules}: public operations carry no security requirement, the others require the bearer token
 * and name the roles allowed in the description.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiSecurity {

    static final String SCHEME = "bearerAuth";

    @Bean
    OpenApiCustomizer bearerSecurityCustomizer() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents()
                    .addSecuritySchemes(
                            SCHEME,
                            new SecurityScheme()
                                    .type(SecurityScheme.Type.HTTP)
                                    .scheme("bearer")
                                    .bearerFormat("JWT")
                                    .description("Access token from POST /api/v1/auth/login (valid 15 minutes)"));
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> mark(path, item));
        };
    }

    private static void mark(String path, PathItem item) {
        for (Map.Entry<PathItem.HttpMethod, Operation> entry :
                item.readOperationsMap().entrySet()) {
            AccessRules.Rule rule =
                    AccessRules.ruleFor(HttpMethod.valueOf(entry.getKey().name()), AccessRules.samplePath(path));
            Operation operation = entry.getValue();
            if (rule.access() == AccessRules.Access.PUBLIC) {
                operation.setSecurity(List.of());
                continue;
            }
            operation.setSecurity(List.of(new SecurityRequirement().addList(SCHEME)));
            if (rule.access() == AccessRules.Access.ROLES) {
                String roles = "Roles: " + String.join(", ", rule.roleNames()) + ".";
                String description = operation.getDescription();
                operation.setDescription(
                        description == null || description.isBlank() ? roles : description + "\n\n" + roles);
            }
        }
    }
}
