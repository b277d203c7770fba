package io.employeemgmt.platform.security;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The caller of the current request, taken from a validated access token. {@code employeeNumber} is the employee
 * record the user is linked to (absent for accounts without one); row-level rules ("own record", "own department")
 * start from it. {@code sessionId} and {@code tokenId} identify the login session and this access token.
 */
public record AuthenticatedUser(
        UUID id,
        String username,
        Set<Role> roles,
        @Nullable Long employeeNumber,
        UUID sessionId,
        String tokenId,
        Instant tokenExpiresAt) {

    public AuthenticatedUser {
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    public boolean hasAnyRole(Role... candidates) {
        return Arrays.stream(candidates).anyMatch(roles::contains);
    }
}
