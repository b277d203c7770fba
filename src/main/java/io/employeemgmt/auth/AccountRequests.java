package io.employeemgmt.auth;

import io.employeemgmt.platform.security.Role;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Request bodies of /api/v1/auth and /api/v1/users. Password fields are never echoed in responses or errors. */
final class AccountRequests {

    static final String USERNAME_REGEX = "^[A-Za-z0-9._-]{3,64}$";
    static final java.util.regex.Pattern USERNAME = java.util.regex.Pattern.compile(USERNAME_REGEX);
    static final String USERNAME_RULE = "may contain only letters, digits, '.', '_' and '-' (3 to 64 characters)";

    private AccountRequests() {}

    public record LoginRequest(
            @Schema(description = "Username or email address", example = "admin") @NotBlank @Size(max = 254)
            String username,

            @NotBlank @Size(max = 1024) String password) {}

    public record RefreshRequest(@NotBlank @Size(max = 128) String refreshToken) {}

    public record ChangePasswordRequest(
            @NotBlank @Size(max = 1024) String currentPassword,
            @NotBlank @Size(max = 1024) String newPassword) {}

    public record UpdateProfileRequest(
            @Schema(description = "New email address; changing it requires currentPassword")
            @Email
            @Size(max = 254)
            @Nullable
            String email,

            @Size(max = 100) @Nullable String displayName,

            @Schema(description = "Required when the email changes") @Size(max = 1024) @Nullable
            String currentPassword) {}

    public record RegisterRequest(
            @Schema(example = "jdoe") @NotNull @Pattern(regexp = USERNAME_REGEX, message = USERNAME_RULE)
            String username,

            @NotBlank @Email @Size(max = 254) String email,
            @Size(max = 100) @Nullable String displayName,
            @NotBlank @Size(max = 1024) String password) {}

    public record CreateUserRequest(
            @Schema(example = "jdoe") @NotNull @Pattern(regexp = USERNAME_REGEX, message = USERNAME_RULE)
            String username,

            @Email @Size(max = 254) @Nullable String email,
            @Size(max = 100) @Nullable String displayName,
            @NotBlank @Size(max = 1024) String password,
            @NotEmpty Set<@NotNull Role> roles,

            @Schema(description = "Employee record (emp_no) to link the user to") @Positive @Nullable
            Long employeeNumber) {}

    public record RolesRequest(@NotEmpty Set<@NotNull Role> roles) {}

    public record EmployeeLinkRequest(
            @Schema(description = "emp_no to link, or null to unlink") @Positive @Nullable
            Long employeeNumber) {}

    public record PasswordResetRequest(
            @NotBlank @Size(max = 1024) String newPassword) {}
}
