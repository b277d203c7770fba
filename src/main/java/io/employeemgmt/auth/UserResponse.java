package io.employeemgmt.auth;

import io.employeemgmt.platform.security.Role;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A user account as the API shows it; never the password hash. */
public record UserResponse(
        UUID id,
        String username,
        @Nullable String email,
        @Nullable String displayName,
        List<Role> roles,

        @Schema(description = "The linked employee record (emp_no), if any") @Nullable
        Long employeeNumber,

        boolean enabled,

        @Schema(description = "True while login is blocked after too many failed attempts")
        boolean locked,

        @Nullable Instant lockedUntil,
        @Nullable Instant lastLoginAt,
        Instant createdAt,
        Instant updatedAt) {

    static UserResponse of(UserAccount user, Instant now) {
        boolean locked = user.lockedAt(now);
        return new UserResponse(
                user.id(),
                user.username(),
                user.email(),
                user.displayName(),
                user.roles().stream().sorted().toList(),
                user.employeeNumber(),
                user.enabled(),
                locked,
                locked ? user.lockedUntil() : null,
                user.lastLoginAt(),
                user.createdAt(),
                user.updatedAt());
    }
}
