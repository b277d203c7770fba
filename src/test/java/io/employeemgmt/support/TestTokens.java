package io.employeemgmt.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.core.type.TypeReference;

/** Builds tokens the way an attacker (or a test) would, with Nimbus: re-signed, unsigned, HMAC, tampered. */
public final class TestTokens {

    public static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");

    private TestTokens() {}

    public static JWTClaimsSet claims(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** {@code claims} signed ES256 with {@code key}, header typ at+jwt and the key's kid. */
    public static String signed(TestJwtKeys key, JWTClaimsSet claims) {
        return signed(key, ACCESS_TOKEN, claims);
    }

    public static String signed(TestJwtKeys key, JOSEObjectType type, JWTClaimsSet claims) {
        try {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .keyID(key.jwk().getKeyID())
                    .type(type)
                    .build();
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new ECDSASigner(key.jwk()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HS256 with {@code secret} as the HMAC key - the algorithm-confusion attack when the secret is a public key. */
    public static String hmacSigned(byte[] secret, String keyId, JWTClaimsSet claims) {
        try {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256)
                    .keyID(keyId)
                    .type(ACCESS_TOKEN)
                    .build();
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none}: no signature at all. */
    public static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(new PlainHeader.Builder().type(ACCESS_TOKEN).build(), claims).serialize();
    }

    /** Changes the payload of a signed token and keeps its original header and signature. */
    public static String tampered(String token, Consumer<Map<String, Object>> change) {
        String[] parts = token.split("\\.", -1);
        Map<String, Object> payload = TokenApiClient.JSON.readValue(
                Base64.getUrlDecoder().decode(parts[1]), new TypeReference<LinkedHashMap<String, Object>>() {});
        change.accept(payload);
        String encoded = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(TokenApiClient.JSON.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8));
        return parts[0] + "." + encoded + "." + parts[2];
    }
}
