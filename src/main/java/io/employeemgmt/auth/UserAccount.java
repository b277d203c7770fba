package io.employeemgmt.auth;

import io.employeemgmt.platform.security.Role;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A row of auth_users with its roles. The password hash never leaves the auth package. */
record UserAccount(
        UUID id,
        String username,
        @Nullable String email,
        @Nullable String displayName,
        String passwordHash,
        @Nullable Long employeeNumber,
        boolean enabled,
        int failedAttempts,
        @Nullable Instant lockedUntil,
        @Nullable Instant lastLoginAt,
        Instant createdAt,
        Instant updatedAt,
        Set<Role> roles) {

    boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }
}
