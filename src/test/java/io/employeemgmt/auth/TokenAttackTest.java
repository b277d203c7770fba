package io.employeemgmt.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import io.employeemgmt.platform.security.Role;
import io.employeemgmt.support.ApiIntegrationTest;
import io.employeemgmt.support.TestJwtKeys;
import io.employeemgmt.support.TestTokens;
import io.employeemgmt.support.TokenApiClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Forged and broken access tokens are refused with 401 problem+json. Each attack starts from the claims of a real,
 * working token, and a control signed correctly from the same claims is accepted - so a 401 is caused by the flaw
 * under test, not by something else in the token.
 */
class TokenAttackTest extends ApiIntegrationTest {

    private static final String ME = "/api/v1/auth/me";

    private String employeeToken;
    private JWTClaimsSet genuine;

    @BeforeEach
    void realToken() {
        employeeToken = tokenFor(Role.EMPLOYEE);
        genuine = TestTokens.claims(employeeToken);
    }

    @Test
    void genuineTokenAndCorrectlyResignedClaimsAreAccepted() {
        assertThat(api.get(ME, employeeToken).status()).isEqualTo(200);
        assertThat(api.get(ME, TestTokens.signed(TestJwtKeys.CURRENT, genuine)).status())
                .isEqualTo(200);
    }

    @Test
    void missingTokenIsAskedForWithBearerChallenge() {
        TokenApiClient.Response response = api.get(ME, null);
        assertUnauthorized(response);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(response.text("detail")).contains("Authorization: Bearer");
    }

    @Test
    void algNoneIsRejected() {
        String token = TestTokens.unsigned(genuine);
        assertThat(token.split("\\.", -1)[2]).isEmpty();
        TokenApiClient.Response response = api.get(ME, token);
        assertInvalidToken(response);
        assertThat(response.text("detail")).contains("none");
    }

    @Test
    void hmacSignedWithThePublicKeyIsRejected() {
        String kid = TestJwtKeys.CURRENT.jwk().getKeyID();
        // The classic confusion: the verifier's public key, as DER bytes or as the PEM text, used as HMAC secret.
        TokenApiClient.Response response =
                api.get(ME, TestTokens.hmacSigned(TestJwtKeys.CURRENT.publicKeyDer(), kid, genuine));
        assertInvalidToken(response);
        assertThat(response.text("detail")).containsIgnoringCase("algorithm");
        byte[] pem = TestJwtKeys.CURRENT.publicKeyPem().getBytes(StandardCharsets.US_ASCII);
        assertInvalidToken(api.get(ME, TestTokens.hmacSigned(pem, kid, genuine)));
    }

    @Test
    void tamperedPayloadIsRejected() {
        assertThat(api.get("/api/v1/users", employeeToken).status()).isEqualTo(403);
        String escalated = TestTokens.tampered(employeeToken, payload -> payload.put("roles", List.of("ADMIN")));
        TokenApiClient.Response response = api.get("/api/v1/users", escalated);
        assertInvalidToken(response);
        assertThat(response.text("detail")).containsIgnoringCase("signature");
    }

    @Test
    void expiredTokenIsRejected() {
        Instant past = Instant.now().minus(2, ChronoUnit.HOURS);
        String token = TestTokens.signed(
                TestJwtKeys.CURRENT,
                with(claims -> new JWTClaimsSet.Builder(claims)
                        .issueTime(Date.from(past))
                        .notBeforeTime(Date.from(past))
                        .expirationTime(Date.from(past.plus(15, ChronoUnit.MINUTES)))
                        .build()));
        TokenApiClient.Response response = api.get(ME, token);
        assertInvalidToken(response);
        assertThat(response.text("detail")).containsIgnoringCase("expired");
    }

