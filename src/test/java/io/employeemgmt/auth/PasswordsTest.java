package io.employeemgmt.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.employeemgmt.platform.ApiException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;

class PasswordsTest {

    private final DelegatingPasswordEncoder encoder =
            new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(10)));
    private final Passwords passwords = new Passwords(encoder, properties(12));

    static SecurityProperties properties(int minLength) {
        return new SecurityProperties(
                null,
                new SecurityProperties.Lockout(5, Duration.ofMinutes(15)),
                new SecurityProperties.Password(minLength, 10),
                false,
                new SecurityProperties.BootstrapAdmin("admin", null, null, false),
                Duration.ofHours(1));
    }

    @Test
    void acceptableAndRejectedPasswords() {
        passwords.requireAcceptable("password", "correct-battery-staple-7", "jdoe", "jdoe@example.test");
        passwords.requireAcceptable("password", "ünïcödé-pässwörd", "jdoe", null);
        assertRejected("elevenchars", "at least 12 characters");
        assertRejected("my-JDOE-password", "must not contain the username");
        assertRejected("john.smith-2024!", "must not contain the email address");
        assertRejected("Password1234", "too common");
        assertRejected("QWERTYUIOP123", "too common");
        assertRejected("abababababababab", "too common");
        assertRejected("ü".repeat(40), "at most 72 bytes");
    }

    @Test
    void hashesAreBcryptAndVerify() {
        String hash = passwords.hash("correct-battery-staple-7");
        assertThat(hash).startsWith("{bcrypt}$2a$10$");
        assertThat(passwords.matches("correct-battery-staple-7", hash)).isTrue();
        assertThat(passwords.matches("correct-battery-staple-8", hash)).isFalse();
        assertThat(passwords.matches("x".repeat(100), hash)).isFalse();
        assertThat(passwords.needsRehash(hash)).isFalse();
        String weaker = new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(4)))
                .encode("correct-battery-staple-7");
        assertThat(passwords.needsRehash(weaker)).isTrue();
    }

    @Test
    void generatedPasswordsPassThePolicy() {
        for (int i = 0; i < 20; i++) {
            String generated = Passwords.generate();
            assertThat(generated).hasSize(20);
            passwords.requireAcceptable("password", generated, "admin", null);
        }
    }

    @Test
    void theDummyCheckCostsAsMuchAsARealOne() {
        String hash = passwords.hash("correct-battery-staple-7");
        for (int i = 0; i < 3; i++) { // warm up
            passwords.matches("wrong-password-xyz", hash);
            passwords.verifyAgainstDummy("wrong-password-xyz");
        }
        long real = time(() -> passwords.matches("wrong-password-xyz", hash));
        long dummy = time(() -> passwords.verifyAgainstDummy("wrong-password-xyz"));
        assertThat(dummy).as("dummy %d ns vs real %d ns", dummy, real).isBetween(real / 3, real * 3);
    }

    private static long time(Runnable check) {
        long total = 0;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            check.run();
            total += System.nanoTime() - start;
        }
        return total;
    }

    private void assertRejected(String password, String reason) {
        assertThatThrownBy(() -> passwords.requireAcceptable("password", password, "jdoe", "john.smith@example.test"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining(reason)
                .hasMessageNotContaining(password);
    }
}
