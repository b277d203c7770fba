package io.employeemgmt.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.employeemgmt.platform.ProblemWriter;
import io.employeemgmt.platform.security.ProblemAuthenticationEntryPoint;
import io.employeemgmt.platform.security.Role;
import io.employeemgmt.support.TestJwtKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import tools.jackson.databind.json.JsonMapper;

/**
 * When the revocation state cannot be read (database down) a token is neither accepted nor called invalid: the
 * caller gets 503 problem+json, like every other request that needs the database.
 */
class RevocationUnavailableTest {

    @Test
    void anUnreadableDenyListAnswers503() throws Exception {
        SecurityProperties defaults = PasswordsTest.properties(12);
        SecurityProperties.Jwt jwt = new SecurityProperties.Jwt(
                "employee-api",
                "employee-api",
                Duration.ofMinutes(15),
                Duration.ofDays(7),
                Duration.ofSeconds(30),
                TestJwtKeys.CURRENT.privateKeyPem(),
                TestJwtKeys.CURRENT.publicKeyPem(),
                null);
        SecurityProperties properties = new SecurityProperties(
                jwt,
                defaults.lockout(),
                defaults.password(),
                false,
                defaults.bootstrapAdmin(),
                defaults.cleanupInterval());
        JwtKeys keys = JwtKeys.from(jwt);
        AccessTokens tokens = new AccessTokens(new SecurityConfiguration().jwtEncoder(keys), keys, properties);
        String token = tokens.issue(
                        new UserAccount(
                                UUID.randomUUID(),
                                "down",
                                null,
                                null,
                                "{bcrypt}x",
                                null,
                                true,
                                0,
                                null,
                                null,
                                Instant.now(),
                                Instant.now(),
                                Set.of(Role.EMPLOYEE)),
                        UUID.randomUUID(),
                        Instant.now())
                .value();
        var decoder = SecurityConfiguration.decoder(keys, jwt, (jti, sid) -> {
            throw new DataAccessResourceFailureException("connection refused");
        });
        InternalAuthenticationServiceException failure = org.assertj.core.api.Assertions.catchThrowableOfType(
                InternalAuthenticationServiceException.class, () -> decoder.decode(token));
        assertThat(failure).isNotNull();

        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/auth/me");
        MockHttpServletResponse response = new MockHttpServletResponse();
        new ProblemAuthenticationEntryPoint(
                        new ProblemWriter(JsonMapper.builder().build()))
                .commence(request, response, failure);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(response.getContentAsString())
                .contains("\"status\":503")
                .contains("could not be checked")
                .contains("\"instance\":\"/api/v1/auth/me\"");
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(InternalAuthenticationServiceException.class);
    }
}
