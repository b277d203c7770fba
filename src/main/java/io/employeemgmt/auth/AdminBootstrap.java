package io.employeemgmt.auth;

import io.employeemgmt.audit.AuditActor;
import io.employeemgmt.audit.AuditLog;
import io.employeemgmt.platform.security.Role;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the first administrator when no user holds ADMIN, before the application reports ready. The password
 * comes from {@code EMPLOYEE_MGMT_ADMIN_PASSWORD}; without it, the dev run (bootstrap-admin.generate-password)
 * generates one and prints it once on standard output - it is stored only as a hash and never logged. Replicas
 * starting together serialise on an advisory lock, so exactly one administrator is created.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserRepository users;
    private final Passwords passwords;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final SecurityProperties.BootstrapAdmin config;

    AdminBootstrap(
            UserRepository users,
            Passwords passwords,
            AuditLog audit,
            TransactionTemplate transaction,
            SecurityProperties properties) {
        this.users = users;
        this.passwords = passwords;
        this.audit = audit;
        this.transaction = transaction;
        this.config = properties.bootstrapAdmin();
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.anyAdministrator()) {
            return;
        }
        boolean configured = config.password() != null && !config.password().isBlank();
        if (!configured && !config.generatePassword()) {
            log.warn(
                    "No user has the ADMIN role and EMPLOYEE_MGMT_ADMIN_PASSWORD is not set: nobody can manage"
                            + " users. Set it (at least 12 characters) and restart to create the administrator '{}'.",
                    config.username());
            return;
        }
        String email = config.email() == null || config.email().isBlank()
                ? null
                : config.email().strip();
        if (!AccountRequests.USERNAME.matcher(config.username()).matches()) {
            throw new IllegalStateException(
                    "employee-mgmt.security.bootstrap-admin.username must match " + AccountRequests.USERNAME.pattern());
        }
        String password = configured ? config.password() : Passwords.generate();
        try {
            passwords.requireAcceptable("EMPLOYEE_MGMT_ADMIN_PASSWORD", password, config.username(), email);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "The bootstrap administrator password is not acceptable: " + e.getMessage(), e);
        }
        String hash = passwords.hash(password);
        Boolean created = transaction.execute(status -> {
            users.lockAdministrators();
            if (users.anyAdministrator()) {
                return false;
            }
            UUID id = users.insert(
                    new UserRepository.NewUser(
                            config.username(), email, "Administrator", hash, null, Set.of(Role.ADMIN)),
                    "system");
            audit.record(
                    AuditActor.SYSTEM,
                    "USER_CREATED",
                    "USER",
                    id,
                    null,
                    java.util.Map.of(
                            "username", config.username(), "roles", java.util.List.of(Role.ADMIN), "bootstrap", true));
            return true;
        });
        if (!Boolean.TRUE.equals(created)) {
            return;
        }
        if (configured) {
            log.info(
                    "Created the administrator '{}' with the password from EMPLOYEE_MGMT_ADMIN_PASSWORD",
                    config.username());
        } else {
            log.warn(
                    "Created the administrator '{}' with a generated password, printed once on standard output",
                    config.username());
            // The generated password goes to the console once, never into the shipped, retained log.
            System.out.println(banner(config.username(), password)); // NOPMD - SystemPrintln, see above
        }
    }

    private static String banner(String username, String password) {
        String line = "=".repeat(76);
        return String.join(
                System.lineSeparator(),
                line,
                " Development administrator created (shown only this once; stored as a hash):",
                "   username: " + username,
                "   password: " + password,
                " Log in:  curl -s -X POST localhost:8080/api/v1/auth/login -H 'Content-Type: application/json' \\",
                "            -d '{\"username\":\"" + username + "\",\"password\":\"<password>\"}'",
                " Swagger UI: /api/v1/docs -> Authorize -> paste the accessToken",
                line);
    }
}
