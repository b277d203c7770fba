package io.employeemgmt.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token signing key and the keys tokens are verified with. A key is EC P-256 (tokens signed ES256) or RSA of at
 * least 2048 bits (RS256); the key id is the RFC 7638 thumbprint, so the same PEM yields the same {@code kid} on
 * every replica. The configured key pair signs; retired public keys ({@code previous-public-keys}) still verify
 * until their tokens have expired. Only the algorithms of these keys are accepted - never HMAC or "none".
 */
final class JwtKeys {

    private static final Logger log = LoggerFactory.getLogger(JwtKeys.class);
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final int MIN_RSA_BITS = 2048;

    private final JWK signingKey;
    private final JWKSet verificationKeys;
    private final boolean generated;

    private JwtKeys(JWK signingKey, List<JWK> retired, boolean generated) {
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
        List<JWK> retired = notBlank(config.previousPublicKeys())
                ? pemBlocks(config.previousPublicKeys(), "PUBLIC KEY").stream()
                        .map(der -> jwk(publicKey(der), null))
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
        PublicKey publicKey = publicKey(publicBlocks.getFirst());
        PrivateKey privateKey = privateKey(privateBlocks.getFirst(), publicKey.getAlgorithm());
        requireMatchingPair(privateKey, publicKey);
        JWK signing = jwk(publicKey, privateKey);
        log.info(
                "JWT signing key {} ({}) loaded from configuration; {} retired key(s) accepted",
                signing.getKeyID(),
                signing.getAlgorithm(),
                retired.size());
        return new JwtKeys(signing, retired, false);
    }

    /** The private signing key, with its public half, key id and algorithm. */
    JWK signingKey() {
        return signingKey;
    }

    JWSAlgorithm signingAlgorithm() {
        return (JWSAlgorithm) signingKey.getAlgorithm();
    }

    /** Public keys tokens are verified with: the signing key first, then retired keys. */
    JWKSet verificationKeys() {
        return verificationKeys;
    }

    /** The algorithms of the verification keys: the only ones a token may use. */
    Set<JWSAlgorithm> acceptedAlgorithms() {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        verificationKeys.getKeys().forEach(key -> algorithms.add((JWSAlgorithm) key.getAlgorithm()));
        return algorithms;
    }

    boolean generated() {
        return generated;
    }

    private static JWK generate() {
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

    /** A JWK for {@code publicKey} (and {@code privateKey} when given) with algorithm, use and thumbprint kid. */
    private static JWK jwk(PublicKey publicKey, @Nullable PrivateKey privateKey) {
        try {
            if (publicKey instanceof ECPublicKey ec) {
                if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                    throw new IllegalStateException("An EC JWT key must be on curve P-256 (ES256)");
                }
                ECKey.Builder builder = new ECKey.Builder(Curve.P_256, ec)
                        .keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.ES256);
                if (privateKey != null) {
                    builder.privateKey((ECPrivateKey) privateKey);
                }
                return builder.keyIDFromThumbprint().build();
            }
            RSAPublicKey rsa = (RSAPublicKey) publicKey;
            if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new IllegalStateException("An RSA JWT key must have at least " + MIN_RSA_BITS + " bits");
            }
            RSAKey.Builder builder =
                    new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256);
            if (privateKey != null) {
                builder.privateKey((RSAPrivateKey) privateKey);
            }
            return builder.keyIDFromThumbprint().build();
        } catch (JOSEException e) {
            throw new IllegalStateException("Invalid JWT key", e);
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
                        + (found.endsWith(" PRIVATE KEY")
                                ? "; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in key.pem"
                                : ""));
            }
            blocks.add(Base64.getMimeDecoder().decode(matcher.group(2).getBytes(StandardCharsets.US_ASCII)));
        }
        if (blocks.isEmpty()) {
            throw new IllegalStateException("No PEM '" + type + "' block found in the configured JWT key");
        }
        return blocks;
    }

    private static PrivateKey privateKey(byte[] der, String algorithm) {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "The JWT private key must be a PKCS#8 " + algorithm + " key matching the public key", e);
        }
    }

    private static PublicKey publicKey(byte[] der) {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (GeneralSecurityException e) {
                // try the next key type
            }
        }
        throw new IllegalStateException("A JWT public key must be an EC P-256 or RSA key (X.509 PEM)");
    }

    private static void requireMatchingPair(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = publicKey instanceof ECPublicKey ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] probe = "employee-api key pair check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new IllegalStateException("The JWT public key does not belong to the JWT private key");
        }
    }

    private static boolean notBlank(@Nullable String value) {
        return value != null && !value.isBlank();
    }
}
