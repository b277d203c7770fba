package io.employeemgmt.auth;

import io.swagger.v3.oas.annotations.media.Schema;

/** Tokens issued by login and refresh. Send the access token as {@code Authorization: Bearer <accessToken>}. */
public record TokenResponse(
        @Schema(example = "Bearer") String tokenType,

        @Schema(description = "JWT (ES256 or RS256) for the Authorization header")
        String accessToken,

        @Schema(description = "Seconds until the access token expires", example = "900")
        long expiresIn,

        @Schema(
                description = "Opaque; exchange it at POST /api/v1/auth/refresh. Single use: each refresh returns a"
                        + " new one, and presenting a used one again ends the session")
        String refreshToken,

        @Schema(description = "Seconds until the refresh token expires", example = "604800")
        long refreshExpiresIn) {}
