package dev.nosso.identity;

import dev.nosso.platform.Dialect;
import dev.nosso.platform.cluster.ClusterEvents;
import dev.nosso.platform.cluster.Redis;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class ThrottleConfiguration {

    /**
     * Redis when the nodes share one (the fastest shared place), else the PostgreSQL database they share, else
     * (SQLite: one node) this process's memory.
     */
    @Bean // RedisCounts closes its connection with the context (an inferred close method)
    ThrottleCounts throttleCounts(Redis redis, Dialect dialect, JdbcClient jdbc, IdentitySettings settings) {
        return counts(redis, dialect, jdbc, settings.loginLockout());
    }

    /** The per-user limits, whose messages are counted per minute in counts of their own. */
    @Bean // closes its counts' Redis connection with the context
    Quotas quotas(Redis redis, Dialect dialect, JdbcClient jdbc, SettingRepository settings, QuotaSettings defaults,
                  ClusterEvents events, Clock clock) {
        return new Quotas(counts(redis, dialect, jdbc, Quotas.MINUTE), settings, defaults, events, clock);
    }

    private static ThrottleCounts counts(Redis redis, Dialect dialect, JdbcClient jdbc, Duration window) {
        if (redis.configured()) {
            return new RedisCounts(redis, window);
        }
        if (dialect == Dialect.POSTGRESQL) {
            return new DatabaseCounts(jdbc, window);
        }
        return new MemoryCounts(window);
    }
}
