package io.employeemgmt.audit;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** One row of the audit trail as the API returns it; before/after keep null values (a field set to null). */
public record AuditEvent(
        long id,
        Instant occurredAt,

        @Schema(description = "Username of the caller, or 'system' / 'anonymous'")
        String actor,

        @Nullable UUID actorUserId,
        @Schema(example = "USER_ROLES_CHANGED") String action,
        @Schema(example = "USER") String entityType,
        @Nullable String entityId,

        @Schema(description = "Changed fields before the action (all fields for a delete); absent for a create")
        @Nullable
        JsonNode before,

        @Schema(description = "Changed fields after the action (all fields for a create); absent for a delete")
        @Nullable
        JsonNode after,

        @Nullable String requestId,
        @Nullable String clientIp,
        @Nullable String userAgent) {}
