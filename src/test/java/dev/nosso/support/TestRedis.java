package dev.nosso.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis named by {@code NOSSO_TEST_REDIS_URL}, with a key prefix of this test's own, so that tests sharing
 * one Redis never see each other's keys; closing deletes them. Without the variable, Redis tests are skipped
 * with the reason printed, unless {@code NOSSO_REQUIRE_REDIS=1}, which makes them fail (CI sets it).
 */
public final class TestRedis implements AutoCloseable {

    private final String url;
    private final String prefix;

    private TestRedis(String url, String prefix) {
        this.url = url;
        this.prefix = prefix;
    }

    /** A Redis with a fresh prefix, or a skip (a failure when Redis is required). */
    public static TestRedis fresh() {
        return new TestRedis(urlOrSkip(), uniquePrefix());
    }

    public static String urlOrSkip() {
        String url = System.getenv("NOSSO_TEST_REDIS_URL");
        if (url == null || url.isBlank()) {
            String reason = "NOSSO_TEST_REDIS_URL is not set, so the Redis variant is skipped "
                    + "(e.g. redis://127.0.0.1:6379)";
            if ("1".equals(System.getenv("NOSSO_REQUIRE_REDIS"))) {
                return Assertions.fail(reason + " — and NOSSO_REQUIRE_REDIS=1 requires it");
            }
            System.out.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        return url.trim();
    }

    public static String uniquePrefix() {
        return "nosso-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    public String url() {
        return url;
    }

    public String prefix() {
        return prefix;
    }

    /** The settings that point a server at this Redis. */
    public Map<String, Object> properties() {
        return Map.of("nosso.cluster.redis-url", url, "nosso.cluster.redis-prefix", prefix);
    }

    /** The keys under this test's prefix, to check what a server stored there. */
    public List<String> keys() {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> keys = new ArrayList<>();
            ScanIterator.scan(connection.sync(), ScanArgs.Builder.matches(prefix + "*")).forEachRemaining(keys::add);
            return keys;
        } finally {
            client.shutdown();
        }
    }

    @Override
    public void close() {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            ScanIterator<String> keys = ScanIterator.scan(connection.sync(), ScanArgs.Builder.matches(prefix + "*"));
            while (keys.hasNext()) {
                connection.sync().del(keys.next());
            }
        } finally {
            client.shutdown();
        }
    }
}
