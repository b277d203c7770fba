package io.employeemgmt.platform;

import io.employeemgmt.platform.security.AuthenticatedUser;
import io.employeemgmt.platform.security.Role;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The one place that knows who is making the current request; audit columns (created_by, updated_by) and the audit
 * trail read it, and row-level rules start from {@link #user()}. Work outside an authenticated request (start-up,
 * scheduled jobs, the login itself) is attributed to {@value #SYSTEM}.
 */
@Component
public class CurrentActor {

    public static final String SYSTEM = "system";

    /** The username of the authenticated caller, or {@value #SYSTEM}. */
    public String name() {
        return user().map(AuthenticatedUser::username).orElse(SYSTEM);
    }

    /** The authenticated caller of the current request, if there is one. */
    public Optional<AuthenticatedUser> user() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null
                && authentication.isAuthenticated()
                && authentication.getPrincipal() instanceof AuthenticatedUser user) {
            return Optional.of(user);
        }
        return Optional.empty();
    }

    public Optional<UUID> userId() {
        return user().map(AuthenticatedUser::id);
    }

    /** The employee record the caller is linked to (emp_no), if any. */
    public Optional<Long> employeeNumber() {
        return user().map(AuthenticatedUser::employeeNumber);
    }

    public boolean hasRole(Role role) {
        return user().map(user -> user.hasRole(role)).orElse(false);
    }
}
