package io.employeemgmt.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one place cache invalidation happens. Writers call {@link #changed()} inside their transaction; once it
 * commits, every cache is cleared (in Redis by key pattern, so all replicas see it). A rolled-back write clears
 * nothing, and a transaction with many writes clears once.
 */
@Component
public class DataChanges {

    private static final Logger log = LoggerFactory.getLogger(DataChanges.class);
    private static final Object MARKER = DataChanges.class.getName() + ".registered";

    private final CacheManager caches;

    DataChanges(CacheManager caches) {
        this.caches = caches;
    }

    public void changed() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            clearAll();
            return;
        }
        if (TransactionSynchronizationManager.hasResource(MARKER)) {
            return;
        }
        TransactionSynchronizationManager.bindResource(MARKER, true);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                clearAll();
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(MARKER);
            }
        });
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
