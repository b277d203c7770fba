package io.employeemgmt.auth;

import io.employeemgmt.platform.security.Role;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;

/**
 * Checks a token whose signature Nimbus has verified: type {@code at+jwt}, issuer, audience, exp and nbf (both
 * required) and the claims this service relies on. Revocation is checked afterwards by {@link AccessTokenDecoder}.
 */
final class AccessTokenValidator implements OAuth2TokenValidator<Jwt> {

    private final OAuth2TokenValidator<Jwt> claims;

    @SuppressWarnings("PMD.UseDiamondOperator") // the explicit claim types: inferred from the lambdas they'd be Object
    AccessTokenValidator(SecurityProperties.Jwt config) {
        this.claims = new DelegatingOAuth2TokenValidator<>(List.of(
                timestamps(config.clockSkew()),
                new JwtTypeValidator(AccessTokens.TYPE),
                new JwtIssuerValidator(config.issuer()),
                new JwtClaimValidator<List<String>>(
                        JwtClaimNames.AUD, audience -> audience != null && audience.contains(config.audience())),
                new JwtClaimValidator<String>(JwtClaimNames.SUB, AccessTokenValidator::isUuid),
                new JwtClaimValidator<String>(AccessTokens.SESSION, AccessTokenValidator::isUuid),
                new JwtClaimValidator<String>(
                        JwtClaimNames.JTI, id -> id != null && !id.isBlank() && id.length() <= 64),
                new JwtClaimValidator<String>(AccessTokens.USERNAME, Objects::nonNull),
                new JwtClaimValidator<List<String>>(AccessTokens.ROLES, AccessTokenValidator::knownRoles)));
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        return claims.validate(token);
    }

    private static JwtTimestampValidator timestamps(Duration clockSkew) {
        JwtTimestampValidator validator = new JwtTimestampValidator(clockSkew);
        validator.setAllowEmptyExpiryClaim(false);
        validator.setAllowEmptyNotBeforeClaim(false);
        return validator;
    }

    private static boolean isUuid(String value) {
        if (value == null) {
            return false;
        }
        try {
            UUID.fromString(value);
            return value.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean knownRoles(List<String> roles) {
        return roles != null
                && roles.stream()
                        .allMatch(role -> Arrays.stream(Role.values())
                                .anyMatch(r -> r.name().equals(role)));
    }
}
