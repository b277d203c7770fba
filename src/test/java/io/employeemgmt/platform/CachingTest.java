package io.employeemgmt.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiTestBase;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cache.CacheManager;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

/** Analytics are cached in the (real) Redis, counted in the cache metrics, and invalidated by a committed write. */
class CachingTest extends ApiTestBase {

    @Autowired
    CacheManager cacheManager;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    MeterRegistry meters;

    @Test
    void analyticsAreServedFromRedisUntilAWriteCommits() {
        assertThat(cacheManager).isInstanceOf(RedisCacheManager.class);
        String summary = "/api/v1/analytics/summary?asOf=2030-01-01";
        JsonNode first = api.get(summary).json();
        assertThat(redis.keys("employee-api:analytics::summary:*")).isNotEmpty();
        double hitsBefore = hits();
        JsonNode second = api.get(summary).json();
        assertThat(second).isEqualTo(first);
        assertThat(hits()).isEqualTo(hitsBefore + 1);

        hire("d009");

        assertThat(redis.keys("employee-api:analytics::*")).isEmpty();
        JsonNode after = api.get(summary).json();
        assertThat(after.path("employees").asLong())
                .isEqualTo(first.path("employees").asLong() + 1);
    }

    @Test
    void aRejectedWriteKeepsTheCache() {
        api.get("/api/v1/titles");
        assertThat(redis.keys("employee-api:titles::*")).isNotEmpty();
        var body = newEmployee("d998");
        assertFieldError(api.post("/api/v1/employees", body), "deptNo");
        assertThat(redis.keys("employee-api:titles::*")).isNotEmpty();
    }

    private double hits() {
        FunctionCounter counter = meters.find("cache.gets")
                .tag("cache", Caches.ANALYTICS)
                .tag("result", "hit")
                .functionCounter();
        assertThat(counter).as("cache.gets{cache=analytics,result=hit}").isNotNull();
        return counter.count();
    }
}
