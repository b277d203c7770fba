package io.employeemgmt.auth;

import io.employeemgmt.audit.AuditActor;
import io.employeemgmt.audit.AuditLog;
import io.employeemgmt.platform.ApiException;
import io.employeemgmt.platform.BusinessMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Login with lockout. The order matters: find the user, take an attempt (refused while locked, so a locked account
 * never has its password checked), then verify the password outside any transaction, then record the outcome and
 * the audit row together. Unknown users, disabled users and locked accounts get exactly the same 401 as a wrong
 * password, after the same amount of hashing work.
 */
@Service
class LoginService {

    static final String FAILURE_DETAIL = "Invalid username or password";

    private static final Logger log = LoggerFactory.getLogger(LoginService.class);

    enum Failure {
        UNKNOWN_USER,
        DISABLED,
        LOCKED,
        BAD_CREDENTIALS
    }

    private final UserRepository users;
    private final Passwords passwords;
    private final SessionService sessions;
    private final AuditLog audit;
    private final BusinessMetrics metrics;
    private final TransactionTemplate transaction;
    private final SecurityProperties.Lockout lockout;
    private final Clock clock = Clock.systemUTC();

    LoginService(
            UserRepository users,
            Passwords passwords,
            SessionService sessions,
            AuditLog audit,
            BusinessMetrics metrics,
            TransactionTemplate transaction,
            SecurityProperties properties) {
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
        this.audit = audit;
        this.metrics = metrics;
        this.transaction = transaction;
        this.lockout = properties.lockout();
    }

    TokenResponse login(String identifier, String password, ClientInfo client) {
        Optional<UserAccount> found = users.findByLogin(identifier);
        if (found.isEmpty()) {
            passwords.verifyAgainstDummy(password);
            throw fail(null, Failure.UNKNOWN_USER, null);
        }
        UserAccount user = found.get();
        if (!user.enabled()) {
            passwords.verifyAgainstDummy(password);
            throw fail(user, Failure.DISABLED, null);
        }
        OptionalInt attempt = users.reserveAttempt(user.id(), clock.instant(), lockout.maxFailedAttempts());
        if (attempt.isEmpty()) {
            passwords.verifyAgainstDummy(password);
            throw fail(user, Failure.LOCKED, null);
        }
        if (!passwords.matches(password, user.passwordHash())) {
            Instant lockUntil = clock.instant().plus(lockout.duration());
            boolean locked =
                    users.lockIfExhausted(user.id(), attempt.getAsInt(), lockout.maxFailedAttempts(), lockUntil);
            throw fail(user, Failure.BAD_CREDENTIALS, locked ? lockUntil : null);
        }
        String rehash = passwords.needsRehash(user.passwordHash()) ? passwords.hash(password) : null;
        TokenResponse tokens = transaction.execute(status -> {
            users.recordSuccessfulLogin(user.id(), clock.instant());
            if (rehash != null) {
                users.upgradePasswordHash(user.id(), rehash);
            }
            TokenResponse issued = sessions.start(user, client);
            audit.record(
                    new AuditActor(user.username(), user.id()),
                    "LOGIN_SUCCEEDED",
                    "USER",
                    user.id(),
                    null,
                    Map.of("username", user.username()));
            return issued;
        });
        metrics.loginSucceeded();
        return tokens;
    }

    private ApiException fail(@Nullable UserAccount user, Failure reason, @Nullable Instant lockedUntil) {
        transaction.executeWithoutResult(status -> {
            // For an unknown user nothing from the request is stored: a password typed into the username field
            // must not end up in the audit trail.
            Map<String, Object> details = user == null
                    ? Map.of("reason", reason.name())
                    : Map.of("reason", reason.name(), "username", user.username());
            audit.record(AuditActor.ANONYMOUS, "LOGIN_FAILED", "USER", user == null ? null : user.id(), null, details);
            if (user != null && lockedUntil != null) {
                audit.record(
                        AuditActor.SYSTEM,
                        "ACCOUNT_LOCKED",
                        "USER",
                        user.id(),
                        null,
                        Map.of("lockedUntil", lockedUntil, "failedAttempts", lockout.maxFailedAttempts()));
            }
        });
        metrics.loginFailed();
        if (user != null && lockedUntil != null) {
            log.warn(
                    "Account {} locked for {} after {} failed logins",
                    user.id(),
                    lockout.duration(),
                    lockout.maxFailedAttempts());
        }
        return new ApiException(HttpStatus.UNAUTHORIZED, FAILURE_DETAIL, List.of());
    }
}
