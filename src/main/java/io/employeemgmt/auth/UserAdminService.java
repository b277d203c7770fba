package io.employeemgmt.auth;

import io.employeemgmt.audit.AuditLog;
import io.employeemgmt.auth.AccountService.UserSnapshot;
import io.employeemgmt.platform.ApiException;
import io.employeemgmt.platform.CurrentActor;
import io.employeemgmt.platform.PageResponse;
import io.employeemgmt.platform.SortOrder;
import io.employeemgmt.platform.security.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * User administration (ADMIN only, enforced by the route rules). Changes that alter what a user's tokens claim
 * (roles, employee link) or whether the user may act at all (disable, password reset) end the user's sessions, so
 * the change applies at once rather than when the access tokens expire. The last enabled administrator cannot be
 * disabled or lose the ADMIN role.
 */
@Service
class UserAdminService {

    static final Map<String, String> SORTS = Map.of(
            "username", "lower(u.username)",
            "createdAt", "u.created_at",
            "lastLoginAt", "u.last_login_at");

    private final UserRepository users;
    private final Passwords passwords;
    private final SessionService sessions;
    private final AuditLog audit;
    private final CurrentActor actor;
    private final TransactionTemplate transaction;
    private final Clock clock = Clock.systemUTC();

    UserAdminService(
            UserRepository users,
            Passwords passwords,
            SessionService sessions,
            AuditLog audit,
            CurrentActor actor,
            TransactionTemplate transaction) {
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
        this.audit = audit;
        this.actor = actor;
        this.transaction = transaction;
    }

    UserResponse create(AccountRequests.CreateUserRequest request) {
        passwords.requireAcceptable("password", request.password(), request.username(), request.email());
        String hash = passwords.hash(request.password());
        return transaction.execute(status -> {
            requireEmployee(request.employeeNumber());
            UUID id = users.insert(
                    new UserRepository.NewUser(
                            request.username(),
                            blankToNull(request.email()),
                            blankToNull(request.displayName()),
                            hash,
                            request.employeeNumber(),
                            EnumSet.copyOf(request.roles())),
                    actor.name());
            UserAccount created = load(id);
            audit.record("USER_CREATED", "USER", id, null, UserSnapshot.of(created));
            return response(created);
        });
    }

    PageResponse<UserResponse> list(UserRepository.Filter filter, SortOrder sort, int page, int size, long offset) {
        List<UserResponse> content = users.list(filter, sort, offset, size).stream()
                .map(this::response)
                .toList();
        return PageResponse.offset(content, page, size, users.count(filter));
    }

    UserResponse get(UUID id) {
        return response(load(id));
    }

    UserResponse setRoles(UUID id, Set<Role> roles) {
        Set<Role> wanted = EnumSet.copyOf(roles);
        return change(
                id,
                user -> {
                    if (user.roles().equals(wanted)) {
                        return;
                    }
                    if (user.roles().contains(Role.ADMIN) && !wanted.contains(Role.ADMIN)) {
                        requireAnotherAdministrator(user, "remove the ADMIN role from");
                    }
                    users.replaceRoles(id, wanted, actor.name());
                    sessions.revokeAll(id, SessionRepository.RevokeReason.ROLES_CHANGED, null);
                },
                "USER_ROLES_CHANGED");
    }

    UserResponse linkEmployee(UUID id, @Nullable Long employeeNumber) {
        return change(
                id,
                user -> {
                    if (java.util.Objects.equals(user.employeeNumber(), employeeNumber)) {
                        return;
                    }
                    requireEmployee(employeeNumber);
                    users.linkEmployee(id, employeeNumber, actor.name());
                    sessions.revokeAll(id, SessionRepository.RevokeReason.EMPLOYEE_LINK_CHANGED, null);
                },
                "USER_EMPLOYEE_LINKED");
    }

    UserResponse disable(UUID id) {
        return change(
                id,
                user -> {
                    if (!user.enabled()) {
                        return;
                    }
                    if (user.roles().contains(Role.ADMIN)) {
                        requireAnotherAdministrator(user, "disable");
                    }
                    users.setEnabled(id, false, actor.name());
                    sessions.revokeAll(id, SessionRepository.RevokeReason.USER_DISABLED, null);
                },
                "USER_DISABLED");
    }

    UserResponse enable(UUID id) {
        return change(id, user -> users.setEnabled(id, true, actor.name()), "USER_ENABLED");
    }

    UserResponse unlock(UUID id) {
        return transaction.execute(status -> {
            UserAccount user = load(id);
            Instant now = clock.instant();
            if (!user.lockedAt(now) && user.failedAttempts() == 0) {
                return response(user);
            }
            users.unlock(id, actor.name());
            Map<String, Object> before = new LinkedHashMap<>();
            before.put("locked", user.lockedAt(now));
            before.put("lockedUntil", user.lockedAt(now) ? user.lockedUntil() : null);
            before.put("failedAttempts", user.failedAttempts());
            audit.record("USER_UNLOCKED", "USER", id, before, Map.of("locked", false, "failedAttempts", 0));
            return response(load(id));
        });
    }

    void resetPassword(UUID id, String newPassword) {
        UserAccount user = load(id);
        passwords.requireAcceptable("newPassword", newPassword, user.username(), user.email());
        String hash = passwords.hash(newPassword);
        transaction.executeWithoutResult(status -> {
            users.updatePasswordHash(id, hash, clock.instant(), actor.name());
            int revoked = sessions.revokeAll(id, SessionRepository.RevokeReason.PASSWORD_RESET, null);
            audit.record("PASSWORD_RESET", "USER", id, null, Map.of("sessionsRevoked", revoked));
        });
    }

    /** Loads the user, applies {@code action} and audits the before/after snapshots, all in one transaction. */
    private UserResponse change(UUID id, Consumer<UserAccount> action, String auditAction) {
        return transaction.execute(status -> {
            users.lockAdministrators();
            UserAccount before = load(id);
            action.accept(before);
            UserAccount after = load(id);
            audit.record(auditAction, "USER", id, UserSnapshot.of(before), UserSnapshot.of(after));
            return response(after);
        });
    }

    private void requireAnotherAdministrator(UserAccount user, String what) {
        if (user.enabled() && users.countEnabledAdministrators() <= 1) {
            throw ApiException.conflict(
                    "Cannot " + what + " user '" + user.username() + "': it is the last enabled administrator");
        }
    }

    private void requireEmployee(@Nullable Long employeeNumber) {
        if (employeeNumber != null && !users.employeeExists(employeeNumber)) {
            throw ApiException.badRequest("employeeNumber", "no employee with number " + employeeNumber + " exists");
        }
    }

    private UserAccount load(UUID id) {
        return users.findById(id).orElseThrow(() -> ApiException.notFound("No user with id " + id));
    }

    private UserResponse response(UserAccount user) {
        return UserResponse.of(user, clock.instant());
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
