package io.employeemgmt.platform;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.cache.interceptor.CacheErrorHandler;
import org.springframework.cache.interceptor.KeyGenerator;
import org.springframework.cache.interceptor.LoggingCacheErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.BatchStrategies;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/**
 * Caching of the derived read models (analytics, titles, department statistics) for {@code employee-mgmt.cache.ttl}
 * (300 s). With {@code spring.data.redis.host} set the cache lives in Redis and is shared by every replica;
 * otherwise (the dev run) it is in-process Caffeine. A cache failure is logged and the request is served from the
 * database: Redis is an accelerator, never a dependency.
 */
@Configuration
@EnableCaching
class CacheConfig implements CachingConfigurer {

    /** Keys name the method as well as its arguments: several analytics methods take the same parameters. */
    @Override
    public KeyGenerator keyGenerator() {
        return (target, method, params) -> method.getName() + ":" + Arrays.deepToString(params);
    }

    @Override
    public CacheErrorHandler errorHandler() {
        return new LoggingCacheErrorHandler();
    }

    @Bean
    @ConditionalOnProperty("spring.data.redis.host")
    CacheManager redisCacheManager(
            RedisConnectionFactory connections,
            @Value("${employee-mgmt.cache.ttl}") Duration ttl,
            io.github.resilience4j.circuitbreaker.CircuitBreaker redisCacheBreaker) {
        var serializer = GenericJacksonJsonRedisSerializer.builder()
                .enableDefaultTyping(BasicPolymorphicTypeValidator.builder()
                        .allowIfSubType("io.employeemgmt.")
                        .allowIfSubType("java.util.")
                        .allowIfSubType("java.math.")
                        .allowIfSubType("java.time.")
                        .allowIfSubType("java.lang.")
                        .build())
                .build();
        RedisCacheConfiguration configuration = RedisCacheConfiguration.defaultCacheConfig()
                .entryTtl(ttl)
                .prefixCacheNameWith("employee-api:")
                .serializeValuesWith(RedisSerializationContext.SerializationPair.fromSerializer(serializer));
        // Every Redis call goes through the circuit breaker (CacheBreaker): a failing Redis costs a cache miss.
        return RedisCacheManager.builder(new CacheBreaker.GuardedCacheWriter(
                        RedisCacheWriter.nonLockingRedisCacheWriter(connections, BatchStrategies.scan(500)),
                        redisCacheBreaker))
                .cacheDefaults(configuration)
                .initialCacheNames(new java.util.LinkedHashSet<>(Caches.ALL))
                .enableStatistics()
                .build();
    }

    @Bean
    @ConditionalOnExpression("'${spring.data.redis.host:}'.isEmpty()")
    CacheManager inProcessCacheManager(@Value("${employee-mgmt.cache.ttl}") Duration ttl) {
        CaffeineCacheManager manager = new CaffeineCacheManager();
        manager.setCaffeine(
                Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).recordStats());
        manager.setCacheNames(Caches.ALL);
        return manager;
    }

    /** Boot's own Redis health check is off (it would probe localhost when no Redis is configured). */
    @Bean
    @ConditionalOnProperty("spring.data.redis.host")
    HealthIndicator redisHealthIndicator(RedisConnectionFactory connections) {
        return () -> {
            try (var connection = connections.getConnection()) {
                return "PONG".equalsIgnoreCase(connection.ping())
                        ? Health.up().build()
                        : Health.down().build();
            } catch (RuntimeException e) {
                return Health.down().withException(e).build();
            }
        };
    }
}
