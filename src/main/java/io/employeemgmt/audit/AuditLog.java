package io.employeemgmt.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.employeemgmt.platform.CurrentActor;
import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the audit trail. Call it from a service method <em>inside</em> the transaction that makes the change: the
 * row is written through the same DataSource and transaction, so a rolled-back change leaves no audit row and a
 * committed change always has one. Calling it outside a transaction is a programming error and throws
 * {@link org.springframework.transaction.IllegalTransactionStateException}.
 *
 * <p>{@code before} and {@code after} are any objects with fields (records, maps); only the fields that differ are
 * stored (for a create, {@code before} is null and every non-null field of {@code after} is stored; for a delete,
 * the reverse). Fields whose name mentions a password, secret, token, credential or hash are stored as
 * {@code "[REDACTED]"}. The actor is the authenticated caller ({@link CurrentActor}); the request id (MDC key
 * {@value #REQUEST_ID_MDC_KEY}), client IP and user agent come from the current request when there is one.
 *
 * <p>Actions and entity types are UPPER_SNAKE_CASE, e.g. {@code record("EMPLOYEE_TRANSFERRED", "EMPLOYEE", 10001,
 * before, after)}.
 */
@Service
public class AuditLog {

    public static final String REQUEST_ID_MDC_KEY = "requestId";

    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private final AuditRepository repository;
    private final AuditChanges changes;
    private final CurrentActor currentActor;

    AuditLog(AuditRepository repository, JsonMapper json, CurrentActor currentActor) {
        this.repository = repository;
        this.changes = new AuditChanges(json.rebuild()
                // A field changed to or from null is a change: keep nulls, whatever the API's inclusion setting.
                .changeDefaultPropertyInclusion(inclusion ->
                        JsonInclude.Value.construct(JsonInclude.Include.ALWAYS, JsonInclude.Include.ALWAYS))
                .build());
        this.currentActor = currentActor;
    }

    /**
     * Records an action by the current caller. Returns false (and writes nothing) for an update that changed no
     * field.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean record(
            String action,
            String entityType,
            @Nullable Object entityId,
            @Nullable Object before,
            @Nullable Object after) {
        AuditActor actor = currentActor
                .user()
                .map(user -> new AuditActor(user.username(), user.id()))
                .orElse(AuditActor.SYSTEM);
        return record(actor, action, entityType, entityId, before, after);
    }

    /** Records an action attributed to {@code actor} instead of the current caller. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean record(
            AuditActor actor,
            String action,
            String entityType,
            @Nullable Object entityId,
            @Nullable Object before,
            @Nullable Object after) {
        requireName("action", action);
        requireName("entityType", entityType);
        AuditChanges.Diff diff = changes.diff(before, after);
        if (diff.isEmpty()) {
            return false;
        }
        HttpServletRequest request = currentRequest();
        repository.insert(new AuditRepository.NewEvent(
                truncate(actor.name(), 100),
                actor.userId(),
                action,
                entityType,
                entityId == null ? null : truncate(String.valueOf(entityId), 100),
                changes.toJson(diff.before()),
                changes.toJson(diff.after()),
                truncate(MDC.get(REQUEST_ID_MDC_KEY), 100),
                request == null ? null : truncate(request.getRemoteAddr(), 64),
                request == null ? null : truncate(request.getHeader(HttpHeaders.USER_AGENT), 512)));
        return true;
    }

    private static @Nullable HttpServletRequest currentRequest() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            return attributes.getRequest();
        }
        return null;
    }

    private static void requireName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be UPPER_SNAKE_CASE, got '" + value + "'");
        }
    }

    private static @Nullable String truncate(@Nullable String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
