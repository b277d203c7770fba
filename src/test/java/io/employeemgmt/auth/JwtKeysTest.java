package io.employeemgmt.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.employeemgmt.support.TestJwtKeys;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JwtKeysTest {

    private static SecurityProperties.Jwt config(String privateKey, String publicKey, String previous) {
        return new SecurityProperties.Jwt(
                "employee-api",
                "employee-api",
                Duration.ofMinutes(15),
                Duration.ofDays(7),
                Duration.ofSeconds(30),
                privateKey,
                publicKey,
                previous);
    }

    @Test
    void aConfiguredPairSignsAndRetiredKeysStillVerify() {
        JwtKeys keys = JwtKeys.from(config(
                TestJwtKeys.CURRENT.privateKeyPem(),
                TestJwtKeys.CURRENT.publicKeyPem(),
                TestJwtKeys.RETIRED.publicKeyPem() + TestJwtKeys.FOREIGN.publicKeyPem()));
        assertThat(keys.generated()).isFalse();
        assertThat(keys.signingKey().getKeyID())
                .isEqualTo(TestJwtKeys.CURRENT.jwk().getKeyID());
        assertThat(keys.signingKey().isPrivate()).isTrue();
        assertThat(keys.verificationKeys().getKeys())
                .extracting(key -> key.getKeyID())
                .containsExactly(
                        TestJwtKeys.CURRENT.jwk().getKeyID(),
                        TestJwtKeys.RETIRED.jwk().getKeyID(),
                        TestJwtKeys.FOREIGN.jwk().getKeyID());
        assertThat(keys.verificationKeys().getKeys()).noneMatch(key -> key.isPrivate());
    }

    @Test
    void pemWithEscapedNewlinesAsInEnvFilesIsAccepted() {
        JwtKeys keys = JwtKeys.from(config(
                TestJwtKeys.CURRENT.privateKeyPem().replace("\n", "\\n"),
                TestJwtKeys.CURRENT.publicKeyPem().replace("\n", "\\n"),
                null));
        assertThat(keys.signingKey().getKeyID())
                .isEqualTo(TestJwtKeys.CURRENT.jwk().getKeyID());
    }

    @Test
    void withoutConfigurationAKeyIsGenerated() {
        JwtKeys keys = JwtKeys.from(config(null, "  ", null));
        assertThat(keys.generated()).isTrue();
        assertThat(keys.signingKey().isPrivate()).isTrue();
        assertThat(JwtKeys.from(config(null, null, null)).signingKey().getKeyID())
                .isNotEqualTo(keys.signingKey().getKeyID());
    }

    @Test
    void misconfigurationsFailAtStartWithAClearMessage() {
        assertThatThrownBy(() -> JwtKeys.from(config(TestJwtKeys.CURRENT.privateKeyPem(), null, null)))
                .hasMessageContaining("both");
        assertThatThrownBy(() -> JwtKeys.from(
                        config(TestJwtKeys.CURRENT.privateKeyPem(), TestJwtKeys.FOREIGN.publicKeyPem(), null)))
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> JwtKeys.from(
                        config(TestJwtKeys.CURRENT.publicKeyPem(), TestJwtKeys.CURRENT.publicKeyPem(), null)))
                .hasMessageContaining("'PRIVATE KEY'");
        String sec1 = "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n";
        assertThatThrownBy(() -> JwtKeys.from(config(sec1, TestJwtKeys.CURRENT.publicKeyPem(), null)))
                .hasMessageContaining("openssl pkcs8");
        assertThatThrownBy(() -> JwtKeys.from(config("not a key", TestJwtKeys.CURRENT.publicKeyPem(), null)))
                .hasMessageContaining("No PEM");
    }

    @Test
    void rsaKeysSignRs256AndShortOnesAreRefused() throws Exception {
        String[] rsa = rsaPem(3072);
        JwtKeys keys = JwtKeys.from(config(rsa[0], rsa[1], TestJwtKeys.RETIRED.publicKeyPem()));
        assertThat(keys.signingAlgorithm().getName()).isEqualTo("RS256");
        assertThat(keys.acceptedAlgorithms()).extracting(Object::toString).containsExactly("RS256", "ES256");
        String[] weak = rsaPem(1024);
        assertThatThrownBy(() -> JwtKeys.from(config(weak[0], weak[1], null))).hasMessageContaining("2048 bits");
        assertThatThrownBy(() -> JwtKeys.from(config(rsa[0], TestJwtKeys.CURRENT.publicKeyPem(), null)))
                .hasMessageContaining("PKCS#8 EC key");
    }

    /** A PKCS#8 private and X.509 public RSA key as PEM, as openssl genpkey / openssl pkey -pubout write them. */
    static String[] rsaPem(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        var pair = generator.generateKeyPair();
        return new String[] {
            "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n",
            "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n"
        };
    }
}
