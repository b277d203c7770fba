package io.employeemgmt.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes token state that can no longer matter: deny-list entries of expired access tokens, and sessions whose
 * last refresh token expired over a day ago (with their refresh tokens). Idempotent, so every replica may run it.
 */
@Component
class TokenStateCleanup {

    private static final Logger log = LoggerFactory.getLogger(TokenStateCleanup.class);
    private static final Duration SESSION_RETENTION = Duration.ofDays(1);

    private final SessionRepository sessions;
    private final Clock clock = Clock.systemUTC();

    TokenStateCleanup(SessionRepository sessions) {
        this.sessions = sessions;
    }

    @Scheduled(
            initialDelayString = "${employee-mgmt.security.cleanup-interval}",
            fixedDelayString = "${employee-mgmt.security.cleanup-interval}")
    void scheduled() {
        try {
            purge(clock.instant());
        } catch (DataAccessException e) {
            log.warn("Token state cleanup failed; retrying next interval: {}", e.getMessage());
        }
    }

    /** Returns the number of rows deleted. */
    int purge(Instant now) {
        int denied = sessions.purgeDeniedAccessTokens(now);
        int expired = sessions.purgeSessions(now.minus(SESSION_RETENTION));
        if (denied + expired > 0) {
            log.info("Purged {} expired deny-list entries and {} expired sessions", denied, expired);
        }
        return denied + expired;
    }
}
