package io.employeemgmt.platform.replica;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code employee-mgmt.datasource.read-replicas.*}; the defaults live in application.yml, the README lists them.
 *
 * @param urls JDBC URLs of the hot standbys (credentials are the primary's); empty: no routing at all
 * @param maxLag a standby further behind the primary than this is skipped until it catches up
 * @param checkInterval how often each standby's replay position (and the primary's WAL position) is sampled
 * @param readYourWritesWindow how long after a write the caller's reads wait for a standby that replayed it; must
 *     exceed {@code maxLag + checkInterval}, since after that every standby in rotation has the write anyway
 * @param maximumPoolSize connections per standby
 * @param connectionTimeout how long a read waits for a standby connection before trying the next one
 */
@ConfigurationProperties("employee-mgmt.datasource.read-replicas")
record ReadReplicaProperties(
        List<String> urls,
        Duration maxLag,
        Duration checkInterval,
        Duration readYourWritesWindow,
        int maximumPoolSize,
        Duration connectionTimeout) {

    ReadReplicaProperties {
        urls = urls == null
                ? List.of()
                : urls.stream().map(String::trim).filter(u -> !u.isEmpty()).toList();
        if (readYourWritesWindow.compareTo(maxLag.plus(checkInterval)) <= 0) {
            throw new IllegalArgumentException("employee-mgmt.datasource.read-replicas.read-your-writes-window ("
                    + readYourWritesWindow + ") must be longer than max-lag + check-interval (" + maxLag + " + "
                    + checkInterval + ")");
        }
    }
}
