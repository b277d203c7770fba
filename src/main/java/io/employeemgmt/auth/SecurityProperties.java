package io.employeemgmt.auth;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code employee-mgmt.security.*}. Defaults live in application.yml (one source of truth); operators override them
 * with environment variables in Spring's relaxed form.
 */
@Validated
@ConfigurationProperties("employee-mgmt.security")
record SecurityProperties(
        @Valid @NotNull Jwt jwt,
        @Valid @NotNull Lockout lockout,
        @Valid @NotNull Password password,
        boolean selfRegistrationEnabled,
        @Valid @NotNull BootstrapAdmin bootstrapAdmin,
        @NotNull Duration cleanupInterval) {

    /**
     * Token settings. {@code privateKey}/{@code publicKey}: the signing key pair as PEM (PKCS#8 and X.509
     * SubjectPublicKeyInfo), EC P-256 (ES256) or RSA (RS256); both empty means a key generated at start-up (dev
     * runs and tests only).
     * {@code previousPublicKeys}: PEM public keys of retired signing keys still accepted (key rotation).
     */
    record Jwt(
            @NotBlank String issuer,
            @NotBlank String audience,
            @NotNull Duration accessTokenTtl,
            @NotNull Duration refreshTokenTtl,
            @NotNull Duration clockSkew,
            @Nullable String privateKey,
            @Nullable String publicKey,
            @Nullable String previousPublicKeys) {}

    record Lockout(@Min(1) int maxFailedAttempts, @NotNull Duration duration) {}

    record Password(
            @Min(8) @Max(72) int minLength, @Min(4) @Max(31) int bcryptStrength) {}

    /**
     * The administrator created at start-up when no user holds ADMIN: with {@code password} when set, otherwise
     * with a generated password printed once when {@code generatePassword} is true (the dev run).
     */
    record BootstrapAdmin(
            @NotBlank String username,
            @Nullable String email,
            @Nullable String password,
            boolean generatePassword) {}
}
