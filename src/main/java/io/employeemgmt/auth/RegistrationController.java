package io.employeemgmt.auth;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Self-registration: exists only when employee-mgmt.security.self-registration-enabled is true (default false). */
@RestController
@ConditionalOnBooleanProperty("employee-mgmt.security.self-registration-enabled")
@Tag(name = "Authentication")
class RegistrationController {

    private final AccountService accounts;

    RegistrationController(AccountService accounts) {
        this.accounts = accounts;
    }

    // Documents the status the method answers with (springdoc reads it; ResponseEntity sets the same).
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping("/api/v1/auth/register")
    @Operation(
            summary = "Create your own account (role EMPLOYEE, not linked to an employee record)",
            description = "Available only when self-registration is enabled in the configuration.")
    ResponseEntity<UserResponse> register(@Valid @RequestBody AccountRequests.RegisterRequest request) {
        UserResponse created = accounts.register(request);
        return ResponseEntity.created(URI.create("/api/v1/users/" + created.id()))
                .body(created);
    }
}
