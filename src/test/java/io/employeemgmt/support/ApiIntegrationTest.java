package io.employeemgmt.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.platform.security.Role;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base for tests that call the running application over HTTP with real tokens. All subclasses share one
 * application context (identical configuration) on the JVM's embedded PostgreSQL, signing with
 * {@link TestJwtKeys#CURRENT} and accepting {@link TestJwtKeys#RETIRED}; the first administrator is
 * {@code admin} / {@link #ADMIN_PASSWORD}. Users created by tests get unique names, since the database is shared by
 * every test class of the run.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            // Whichever context starts first on the shared database seeds it (the loader fills only an empty
            // database), so tests that hire people never leave the demo-data tests an unseeded database.
            "employee-mgmt.demo-data.enabled=true",
            "employee-mgmt.security.bootstrap-admin.password=" + ApiIntegrationTest.ADMIN_PASSWORD
        })
public abstract class ApiIntegrationTest {

    /** Test-only credential of the bootstrap administrator. */
    public static final String ADMIN_PASSWORD = "Integration-Boss-Pass-42";

    public static final String ADMIN = "admin";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @LocalServerPort
    protected int port;

    protected TokenApiClient api;

    /** A user created through the admin API. */
    public record TestUser(UUID id, String username, String email, String password) {}

    @DynamicPropertySource
    static void jwtKeys(DynamicPropertyRegistry registry) {
        registry.add("employee-mgmt.security.jwt.private-key", TestJwtKeys.CURRENT::privateKeyPem);
        registry.add("employee-mgmt.security.jwt.public-key", TestJwtKeys.CURRENT::publicKeyPem);
        registry.add("employee-mgmt.security.jwt.previous-public-keys", TestJwtKeys.RETIRED::publicKeyPem);
    }

    @BeforeEach
    void apiClient() {
        api = new TokenApiClient(port);
    }

    /** Logs in and returns the token response; fails the test unless the login succeeds. */
    protected TokenApiClient.Response loginResponse(String username, String password) {
        TokenApiClient.Response response =
                api.post("/api/v1/auth/login", Map.of("username", username, "password", password), null);
        assertThat(response.status()).as("login of %s: %s", username, response).isEqualTo(200);
        return response;
    }

    protected String login(String username, String password) {
        return loginResponse(username, password).text("accessToken");
    }

    protected String adminToken() {
        return login(ADMIN, ADMIN_PASSWORD);
    }

    /** Creates a user with a unique username and the given roles; returns its credentials. */
    protected TestUser createUser(String prefix, Role... roles) {
        String username = prefix + "-" + SEQUENCE.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
        String password = "Pw-" + UUID.randomUUID();
        String email = username + "@example.test";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("email", email);
        body.put("password", password);
        body.put("roles", Arrays.stream(roles).map(Role::name).toList());
        TokenApiClient.Response created = api.post("/api/v1/users", body, adminToken());
        assertThat(created.status()).as("create user: %s", created).isEqualTo(201);
        return new TestUser(UUID.fromString(created.text("id")), username, email, password);
    }

    /** An access token of a new user holding exactly {@code roles}. */
    protected String tokenFor(Role... roles) {
        TestUser user = createUser(
                "u-"
                        + String.join("-", Arrays.stream(roles).map(Role::name).toList())
                                .toLowerCase(Locale.ROOT),
                roles);
        return login(user.username(), user.password());
    }

    protected static List<String> names(Role... roles) {
        return Arrays.stream(roles).map(Role::name).toList();
    }
}
