package io.employeemgmt.auth;

import io.employeemgmt.platform.ApiException;
import io.employeemgmt.platform.security.AuthenticatedUser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "Authentication", description = "Log in, refresh and revoke tokens, manage your own account")
class AuthController {

    private final LoginService login;
    private final SessionService sessions;
    private final AccountService accounts;
    private final JwtKeys keys;

    AuthController(LoginService login, SessionService sessions, AccountService accounts, JwtKeys keys) {
        this.login = login;
        this.sessions = sessions;
        this.accounts = accounts;
        this.keys = keys;
    }

    @PostMapping("/login")
    @Operation(
            summary = "Log in with username or email and password",
            description = "Returns a 15-minute access token and a 7-day single-use refresh token. Wrong password,"
                    + " unknown user, disabled and locked accounts all get the same 401. Five failed attempts lock"
                    + " the account for 15 minutes.")
    ResponseEntity<TokenResponse> login(
            @Valid @RequestBody AccountRequests.LoginRequest request, HttpServletRequest http) {
        return noStore(login.login(request.username().strip(), request.password(), ClientInfo.of(http)));
    }

    @PostMapping("/refresh")
    @Operation(
            summary = "Exchange a refresh token for new tokens",
            description = "The refresh token is single use: the response carries its replacement. Presenting a"
                    + " refresh token that was already exchanged ends its session (all tokens of that login).")
    ResponseEntity<TokenResponse> refresh(@Valid @RequestBody AccountRequests.RefreshRequest request) {
        return switch (sessions.refresh(request.refreshToken())) {
            case SessionService.RefreshOutcome.Refreshed refreshed -> noStore(refreshed.tokens());
            case SessionService.RefreshOutcome.Rejected rejected -> throw invalidRefreshToken();
            case SessionService.RefreshOutcome.ReuseDetected reused -> throw invalidRefreshToken();
        };
    }

    @PostMapping("/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "End this session: revokes its refresh token and the access token used for this call")
    void logout(@AuthenticationPrincipal AuthenticatedUser caller) {
        sessions.logout(caller);
    }

    @GetMapping("/me")
    @Operation(summary = "Your own account")
    UserResponse me(@AuthenticationPrincipal AuthenticatedUser caller) {
        return accounts.me(caller);
    }

    @PutMapping("/me")
    @Operation(
            summary = "Update your email and display name",
            description = "Replaces both fields. Changing the email requires currentPassword.")
    UserResponse updateMe(
            @AuthenticationPrincipal AuthenticatedUser caller,
            @Valid @RequestBody AccountRequests.UpdateProfileRequest request) {
        return accounts.updateProfile(caller, request);
    }

    @PostMapping("/change-password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(
            summary = "Change your password",
            description = "Ends all your other sessions. At least 12 characters, not containing your username,"
                    + " not a common password.")
    void changePassword(
            @AuthenticationPrincipal AuthenticatedUser caller,
            @Valid @RequestBody AccountRequests.ChangePasswordRequest request) {
        accounts.changePassword(caller, request);
    }

    @GetMapping("/jwks")
    @Operation(summary = "Public keys that verify the access tokens (JWK Set, RFC 7517)")
    ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok()
                .cacheControl(
                        CacheControl.maxAge(java.time.Duration.ofMinutes(5)).cachePublic())
                .body(keys.verificationKeys().toJSONObject(true));
    }

    private static ResponseEntity<TokenResponse> noStore(TokenResponse tokens) {
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .header("Pragma", "no-cache")
                .body(tokens);
    }

    private static ApiException invalidRefreshToken() {
        return new ApiException(
                HttpStatus.UNAUTHORIZED, "The refresh token is invalid, expired or revoked; log in again", List.of());
    }
}
