package io.employeemgmt.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import io.employeemgmt.platform.security.Role;
import io.employeemgmt.support.TestJwtKeys;
import io.employeemgmt.support.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;

/**
 * The deployment generates an RSA key pair (deploy/create-secrets.sh): tokens are then RS256, built and checked by
 * the same encoder and decoder the application uses, and the HS256-with-the-public-key confusion still fails.
 */
class Rs256TokenTest {

    private final String[] rsa;
    private final SecurityProperties properties;
    private final JwtKeys keys;
    private final AtomicBoolean revoked = new AtomicBoolean();
    private final JwtDecoder decoder;
    private final AccessTokens tokens;

    Rs256TokenTest() throws Exception {
        rsa = JwtKeysTest.rsaPem(3072);
        SecurityProperties defaults = PasswordsTest.properties(12);
        properties = new SecurityProperties(
                new SecurityProperties.Jwt(
                        "employee-api",
                        "employee-api",
                        Duration.ofMinutes(15),
                        Duration.ofDays(7),
                        Duration.ofSeconds(30),
                        rsa[0],
                        rsa[1],
                        null),
                defaults.lockout(),
                defaults.password(),
                false,
                defaults.bootstrapAdmin(),
                defaults.cleanupInterval());
        keys = JwtKeys.from(properties.jwt());
        JwtEncoder encoder = new SecurityConfiguration().jwtEncoder(keys);
        tokens = new AccessTokens(encoder, keys, properties);
        decoder = SecurityConfiguration.decoder(keys, properties.jwt(), (jti, sid) -> revoked.get());
    }

    private String issue() {
        UserAccount user = new UserAccount(
                UUID.randomUUID(),
                "rsa-user",
                null,
                null,
                "{bcrypt}x",
                10001L,
                true,
                0,
                null,
                null,
                Instant.now(),
                Instant.now(),
                Set.of(Role.EMPLOYEE));
        return tokens.issue(user, UUID.randomUUID(), Instant.now()).value();
    }

    @Test
    void rs256TokensRoundTrip() {
        String token = issue();
        assertThat(token.substring(0, token.indexOf('.'))).isNotEmpty();
        Jwt jwt = decoder.decode(token);
        assertThat(jwt.getHeaders()).containsEntry("alg", "RS256").containsEntry("typ", "at+jwt");
        assertThat(jwt.getHeaders().get("kid")).isEqualTo(keys.signingKey().getKeyID());
        assertThat(jwt.getClaimAsStringList("roles")).containsExactly("EMPLOYEE");
        assertThat(jwt.getClaims()).containsEntry("emp_no", 10001L);
        revoked.set(true);
        assertThatThrownBy(() -> decoder.decode(token))
                .isInstanceOf(BadJwtException.class)
                .hasMessageContaining("revoked");
    }

    @Test
    void hmacWithTheRsaPublicKeyAndUnsignedTokensAreRejected() {
        JWTClaimsSet claims = TestTokens.claims(issue());
        String kid = keys.signingKey().getKeyID();
        assertThatThrownBy(() ->
                        decoder.decode(TestTokens.hmacSigned(rsa[1].getBytes(StandardCharsets.US_ASCII), kid, claims)))
                .isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode(TestTokens.unsigned(claims))).isInstanceOf(BadJwtException.class);
        // An ES256 token is refused when only an RSA key is configured, even with a valid EC signature.
        assertThatThrownBy(() -> decoder.decode(TestTokens.signed(TestJwtKeys.CURRENT, claims)))
                .isInstanceOf(BadJwtException.class);
    }
}
