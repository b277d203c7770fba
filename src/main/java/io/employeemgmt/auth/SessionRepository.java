package io.employeemgmt.auth;

import static io.employeemgmt.auth.UserRepository.utc;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Sessions (refresh-token families), refresh tokens by hash, and the access-token deny-list. Every revocation also
 * notifies {@link RevocationFeed#CHANNEL}, delivered to all instances when the transaction commits.
 */
@Repository
class SessionRepository {

    /** Why a session ended; stored in auth_sessions.revoke_reason. */
    enum RevokeReason {
        LOGOUT,
        REFRESH_TOKEN_REUSE,
        PASSWORD_CHANGED,
        PASSWORD_RESET,
        ROLES_CHANGED,
        EMPLOYEE_LINK_CHANGED,
        USER_DISABLED
    }

    /** A refresh token with its session, locked for the rest of the transaction. */
    record RefreshTokenState(
            UUID sessionId,
            UUID userId,
            Instant expiresAt,
            @Nullable Instant rotatedAt,
            @Nullable Instant sessionRevokedAt) {}

    private final JdbcClient jdbc;
    private final RevocationFeed revocations;

    SessionRepository(JdbcClient jdbc, RevocationFeed revocations) {
        this.jdbc = jdbc;
        this.revocations = revocations;
    }

    void insertSession(
            UUID id,
            UUID userId,
            Instant now,
            Instant expiresAt,
            @Nullable String clientIp,
            @Nullable String userAgent) {
        jdbc.sql("""
                        INSERT INTO auth_sessions (id, user_id, created_at, last_used_at, expires_at, client_ip,
                                                   user_agent)
                        VALUES (:id, :userId, :now, :now, :expiresAt, :clientIp, :userAgent)
                        """)
                .param("id", id)
                .param("userId", userId)
                .param("now", utc(now))
                .param("expiresAt", utc(expiresAt))
                .param("clientIp", clientIp)
                .param("userAgent", userAgent)
                .update();
    }

    void insertRefreshToken(byte[] hash, UUID sessionId, Instant now, Instant expiresAt) {
        jdbc.sql("""
                        INSERT INTO auth_refresh_tokens (token_hash, session_id, issued_at, expires_at)
                        VALUES (:hash, :sessionId, :now, :expiresAt)
                        """)
                .param("hash", hash)
                .param("sessionId", sessionId)
                .param("now", utc(now))
                .param("expiresAt", utc(expiresAt))
                .update();
    }

    Optional<RefreshTokenState> lockRefreshToken(byte[] hash) {
        return jdbc.sql("""
                        SELECT t.session_id, s.user_id, t.expires_at, t.rotated_at, s.revoked_at
                          FROM auth_refresh_tokens t
                          JOIN auth_sessions s ON s.id = t.session_id
                         WHERE t.token_hash = :hash
                           FOR UPDATE OF t, s
                        """)
                .param("hash", hash)
                .query((rs, row) -> new RefreshTokenState(
                        rs.getObject("session_id", UUID.class),
                        rs.getObject("user_id", UUID.class),
                        rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                        toInstant(rs.getObject("rotated_at", OffsetDateTime.class)),
                        toInstant(rs.getObject("revoked_at", OffsetDateTime.class))))
                .optional();
    }

    void markRotated(byte[] hash, Instant now) {
        jdbc.sql("UPDATE auth_refresh_tokens SET rotated_at = :now WHERE token_hash = :hash")
                .param("hash", hash)
                .param("now", utc(now))
                .update();
    }

    void extendSession(UUID sessionId, Instant now, Instant expiresAt) {
        jdbc.sql("UPDATE auth_sessions SET last_used_at = :now, expires_at = :expiresAt WHERE id = :id")
                .param("id", sessionId)
                .param("now", utc(now))
                .param("expiresAt", utc(expiresAt))
                .update();
    }

    boolean revokeSession(UUID sessionId, Instant now, RevokeReason reason) {
        revocations.publish(jdbc, "sid:" + sessionId);
        return jdbc.sql("""
                                UPDATE auth_sessions SET revoked_at = :now, revoke_reason = :reason
                                 WHERE id = :id AND revoked_at IS NULL
                                """)
                        .param("id", sessionId)
                        .param("now", utc(now))
                        .param("reason", reason.name())
                        .update()
                > 0;
    }

    /** Revokes every live session of the user except {@code keep}; returns how many were revoked. */
    int revokeUserSessions(UUID userId, Instant now, RevokeReason reason, @Nullable UUID keep) {
        revocations.publish(jdbc, "sub:" + userId);
        return jdbc.sql("""
                        UPDATE auth_sessions SET revoked_at = :now, revoke_reason = :reason
                         WHERE user_id = :userId AND revoked_at IS NULL AND (CAST(:keep AS uuid) IS NULL OR id <> :keep)
                        """)
                .param("userId", userId)
                .param("now", utc(now))
                .param("reason", reason.name())
                .param("keep", keep)
                .update();
    }

    void denyAccessToken(String jti, UUID sessionId, Instant expiresAt, Instant now) {
        revocations.publish(jdbc, "jti:" + jti);
        jdbc.sql("""
                        INSERT INTO auth_denied_access_tokens (jti, session_id, expires_at, denied_at)
                        VALUES (:jti, :sessionId, :expiresAt, :now)
                        ON CONFLICT (jti) DO NOTHING
                        """)
                .param("jti", jti)
                .param("sessionId", sessionId)
                .param("expiresAt", utc(expiresAt))
                .param("now", utc(now))
                .update();
    }

    /** True when the token's jti is denied or its session is revoked or unknown. One indexed round trip. */
    boolean isRevoked(String jti, UUID sessionId) {
        return jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM auth_denied_access_tokens WHERE jti = :jti)
                            OR NOT EXISTS (SELECT 1 FROM auth_sessions WHERE id = :sessionId AND revoked_at IS NULL)
                        """)
                .param("jti", jti)
                .param("sessionId", sessionId)
                .query(Boolean.class)
                .single();
    }

    int purgeDeniedAccessTokens(Instant now) {
        return jdbc.sql("DELETE FROM auth_denied_access_tokens WHERE expires_at < :now")
                .param("now", utc(now))
                .update();
    }

    /** Sessions (and their refresh tokens) whose last refresh token expired before {@code before}. */
    int purgeSessions(Instant before) {
        return jdbc.sql("DELETE FROM auth_sessions WHERE expires_at < :before")
                .param("before", utc(before))
                .update();
    }

    private static @Nullable Instant toInstant(@Nullable OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
