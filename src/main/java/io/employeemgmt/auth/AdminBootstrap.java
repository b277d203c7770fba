package io.employeemgmt.auth;

import io.employeemgmt.audit.AuditActor;
import io.employeemgmt.audit.AuditLog;
import io.employeemgmt.platform.security.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
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
    private volatile @Nullable String generatedPassword;

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
                    java.util.Map.of("username", config.username(), "roles", List.of(Role.ADMIN), "bootstrap", true));
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
            generatedPassword = password;
        }
    }

    /**
     * The dev run's last words, once start-up (demo data included) is done: where the console is and, on the start
     * that created the administrator, the generated password - so a newcomer finds both at the bottom of the
     * terminal. Only where passwords are generated (the dev run); other environments log as usual.
     */
    @EventListener(ApplicationReadyEvent.class)
    @Order(Ordered.LOWEST_PRECEDENCE)
    @SuppressWarnings("PMD.SystemPrintln") // the generated password goes to the terminal once, never into the log
    void printWhereToSignIn(ApplicationReadyEvent event) {
        if (!config.generatePassword()) {
            return;
        }
        String base = "http://localhost:"
                + event.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080");
        String password = generatedPassword;
        generatedPassword = null;
        boolean fromEnvironment =
                config.password() != null && !config.password().isBlank();
        System.out.println(banner(base, config.username(), password, fromEnvironment));
    }

    static String banner(String base, String username, @Nullable String password, boolean fromEnvironment) {
        String line = "=".repeat(76);
        List<String> lines = new ArrayList<>();
        lines.add(line);
        lines.add(" employee-mgmt is running.");
        lines.add("   Web console: " + base + "/console");
        lines.add("   Swagger UI:  " + base + "/api/v1/docs");
        if (password == null) {
            lines.add(" Sign in as '" + username + "' with "
                    + (fromEnvironment
                            ? "the password in EMPLOYEE_MGMT_ADMIN_PASSWORD."
                            : "the password printed when it was created (rm -rf data starts over)."));
        } else {
            lines.add(" Development administrator created (shown only this once; stored as a hash):");
            lines.add("   username: " + username);
            lines.add("   password: " + password);
        }
        lines.add(line);
        return String.join(System.lineSeparator(), lines);
    }
}
