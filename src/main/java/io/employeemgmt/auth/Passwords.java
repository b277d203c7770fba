package io.employeemgmt.auth;

import io.employeemgmt.platform.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password hashing and the password policy. Hashes come from Spring Security's DelegatingPasswordEncoder (bcrypt
 * now, with the algorithm id in the hash so it can change later). The policy: at least {@code min-length}
 * characters, at most 72 bytes (bcrypt ignores the rest), not containing the username or email name, and not on
 * the list of common passwords. Error messages never repeat the password.
 */
@Component
class Passwords {

    static final int MAX_BYTES = 72;

    private final PasswordEncoder encoder;
    private final int minLength;
    private final Set<String> common;
    /** A real hash of a random password: verifying against it costs what verifying a user's password costs. */
    private final String dummyHash;

    Passwords(PasswordEncoder encoder, SecurityProperties properties) {
        this.encoder = encoder;
        this.minLength = properties.password().minLength();
        this.common = loadCommonPasswords();
        this.dummyHash = encoder.encode(generate());
    }

    String hash(String password) {
        return encoder.encode(password);
    }

    boolean matches(String password, String hash) {
        if (password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            encoder.matches("x", dummyHash);
            return false;
        }
        return encoder.matches(password, hash);
    }

    /** Spends the time of one password check without a user, so unknown and locked users answer as slowly. */
    void verifyAgainstDummy(@Nullable String password) {
        matches(password == null ? "" : password, dummyHash);
    }

    boolean needsRehash(String hash) {
        return encoder.upgradeEncoding(hash);
    }

    /** Throws a 400 naming {@code field} when {@code password} breaks the policy. */
    void requireAcceptable(String field, String password, String username, @Nullable String email) {
        if (password == null || password.codePointCount(0, password.length()) < minLength) {
            throw ApiException.badRequest(field, "must be at least " + minLength + " characters long");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw ApiException.badRequest(field, "must be at most " + MAX_BYTES + " bytes long");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        requireNoPersonalData(field, lower, username, email);
        if (common.contains(lower) || password.chars().distinct().count() < 4) {
            throw ApiException.badRequest(field, "is too common or too easy to guess; choose another");
        }
    }

    private static void requireNoPersonalData(
            String field, String lowerCasePassword, String username, @Nullable String email) {
        if (lowerCasePassword.contains(username.toLowerCase(Locale.ROOT))) {
            throw ApiException.badRequest(field, "must not contain the username");
        }
        if (email != null && email.indexOf('@') > 2) {
            String local = email.substring(0, email.indexOf('@')).toLowerCase(Locale.ROOT);
            if (lowerCasePassword.contains(local)) {
                throw ApiException.badRequest(field, "must not contain the email address");
            }
        }
    }

    /** A random password that satisfies the policy (20 characters from a 62-character alphabet). */
    static String generate() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    private static Set<String> loadCommonPasswords() {
        try (InputStream in = Passwords.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("common-passwords.txt is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> line.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
