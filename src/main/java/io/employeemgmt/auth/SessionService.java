package io.employeemgmt.auth;

import io.employeemgmt.audit.AuditActor;
import io.employeemgmt.audit.AuditLog;
import io.employeemgmt.platform.security.AuthenticatedUser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Login sessions. A session is a refresh-token family: {@link #start} opens it with a refresh token, each
 * {@link #refresh} rotates that token (single use), and presenting an already-rotated token again revokes the whole
 * family, since either the client or a thief holds a copy. All state is in PostgreSQL, shared by every replica.
 */
@Service
class SessionService {

    /** The outcome of a refresh; anything but {@link Refreshed} is answered with the same 401. */
    sealed interface RefreshOutcome {
        record Refreshed(TokenResponse tokens) implements RefreshOutcome {}

        record Rejected() implements RefreshOutcome {}

        record ReuseDetected() implements RefreshOutcome {}
    }

    private static final Pattern REFRESH_TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SessionRepository sessions;
    private final UserRepository users;
    private final AccessTokens accessTokens;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final Clock clock = Clock.systemUTC();
    private final SecurityProperties.Jwt config;
    private final SecureRandom random = new SecureRandom();

    SessionService(
            SessionRepository sessions,
            UserRepository users,
            AccessTokens accessTokens,
            AuditLog audit,
            TransactionTemplate transaction,
            SecurityProperties properties) {
        this.sessions = sessions;
        this.users = users;
        this.accessTokens = accessTokens;
        this.audit = audit;
        this.transaction = transaction;
        this.config = properties.jwt();
    }

    /** Opens a session for {@code user} in the caller's transaction and issues its first tokens. */
    @Transactional(propagation = Propagation.MANDATORY)
    TokenResponse start(UserAccount user, ClientInfo client) {
        Instant now = clock.instant();
        UUID sessionId = UUID.randomUUID();
        Instant refreshExpiry = now.plus(config.refreshTokenTtl());
        sessions.insertSession(sessionId, user.id(), now, refreshExpiry, client.ip(), client.userAgent());
        String refreshToken = newRefreshToken();
        sessions.insertRefreshToken(hash(refreshToken), sessionId, now, refreshExpiry);
        return tokens(accessTokens.issue(user, sessionId, now), refreshToken);
    }

    RefreshOutcome refresh(String refreshToken) {
        if (refreshToken == null || !REFRESH_TOKEN.matcher(refreshToken).matches()) {
            return new RefreshOutcome.Rejected();
        }
        byte[] hash = hash(refreshToken);
        return transaction.execute(status -> {
            Instant now = clock.instant();
            Optional<SessionRepository.RefreshTokenState> found = sessions.lockRefreshToken(hash);
            if (found.isEmpty() || found.get().sessionRevokedAt() != null) {
                return new RefreshOutcome.Rejected();
            }
            SessionRepository.RefreshTokenState state = found.get();
            if (state.rotatedAt() != null) {
                sessions.revokeSession(state.sessionId(), now, SessionRepository.RevokeReason.REFRESH_TOKEN_REUSE);
                audit.record(
                        AuditActor.ANONYMOUS,
                        "REFRESH_TOKEN_REUSE_DETECTED",
                        "USER",
                        state.userId(),
                        null,
                        Map.of("sessionId", state.sessionId(), "sessionRevoked", true));
                return new RefreshOutcome.ReuseDetected();
            }
            if (!state.expiresAt().isAfter(now)) {
                return new RefreshOutcome.Rejected();
            }
            UserAccount user = users.findById(state.userId()).orElse(null);
            if (user == null || !user.enabled()) {
                return new RefreshOutcome.Rejected();
            }
            sessions.markRotated(hash, now);
            String next = newRefreshToken();
            Instant refreshExpiry = now.plus(config.refreshTokenTtl());
            sessions.insertRefreshToken(hash(next), state.sessionId(), now, refreshExpiry);
            sessions.extendSession(state.sessionId(), now, refreshExpiry);
            return new RefreshOutcome.Refreshed(tokens(accessTokens.issue(user, state.sessionId(), now), next));
        });
    }

    /** Ends the caller's session and denies the access token in use until it expires. */
    void logout(AuthenticatedUser caller) {
        transaction.executeWithoutResult(status -> {
            Instant now = clock.instant();
            sessions.revokeSession(caller.sessionId(), now, SessionRepository.RevokeReason.LOGOUT);
            sessions.denyAccessToken(caller.tokenId(), caller.sessionId(), caller.tokenExpiresAt(), now);
            audit.record("LOGOUT", "USER", caller.id(), null, Map.of("sessionId", caller.sessionId()));
        });
    }

    /** Revokes every session of the user but {@code keep}, in the caller's transaction; returns how many. */
    @Transactional(propagation = Propagation.MANDATORY)
    int revokeAll(UUID userId, SessionRepository.RevokeReason reason, @Nullable UUID keep) {
        return sessions.revokeUserSessions(userId, clock.instant(), reason, keep);
    }

    boolean isRevoked(String tokenId, UUID sessionId) {
        return sessions.isRevoked(tokenId, sessionId);
    }

    private TokenResponse tokens(AccessTokens.Issued access, String refreshToken) {
        return new TokenResponse(
                "Bearer",
                access.value(),
                accessTokens.ttlSeconds(),
                refreshToken,
                config.refreshTokenTtl().toSeconds());
    }

    private String newRefreshToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
