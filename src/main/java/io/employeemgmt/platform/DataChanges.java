package io.employeemgmt.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The one place cache invalidation happens. Writers call {@link #changed()} inside their transaction, which
 * publishes a {@link DataChanged} domain event; once the transaction commits, the listener clears every cache (in
 * Redis by key pattern, so all replicas see it). A rolled-back write clears nothing. Outside a transaction the
 * caches are cleared at once.
 */
@Component
public class DataChanges {

    /** Some data behind the cached read models has been written. */
    public record DataChanged() {}

    private static final Logger log = LoggerFactory.getLogger(DataChanges.class);

    private final CacheManager caches;
    private final ApplicationEventPublisher events;

    DataChanges(CacheManager caches, ApplicationEventPublisher events) {
        this.caches = caches;
        this.events = events;
    }

    public void changed() {
        events.publishEvent(new DataChanged());
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void clearAfterCommit(DataChanged event) {
        clearAll();
    }

    private void clearAll() {
        for (String name : Caches.ALL) {
            Cache cache = caches.getCache(name);
            if (cache == null) {
                continue;
            }
            try {
                // invalidate(), unlike clear(), guarantees the entries are gone when it returns.
                cache.invalidate();
            } catch (RuntimeException e) {
                // Entries expire within the TTL anyway; a cache outage must not fail a committed write.
                log.warn("Could not clear cache {}: {}", name, e.toString());
            }
        }
    }
}
