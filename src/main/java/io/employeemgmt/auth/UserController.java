package io.employeemgmt.auth;

import io.employeemgmt.platform.PageRequest;
import io.employeemgmt.platform.PageResponse;
import io.employeemgmt.platform.SortOrder;
import io.employeemgmt.platform.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.UUID;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users", description = "User accounts, roles and employee links (ADMIN)")
class UserController {

    private final UserAdminService users;

    UserController(UserAdminService users) {
        this.users = users;
    }

    // Documents the status the method answers with (springdoc reads it; ResponseEntity sets the same).
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping
    @Operation(summary = "Create a user with roles, optionally linked to an employee record")
    ResponseEntity<UserResponse> create(@Valid @RequestBody AccountRequests.CreateUserRequest request) {
        UserResponse created = users.create(request);
        return ResponseEntity.created(URI.create("/api/v1/users/" + created.id()))
                .body(created);
    }

    @GetMapping
    @Operation(summary = "List users")
    PageResponse<UserResponse> list(
            @Parameter(description = "Text in username, email or display name")
                    @RequestParam(required = false)
                    @Size(max = 100)
                    String q,
            @RequestParam(required = false) Role role,
            @RequestParam(required = false) Boolean enabled,
            @Valid @ParameterObject PageRequest page) {
        if (page.cursor() != null && !page.cursor().isBlank()) {
            throw io.employeemgmt.platform.ApiException.badRequest("cursor", "this list supports offset paging only");
        }
        SortOrder sort = SortOrder.parse(page.sort(), UserAdminService.SORTS, "username");
        String query = q == null || q.isBlank() ? null : q.strip();
        return users.list(
                new UserRepository.Filter(query, role, enabled),
                sort,
                page.pageOrZero(),
                page.sizeOrDefault(),
                page.offset());
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a user")
    UserResponse get(@PathVariable UUID id) {
        return users.get(id);
    }

    @PutMapping("/{id}/roles")
    @Operation(summary = "Replace the user's roles; ends the user's sessions so the new roles apply at once")
    UserResponse setRoles(@PathVariable UUID id, @Valid @RequestBody AccountRequests.RolesRequest request) {
        return users.setRoles(id, request.roles());
    }

    @PutMapping("/{id}/employee")
    @Operation(summary = "Link the user to an employee record (or unlink with null); ends the user's sessions")
    UserResponse linkEmployee(@PathVariable UUID id, @Valid @RequestBody AccountRequests.EmployeeLinkRequest request) {
        return users.linkEmployee(id, request.employeeNumber());
    }

    @PostMapping("/{id}/disable")
    @Operation(summary = "Disable the user: login is refused and all sessions end")
    UserResponse disable(@PathVariable UUID id) {
        return users.disable(id);
    }

    @PostMapping("/{id}/enable")
    @Operation(summary = "Enable a disabled user")
    UserResponse enable(@PathVariable UUID id) {
        return users.enable(id);
    }

    @PostMapping("/{id}/unlock")
    @Operation(summary = "Lift a lockout after failed logins")
    UserResponse unlock(@PathVariable UUID id) {
        return users.unlock(id);
    }

    @PostMapping("/{id}/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Set a new password for the user; ends the user's sessions")
    void resetPassword(@PathVariable UUID id, @Valid @RequestBody AccountRequests.PasswordResetRequest request) {
        users.resetPassword(id, request.newPassword());
    }
}
