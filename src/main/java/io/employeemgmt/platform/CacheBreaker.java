package io.employeemgmt.platform;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.CacheStatistics;
import org.springframework.data.redis.cache.CacheStatisticsCollector;
import org.springframework.data.redis.cache.RedisCacheWriter;

/**
 * Redis is an accelerator, never a dependency: every cache operation goes through a Resilience4j circuit breaker
 * ("redis-cache") and fails fast. While Redis is slow or gone, a cache read is a miss (the request is served from
 * the database), a cache write or eviction is skipped; once the breaker is open, Redis is not even asked until it
 * probes again. Lettuce gets a short command timeout and rejects commands while disconnected instead of queueing
 * them, so the first failures cost at most the command timeout each (the default was 60 s). The breaker's state
 * and calls are metrics ({@code resilience4j_circuitbreaker_*}); each state change is logged.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("spring.data.redis.host")
class CacheBreaker {

    private static final Logger log = LoggerFactory.getLogger(CacheBreaker.class);

    static final String NAME = "redis-cache";

    @Bean
    CircuitBreaker redisCacheBreaker(
            MeterRegistry meters, @Value("${employee-mgmt.cache.breaker.open-for:10s}") Duration openFor) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(3)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        CircuitBreaker breaker = registry.circuitBreaker(NAME);
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.StateTransition transition = event.getStateTransition();
            if (transition.getToState() == CircuitBreaker.State.OPEN) {
                log.warn(
                        "Redis cache circuit breaker {} -> OPEN: serving from the database without the cache for {}",
                        transition.getFromState(),
                        openFor);
            } else {
                log.info("Redis cache circuit breaker {} -> {}", transition.getFromState(), transition.getToState());
            }
        });
        return breaker;
    }

    /** Fail fast: short command and connect timeouts, no queueing of commands while disconnected. */
    @Bean
    LettuceClientConfigurationBuilderCustomizer failFastLettuce(
            @Value("${spring.data.redis.timeout:100ms}") Duration commandTimeout,
            @Value("${spring.data.redis.connect-timeout:200ms}") Duration connectTimeout) {
        return builder -> builder.commandTimeout(commandTimeout)
                .clientOptions(ClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .socketOptions(SocketOptions.builder()
                                .connectTimeout(connectTimeout)
                                .keepAlive(true)
                                .build())
                        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                        .build());
    }

    /** A cache writer whose every Redis call is guarded by the breaker; failures become misses and no-ops. */
    static final class GuardedCacheWriter implements RedisCacheWriter {

        private final RedisCacheWriter redis;
        private final CircuitBreaker breaker;

        GuardedCacheWriter(RedisCacheWriter redis, CircuitBreaker breaker) {
            this.redis = redis;
            this.breaker = breaker;
        }

        private <T> @Nullable T guarded(Supplier<T> call, @Nullable T fallback) {
            if (!breaker.tryAcquirePermission()) {
                return fallback;
            }
            long start = System.nanoTime();
            try {
                T result = call.get();
                breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                return result;
            } catch (RuntimeException e) {
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
                log.debug("Redis cache call failed; served without the cache", e);
                return fallback;
            }
        }

        private void guarded(Runnable call) {
            guarded(
                    () -> {
                        call.run();
                        return Boolean.TRUE;
                    },
                    Boolean.FALSE);
        }

        @Override
        public byte @Nullable [] get(String name, byte[] key) {
            return guarded(() -> redis.get(name, key), null);
        }

        @Override
        public byte @Nullable [] get(String name, byte[] key, @Nullable Duration ttl) {
            return guarded(() -> redis.get(name, key, ttl), null);
        }

        @Override
        public byte[] get(
                String name, byte[] key, Supplier<byte[]> valueLoader, @Nullable Duration ttl, boolean timeToIdle) {
            byte[] cached = guarded(() -> redis.get(name, key, ttl), null);
            if (cached != null) {
                return cached;
            }
            byte[] value = valueLoader.get();
            guarded(() -> redis.put(name, key, value, ttl));
            return value;
        }

        @Override
        public boolean supportsAsyncRetrieve() {
            return redis.supportsAsyncRetrieve();
        }

        @Override
        public CompletableFuture<byte[]> retrieve(String name, byte[] key, @Nullable Duration ttl) {
            if (!breaker.tryAcquirePermission()) {
                return CompletableFuture.completedFuture(null);
            }
            long start = System.nanoTime();
            return redis.retrieve(name, key, ttl).handle((value, failure) -> {
                if (failure == null) {
                    breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    return value;
                }
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
                return null;
            });
        }

        @Override
        public void put(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
            guarded(() -> redis.put(name, key, value, ttl));
        }

        @Override
        public CompletableFuture<Void> store(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
            CompletableFuture<Void> stored = guarded(() -> redis.store(name, key, value, ttl), null);
            return stored == null ? CompletableFuture.completedFuture(null) : stored.exceptionally(failure -> null);
        }

        @Override
        public byte @Nullable [] putIfAbsent(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
            return guarded(() -> redis.putIfAbsent(name, key, value, ttl), null);
        }

        @Override
        public void evict(String name, byte[] key) {
            guarded(() -> redis.evict(name, key));
        }

        @Override
        public boolean evictIfPresent(String name, byte[] key) {
            return Boolean.TRUE.equals(guarded(() -> redis.evictIfPresent(name, key), Boolean.FALSE));
        }

        @Override
        public void clear(String name, byte[] pattern) {
            guarded(() -> redis.clear(name, pattern));
        }

        @Override
        public boolean invalidate(String name, byte[] pattern) {
            return Boolean.TRUE.equals(guarded(() -> redis.invalidate(name, pattern), Boolean.FALSE));
        }

        @Override
        public void clearStatistics(String name) {
            redis.clearStatistics(name);
        }

        @Override
        public RedisCacheWriter withStatisticsCollector(CacheStatisticsCollector collector) {
            return new GuardedCacheWriter(redis.withStatisticsCollector(collector), breaker);
        }

        @Override
        public CacheStatistics getCacheStatistics(String name) {
            return redis.getCacheStatistics(name);
        }
    }
}
