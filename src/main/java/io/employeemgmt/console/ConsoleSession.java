package io.employeemgmt.console;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the console keeps in the HTTP session of a signed-in user: the API tokens (never sent to the browser) and who
 * the user is, for the navigation. Who may see or do what is decided by the API on every call, not from these
 * roles. Tokens change on refresh; {@link ConsoleApi} serialises refreshes on this object because a refresh token
 * is single use.
 */
public final class ConsoleSession implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    static final String ATTRIBUTE = "io.employeemgmt.console.ConsoleSession";

    private final String username;
    private final @Nullable String displayName;
    private final Set<String> roles;
    private final @Nullable Long employeeNumber;
    private String accessToken;
    private String refreshToken;
    private Instant accessExpiresAt;

    ConsoleSession(
            String username,
            @Nullable String displayName,
            Set<String> roles,
            @Nullable Long employeeNumber,
            String accessToken,
            String refreshToken,
            Instant accessExpiresAt) {
        this.username = username;
        this.displayName = displayName;
        this.roles = Set.copyOf(roles);
        this.employeeNumber = employeeNumber;
        this.accessToken = accessToken;
        this.refreshToken = refreshToken;
        this.accessExpiresAt = accessExpiresAt;
    }

    public String username() {
        return username;
    }

    public String displayName() {
        return displayName == null || displayName.isBlank() ? username : displayName;
    }

    public Set<String> roles() {
        return roles;
    }

    public List<String> sortedRoles() {
        return roles.stream().sorted().toList();
    }

    public boolean hasRole(String role) {
        return roles.contains(role) || roles.contains("ADMIN");
    }

    /** HR_MANAGER or ADMIN: sees the HR actions (the API still decides). */
    public boolean hr() {
        return hasRole("HR_MANAGER");
    }

    public boolean admin() {
        return roles.contains("ADMIN");
    }

    /** MANAGER without HR rights: the analytics of their own departments. */
    public boolean manager() {
        return roles.contains("MANAGER") && !hr();
    }

    public @Nullable Long employeeNumber() {
        return employeeNumber;
    }

    synchronized String accessToken() {
        return accessToken;
    }

    synchronized String refreshToken() {
        return refreshToken;
    }

    synchronized Instant accessExpiresAt() {
        return accessExpiresAt;
    }

    synchronized void refreshed(String accessToken, String refreshToken, Instant accessExpiresAt) {
        this.accessToken = accessToken;
        this.refreshToken = refreshToken;
        this.accessExpiresAt = accessExpiresAt;
    }
}
