package io.employeemgmt.audit;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who an audit row is attributed to when it is not the authenticated caller of the request: a login (the caller is
 * not authenticated yet), start-up work, or an anonymous attempt.
 */
public record AuditActor(String name, @Nullable UUID userId) {

    public static final AuditActor ANONYMOUS = new AuditActor("anonymous", null);
    public static final AuditActor SYSTEM = new AuditActor("system", null);
}
