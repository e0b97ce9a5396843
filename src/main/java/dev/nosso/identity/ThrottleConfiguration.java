package dev.nosso.identity;

import dev.nosso.platform.Dialect;
import dev.nosso.platform.cluster.Redis;
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
        if (redis.configured()) {
            return new RedisCounts(redis, settings.loginLockout());
        }
        if (dialect == Dialect.POSTGRESQL) {
            return new DatabaseCounts(jdbc, settings.loginLockout());
        }
        return new MemoryCounts(settings.loginLockout());
    }
}