    @Test
    void wrongAudienceIsRejected() {
        String token = TestTokens.signed(
                TestJwtKeys.CURRENT,
                with(claims -> new JWTClaimsSet.Builder(claims)
                        .audience("some-other-api")
                        .build()));
        TokenApiClient.Response response = api.get(ME, token);
        assertInvalidToken(response);
        assertThat(response.text("detail")).contains("aud");
    }

    @Test
    void otherFlawsAreRejected() {
        // Signed by a key the service does not know, even with the service's kid.
        assertInvalidToken(api.get(ME, TestTokens.signed(TestJwtKeys.FOREIGN, genuine)));
        // Wrong issuer.
        assertInvalidToken(api.get(
                ME,
                TestTokens.signed(
                        TestJwtKeys.CURRENT,
                        with(claims -> new JWTClaimsSet.Builder(claims)
                                .issuer("https://evil.example")
                                .build()))));
        // Not an access token (typ JWT instead of at+jwt).
        assertInvalidToken(api.get(ME, TestTokens.signed(TestJwtKeys.CURRENT, JOSEObjectType.JWT, genuine)));
        // Not valid yet.
        Instant later = Instant.now().plus(1, ChronoUnit.HOURS);
        assertInvalidToken(api.get(
                ME,
                TestTokens.signed(
                        TestJwtKeys.CURRENT,
                        with(claims -> new JWTClaimsSet.Builder(claims)
                                .notBeforeTime(Date.from(later))
                                .build()))));
        // No expiry at all.
        assertInvalidToken(api.get(
                ME,
                TestTokens.signed(
                        TestJwtKeys.CURRENT,
                        with(claims -> new JWTClaimsSet.Builder(claims)
                                .expirationTime(null)
                                .build()))));
        // A session that does not exist.
        assertInvalidToken(api.get(
                ME,
                TestTokens.signed(
                        TestJwtKeys.CURRENT,
                        with(claims -> new JWTClaimsSet.Builder(claims)
                                .claim("sid", UUID.randomUUID().toString())
                                .build()))));
        // A role the service does not know.
        assertInvalidToken(api.get(
                ME,
                TestTokens.signed(
                        TestJwtKeys.CURRENT,
                        with(claims -> new JWTClaimsSet.Builder(claims)
                                .claim("roles", List.of("ROOT"))
                                .build()))));
        // Garbage.
        assertInvalidToken(api.get(ME, "not.a.jwt"));
    }

    @Test
    void tokensOfTheRetiredKeyAreStillAcceptedAndBothKeysArePublished() {
        assertThat(api.get(ME, TestTokens.signed(TestJwtKeys.RETIRED, genuine)).status())
                .isEqualTo(200);
        TokenApiClient.Response jwks = api.get("/api/v1/auth/jwks", null);
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.json().get("keys").findValuesAsString("kid"))
                .containsExactly(
                        TestJwtKeys.CURRENT.jwk().getKeyID(),
                        TestJwtKeys.RETIRED.jwk().getKeyID());
        assertThat(jwks.body()).doesNotContain("\"d\"");
        assertThat(jwks.json().get("keys").get(0).get("alg").asString()).isEqualTo("ES256");
    }

    @Test
    void publicRoutesIgnoreABadToken() {
        assertThat(api.get("/api/v1/health/live", "not.a.jwt").status()).isEqualTo(200);
        TokenApiClient.Response login = api.post(
                "/api/v1/auth/login", java.util.Map.of("username", ADMIN, "password", ADMIN_PASSWORD), "not.a.jwt");
        assertThat(login.status()).isEqualTo(200);
    }

    private JWTClaimsSet with(UnaryOperator<JWTClaimsSet> change) {
        return change.apply(genuine);
    }

    private static void assertInvalidToken(TokenApiClient.Response response) {
        assertUnauthorized(response);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");
        assertThat(response.text("detail")).startsWith("Invalid access token: ");
    }

    static void assertUnauthorized(TokenApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(401);
        assertThat(response.text("title")).isEqualTo("Unauthorized");
        assertThat(response.text("instance")).startsWith("/api/v1/");
    }
}
