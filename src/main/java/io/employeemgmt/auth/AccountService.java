package io.employeemgmt.auth;

import io.employeemgmt.audit.AuditActor;
import io.employeemgmt.audit.AuditLog;
import io.employeemgmt.platform.ApiException;
import io.employeemgmt.platform.security.AuthenticatedUser;
import io.employeemgmt.platform.security.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** The caller's own account: profile, password change, and self-registration when it is enabled. */
@Service
class AccountService {

    /** The audited view of a user; what USER_* audit rows compare. */
    record UserSnapshot(
            String username,
            @Nullable String email,
            @Nullable String displayName,
            java.util.List<Role> roles,
            @Nullable Long employeeNumber,
            boolean enabled) {

        static UserSnapshot of(UserAccount user) {
            return new UserSnapshot(
                    user.username(),
                    user.email(),
                    user.displayName(),
                    user.roles().stream().sorted().toList(),
                    user.employeeNumber(),
                    user.enabled());
        }
    }

    private final UserRepository users;
    private final Passwords passwords;
    private final SessionService sessions;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final SecurityProperties.Lockout lockout;
    private final Clock clock = Clock.systemUTC();

    AccountService(
            UserRepository users,
            Passwords passwords,
            SessionService sessions,
            AuditLog audit,
            TransactionTemplate transaction,
            SecurityProperties properties) {
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
        this.audit = audit;
        this.transaction = transaction;
        this.lockout = properties.lockout();
    }

    UserResponse me(AuthenticatedUser caller) {
        return UserResponse.of(load(caller.id()), clock.instant());
    }

    UserResponse updateProfile(AuthenticatedUser caller, AccountRequests.UpdateProfileRequest request) {
        UserAccount user = load(caller.id());
        String email = blankToNull(request.email());
        boolean emailChanges = !Objects.equals(lower(email), lower(user.email()));
        if (emailChanges) {
            if (request.currentPassword() == null || request.currentPassword().isEmpty()) {
                throw ApiException.badRequest("currentPassword", "is required to change the email address");
            }
            verifyCurrentPassword(user, request.currentPassword());
        }
        return transaction.execute(status -> {
            users.updateProfile(user.id(), email, blankToNull(request.displayName()), caller.username());
            UserAccount updated = load(user.id());
            audit.record("USER_PROFILE_UPDATED", "USER", user.id(), UserSnapshot.of(user), UserSnapshot.of(updated));
            return UserResponse.of(updated, clock.instant());
        });
    }

    void changePassword(AuthenticatedUser caller, AccountRequests.ChangePasswordRequest request) {
        UserAccount user = load(caller.id());
        verifyCurrentPassword(user, request.currentPassword());
        passwords.requireAcceptable("newPassword", request.newPassword(), user.username(), user.email());
        if (passwords.matches(request.newPassword(), user.passwordHash())) {
            throw ApiException.badRequest("newPassword", "must differ from the current password");
        }
        String hash = passwords.hash(request.newPassword());
        transaction.executeWithoutResult(status -> {
            users.updatePasswordHash(user.id(), hash, clock.instant(), caller.username());
            int revoked =
                    sessions.revokeAll(user.id(), SessionRepository.RevokeReason.PASSWORD_CHANGED, caller.sessionId());
            audit.record("PASSWORD_CHANGED", "USER", user.id(), null, Map.of("otherSessionsRevoked", revoked));
        });
    }

    UserResponse register(AccountRequests.RegisterRequest request) {
        passwords.requireAcceptable("password", request.password(), request.username(), request.email());
        String hash = passwords.hash(request.password());
        return transaction.execute(status -> {
            UUID id = users.insert(
                    new UserRepository.NewUser(
                            request.username(),
                            request.email(),
                            blankToNull(request.displayName()),
                            hash,
                            null,
                            Set.of(Role.EMPLOYEE)),
                    request.username());
            UserAccount created = load(id);
            audit.record(
                    new AuditActor(created.username(), created.id()),
                    "USER_REGISTERED",
                    "USER",
                    id,
                    null,
                    UserSnapshot.of(created));
            return UserResponse.of(created, clock.instant());
        });
    }

    /**
     * Checks the caller's current password with the same lockout as login: an authenticated session (or a stolen
     * access token) cannot be used to guess the password without limit.
     */
    private void verifyCurrentPassword(UserAccount user, String password) {
        OptionalInt attempt = users.reserveAttempt(user.id(), clock.instant(), lockout.maxFailedAttempts());
        if (attempt.isEmpty()) {
            throw ApiException.conflict("The account is locked after too many failed password attempts; try again"
                    + " later or ask an administrator to unlock it");
        }
        if (!passwords.matches(password, user.passwordHash())) {
            Instant lockUntil = clock.instant().plus(lockout.duration());
            boolean locked =
                    users.lockIfExhausted(user.id(), attempt.getAsInt(), lockout.maxFailedAttempts(), lockUntil);
            transaction.executeWithoutResult(status -> {
                audit.record("PASSWORD_CHECK_FAILED", "USER", user.id(), null, Map.of("reason", "BAD_CREDENTIALS"));
                if (locked) {
                    audit.record(
                            AuditActor.SYSTEM,
                            "ACCOUNT_LOCKED",
                            "USER",
                            user.id(),
                            null,
                            Map.of("lockedUntil", lockUntil, "failedAttempts", lockout.maxFailedAttempts()));
                }
            });
            throw ApiException.badRequest("currentPassword", "is not the current password");
        }
        users.clearFailedAttempts(user.id());
    }

    private UserAccount load(UUID id) {
        return users.findById(id).orElseThrow(() -> ApiException.notFound("No user with id " + id));
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static @Nullable String lower(@Nullable String value) {
        return value == null ? null : value.toLowerCase(java.util.Locale.ROOT);
    }
}
