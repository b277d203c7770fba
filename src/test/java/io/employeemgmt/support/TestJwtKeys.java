package io.employeemgmt.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * ES256 key pairs generated once per test JVM (no key material in the repository): {@link #CURRENT} is configured
 * as the service's signing key, {@link #RETIRED} as a previous key still accepted, and {@link #FOREIGN} is known to
 * nobody. Every application context of the test run shares them, so two instances accept each other's tokens.
 */
public final class TestJwtKeys {

    public static final TestJwtKeys CURRENT = new TestJwtKeys();
    public static final TestJwtKeys RETIRED = new TestJwtKeys();
    public static final TestJwtKeys FOREIGN = new TestJwtKeys();

    private final KeyPair pair;
    private final ECKey jwk;

    private TestJwtKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
            jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic())
                    .privateKey((ECPrivateKey) pair.getPrivate())
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint()
                    .build();
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String privateKeyPem() {
        return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    public String publicKeyPem() {
        return pem("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    /** The X.509 SubjectPublicKeyInfo bytes - what an HS/ES confusion attack uses as the HMAC secret. */
    public byte[] publicKeyDer() {
        return pair.getPublic().getEncoded();
    }

    /** Private JWK with the RFC 7638 thumbprint as key id (the service computes the same kid). */
    public ECKey jwk() {
        return jwk;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
