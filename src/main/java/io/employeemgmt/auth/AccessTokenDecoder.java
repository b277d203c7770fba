package io.employeemgmt.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Decodes access tokens without paying a signature verification and a database query on every request.
 *
 * <p>A token string seen before is served from a bounded in-memory cache until it expires: its signature and
 * claims were verified when it entered, and the same bytes verify the same way. Revocation is the part that
 * changes over time. A token is checked against PostgreSQL once per {@link RevocationFeed} generation; after that
 * the feed's messages (a logout or a revoked session on any instance) evict the matching entries, so the next
 * request checks the database again and is refused. While the feed is down (generation 0) every request checks
 * the database, as before caching existed, and entries checked in an older generation are checked again.
 *
 * <p>An entry is only stored if no revocation message arrived between reading the database and storing it (both
 * under one lock), so a revocation committed just after the check cannot be missed.
 */
final class AccessTokenDecoder implements JwtDecoder {

    /** Whether the token (jti) or its session (sid) has been revoked. */
    interface RevocationCheck {
        boolean isRevoked(String tokenId, UUID sessionId);
    }

    private record Entry(Jwt jwt, long generation) {}

    private final JwtDecoder verifier;
    private final RevocationCheck revocation;
    private final RevocationFeed feed;
    private final Cache<String, Entry> verified;
    private final Object lock = new Object();
    private long messages;

    /**
     * @param verifier checks signature and claims (no revocation)
     * @param clockSkew how long after {@code exp} the verifier still accepts a token; entries live as long
     */
    AccessTokenDecoder(
            JwtDecoder verifier, RevocationCheck revocation, RevocationFeed feed, Duration clockSkew, long maxTokens) {
        this.verifier = verifier;
        this.revocation = revocation;
        this.feed = feed;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxTokens)
                .expireAfter(Expiry.<String, Entry>creating((token, entry) -> {
                    Instant expiresAt = Objects.requireNonNull(entry.jwt().getExpiresAt());
                    Duration left = Duration.between(Instant.now(), expiresAt.plus(clockSkew));
                    return left.isNegative() ? Duration.ZERO : left;
                }))
                .build();
        feed.subscribe(this::revoked);
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Entry entry = verified.getIfPresent(token);
        long generation = feed.generation();
        if (entry != null && generation != 0 && entry.generation() == generation) {
            return entry.jwt();
        }
        Jwt jwt = entry != null ? entry.jwt() : verifier.decode(token);
        long seen;
        synchronized (lock) {
            seen = messages;
        }
        requireNotRevoked(jwt);
        if (generation != 0) {
            synchronized (lock) {
                if (messages == seen && feed.generation() == generation) {
                    verified.put(token, new Entry(jwt, generation));
                }
            }
        }
        return jwt;
    }

    /** A feed message: {@code sid:<session>}, {@code jti:<token id>} or {@code sub:<user id>}. */
    void revoked(String message) {
        int colon = message.indexOf(':');
        String kind = colon < 0 ? "" : message.substring(0, colon);
        String id = message.substring(colon + 1);
        String claim = switch (kind) {
            case "sid" -> AccessTokens.SESSION;
            case "jti" -> "jti";
            case "sub" -> "sub";
            default -> null;
        };
        synchronized (lock) {
            messages++;
            if (claim == null) {
                verified.invalidateAll();
            } else {
                verified.asMap().values().removeIf(e -> id.equals(e.jwt().getClaimAsString(claim)));
            }
        }
    }

    private void requireNotRevoked(Jwt jwt) {
        boolean revoked;
        try {
            revoked = revocation.isRevoked(jwt.getId(), UUID.fromString(jwt.getClaimAsString(AccessTokens.SESSION)));
        } catch (DataAccessException e) {
            throw new InternalAuthenticationServiceException("Token revocation state is unavailable", e);
        }
        if (revoked) {
            throw new JwtValidationException(
                    "the token has been revoked (logout or session ended)",
                    List.of(new OAuth2Error(
                            OAuth2ErrorCodes.INVALID_TOKEN,
                            "the token has been revoked (logout or session ended)",
                            null)));
        }
    }
}
