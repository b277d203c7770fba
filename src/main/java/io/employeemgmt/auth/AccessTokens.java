package io.employeemgmt.auth;

import io.employeemgmt.platform.security.Role;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

/**
 * Signs access tokens (RFC 9068 shape: header {@code typ: at+jwt}) with Nimbus through Spring Security's
 * {@link JwtEncoder}. Claims: iss, aud, sub (user id), preferred_username, roles, emp_no, sid (session), jti, iat,
 * nbf, exp.
 */
@Component
class AccessTokens {

    static final String TYPE = "at+jwt";
    static final String ROLES = "roles";
    static final String USERNAME = "preferred_username";
    static final String EMPLOYEE_NUMBER = "emp_no";
    static final String SESSION = "sid";

    record Issued(String value, String id, Instant expiresAt) {}

    private final JwtEncoder encoder;
    private final JwtKeys keys;
    private final SecurityProperties.Jwt config;

    AccessTokens(JwtEncoder encoder, JwtKeys keys, SecurityProperties properties) {
        this.encoder = encoder;
        this.keys = keys;
        this.config = properties.jwt();
    }

    Issued issue(UserAccount user, UUID sessionId, Instant now) {
        String id = UUID.randomUUID().toString();
        Instant expiresAt = now.plus(config.accessTokenTtl());
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(config.issuer())
                .audience(List.of(config.audience()))
                .subject(user.id().toString())
                .claim(USERNAME, user.username())
                .claim(ROLES, user.roles().stream().sorted().map(Role::name).toList())
                .claim(SESSION, sessionId.toString())
                .id(id)
                .issuedAt(now)
                .notBefore(now)
                .expiresAt(expiresAt);
        if (user.employeeNumber() != null) {
            claims.claim(EMPLOYEE_NUMBER, user.employeeNumber());
        }
        JwsHeader header = JwsHeader.with(
                        SignatureAlgorithm.from(keys.signingAlgorithm().getName()))
                .keyId(keys.signingKey().getKeyID())
                .type(TYPE)
                .build();
        String value = encoder.encode(JwtEncoderParameters.from(header, claims.build()))
                .getTokenValue();
        return new Issued(value, id, expiresAt);
    }

    long ttlSeconds() {
        return config.accessTokenTtl().toSeconds();
    }
}
