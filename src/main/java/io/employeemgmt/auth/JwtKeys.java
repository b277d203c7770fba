package io.employeemgmt.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token signing key and the keys tokens are verified with. Keys are ES256 (EC P-256); the key id is the RFC 7638
 * thumbprint, so the same PEM yields the same {@code kid} on every replica. The configured key pair signs; retired
 * public keys ({@code previous-public-keys}) still verify until their tokens have expired.
 */
final class JwtKeys {

    private static final Logger log = LoggerFactory.getLogger(JwtKeys.class);
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final ECKey signingKey;
    private final JWKSet verificationKeys;
    private final boolean generated;

    private JwtKeys(ECKey signingKey, List<ECKey> retired, boolean generated) {
        this.signingKey = signingKey;
        Map<String, JWK> byId = new LinkedHashMap<>();
        byId.put(signingKey.getKeyID(), signingKey.toPublicJWK());
        retired.forEach(key -> byId.putIfAbsent(key.getKeyID(), key));
        this.verificationKeys = new JWKSet(new ArrayList<>(byId.values()));
        this.generated = generated;
    }

    static JwtKeys from(SecurityProperties.Jwt config) {
        boolean hasPrivate = notBlank(config.privateKey());
        boolean hasPublic = notBlank(config.publicKey());
        List<ECKey> retired = notBlank(config.previousPublicKeys())
                ? pemBlocks(config.previousPublicKeys(), "PUBLIC KEY").stream()
                        .map(der -> publicJwk(publicKey(der)))
                        .toList()
                : List.of();
        if (!hasPrivate && !hasPublic) {
            log.warn("No JWT signing key configured (EMPLOYEE_MGMT_JWT_PRIVATE_KEY / EMPLOYEE_MGMT_JWT_PUBLIC_KEY):"
                    + " using a key generated for this process. Tokens stop working at restart and are not accepted"
                    + " by other replicas. Configure a key pair for any shared or production deployment.");
            return new JwtKeys(generate(), retired, true);
        }
        if (hasPrivate != hasPublic) {
            throw new IllegalStateException("Configure both EMPLOYEE_MGMT_JWT_PRIVATE_KEY and"
                    + " EMPLOYEE_MGMT_JWT_PUBLIC_KEY (PEM), or neither for a generated development key");
        }
        List<byte[]> privateBlocks = pemBlocks(config.privateKey(), "PRIVATE KEY");
        List<byte[]> publicBlocks = pemBlocks(config.publicKey(), "PUBLIC KEY");
        if (privateBlocks.size() != 1 || publicBlocks.size() != 1) {
            throw new IllegalStateException("The JWT private and public key must each be exactly one PEM block"
                    + " (-----BEGIN PRIVATE KEY----- PKCS#8 and -----BEGIN PUBLIC KEY-----)");
        }
        ECPrivateKey privateKey = privateKey(privateBlocks.getFirst());
        ECPublicKey publicKey = publicKey(publicBlocks.getFirst());
        requireMatchingPair(privateKey, publicKey);
        ECKey signing;
        try {
            signing = new ECKey.Builder(Curve.P_256, publicKey)
                    .privateKey(privateKey)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint()
                    .build();
        } catch (JOSEException e) {
            throw new IllegalStateException("Invalid JWT signing key", e);
        }
        log.info(
                "JWT signing key {} loaded from configuration; {} retired key(s) accepted",
                signing.getKeyID(),
                retired.size());
        return new JwtKeys(signing, retired, false);
    }

    /** The private signing key, with its public half and key id. */
    ECKey signingKey() {
        return signingKey;
    }

    /** Public keys tokens are verified with: the signing key first, then retired keys. */
    JWKSet verificationKeys() {
        return verificationKeys;
    }

    boolean generated() {
        return generated;
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not generate a JWT signing key", e);
        }
    }

    private static ECKey publicJwk(ECPublicKey key) {
        try {
            return new ECKey.Builder(Curve.P_256, key)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint()
                    .build();
        } catch (JOSEException e) {
            throw new IllegalStateException("Invalid JWT public key", e);
        }
    }

    /** The DER bodies of the PEM blocks of {@code type}; tolerates literal "\n" as written in .env files. */
    static List<byte[]> pemBlocks(String pem, String type) {
        String text = pem.replace("\\n", "\n");
        Matcher matcher = PEM.matcher(text);
        List<byte[]> blocks = new ArrayList<>();
        while (matcher.find()) {
            String found = matcher.group(1);
            if (!found.equals(type)) {
                throw new IllegalStateException("Expected a PEM '" + type + "' block but found '" + found + "'"
                        + (found.equals("EC PRIVATE KEY")
                                ? "; convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem"
                                : ""));
            }
            blocks.add(Base64.getMimeDecoder().decode(matcher.group(2).getBytes(StandardCharsets.US_ASCII)));
        }
        if (blocks.isEmpty()) {
            throw new IllegalStateException("No PEM '" + type + "' block found in the configured JWT key");
        }
        return blocks;
    }

    private static ECPrivateKey privateKey(byte[] der) {
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JWT private key must be an EC P-256 key (ES256) in PKCS#8", e);
        }
        if (!(key instanceof ECPrivateKey ec) || !Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
            throw new IllegalStateException("The JWT private key must be an EC P-256 key (ES256)");
        }
        return ec;
    }

    private static ECPublicKey publicKey(byte[] der) {
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A JWT public key must be an EC P-256 key (ES256)", e);
        }
        if (!(key instanceof ECPublicKey ec) || !Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
            throw new IllegalStateException("A JWT public key must be an EC P-256 key (ES256)");
        }
        return ec;
    }

    private static void requireMatchingPair(ECPrivateKey privateKey, ECPublicKey publicKey) {
        byte[] probe = "employee-api key pair check".getBytes(StandardCharsets.US_ASCII);
        boolean matches = decode(() -> {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        });
        if (!matches) {
            throw new IllegalStateException("The JWT public key does not belong to the JWT private key");
        }
    }

    private interface KeyOperation<T> {
        T run() throws GeneralSecurityException;
    }

    private static <T> T decode(KeyOperation<T> operation) {
        try {
            return operation.run();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Invalid JWT key: " + e.getMessage(), e);
        }
    }

    private static boolean notBlank(@Nullable String value) {
        return value != null && !value.isBlank();
    }
}
