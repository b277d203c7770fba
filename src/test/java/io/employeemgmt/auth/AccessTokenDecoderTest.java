package io.employeemgmt.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.employeemgmt.platform.security.Role;
import io.employeemgmt.support.TestJwtKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * The verified-token cache: a token is checked against the database once per feed generation, a revocation
 * message makes the next request check again, and without a connected feed every request checks.
 */
class AccessTokenDecoderTest {

    private final AtomicLong generation = new AtomicLong();
    private final AtomicInteger checks = new AtomicInteger();
    private final AtomicBoolean revoked = new AtomicBoolean();
    private final RevocationFeed feed = new RevocationFeed(null) {
        @Override
        long generation() {
            return generation.get();
        }
    };
    private final SecurityProperties properties = properties();
    private final JwtKeys keys = JwtKeys.from(properties.jwt());
    private final UUID sessionId = UUID.randomUUID();
    private final String token = issue(sessionId);
    private Runnable duringCheck = () -> {};
    private final JwtDecoder decoder = SecurityConfiguration.decoder(
            keys,
            properties.jwt(),
            (jti, sid) -> {
                checks.incrementAndGet();
                boolean answer = revoked.get();
                duringCheck.run();
                return answer;
            },
            feed);

    @Test
    void withAConnectedFeedATokenIsCheckedOnceAndThenServedFromMemory() {
        generation.set(1);
        for (int i = 0; i < 5; i++) {
            assertThat(decoder.decode(token).getClaimAsString(AccessTokens.SESSION))
                    .isEqualTo(sessionId.toString());
        }
        assertThat(checks).hasValue(1);
    }

    @Test
    void aRevocationMessageForTheSessionMakesTheNextRequestCheckAndFail() {
        generation.set(1);
        decoder.decode(token);
        revoked.set(true);
        ((AccessTokenDecoder) decoder).revoked("sid:" + sessionId);
        assertThatThrownBy(() -> decoder.decode(token))
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("revoked");
        assertThat(checks).hasValue(2);
    }

    @Test
    void messagesForOtherSessionsLeaveTheTokenCached() {
        generation.set(1);
        decoder.decode(token);
        ((AccessTokenDecoder) decoder).revoked("sid:" + UUID.randomUUID());
        ((AccessTokenDecoder) decoder).revoked("jti:someone-else");
        decoder.decode(token);
        assertThat(checks).hasValue(1);
    }

    @Test
    void aRevocationArrivingDuringTheDatabaseCheckIsNotCachedOver() {
        generation.set(1);
        duringCheck = () -> {
            duringCheck = () -> {};
            ((AccessTokenDecoder) decoder).revoked("sid:" + sessionId);
            revoked.set(true);
        };
        decoder.decode(token);
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtValidationException.class);
    }

    @Test
    void withoutAConnectedFeedEveryRequestChecksTheDatabase() {
        generation.set(0);
        decoder.decode(token);
        decoder.decode(token);
        decoder.decode(token);
        assertThat(checks).hasValue(3);
        revoked.set(true);
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtValidationException.class);
    }

    @Test
    void aReconnectedFeedChecksEveryTokenAgainOnce() {
        generation.set(1);
        decoder.decode(token);
        // Messages sent while the listener was away are lost: generation 2 trusts nothing cached under 1.
        generation.set(2);
        decoder.decode(token);
        decoder.decode(token);
        assertThat(checks).hasValue(2);
    }

    @Test
    void aTamperedTokenIsRejectedEvenAfterTheGenuineOneWasCached() {
        generation.set(1);
        decoder.decode(token);
        String[] parts = token.split("\\.", -1);
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        assertThatThrownBy(() -> decoder.decode(tampered))
                .isInstanceOf(org.springframework.security.oauth2.jwt.JwtException.class);
    }

    private String issue(UUID session) {
        AccessTokens tokens = new AccessTokens(new SecurityConfiguration().jwtEncoder(keys), keys, properties);
        return tokens.issue(
                        new UserAccount(
                                UUID.randomUUID(),
                                "cached",
                                null,
                                null,
                                "{bcrypt}x",
                                null,
                                true,
                                0,
                                null,
                                null,
                                Instant.now(),
                                Instant.now(),
                                Set.of(Role.EMPLOYEE)),
                        session,
                        Instant.now())
                .value();
    }

    private static SecurityProperties properties() {
        SecurityProperties defaults = PasswordsTest.properties(12);
        SecurityProperties.Jwt jwt = new SecurityProperties.Jwt(
                "employee-api",
                "employee-api",
                Duration.ofMinutes(15),
                Duration.ofDays(7),
                Duration.ofSeconds(30),
                TestJwtKeys.CURRENT.privateKeyPem(),
                TestJwtKeys.CURRENT.publicKeyPem(),
                null);
        return new SecurityProperties(
                jwt,
                defaults.lockout(),
                defaults.password(),
                false,
                defaults.bootstrapAdmin(),
                defaults.cleanupInterval());
    }
}
