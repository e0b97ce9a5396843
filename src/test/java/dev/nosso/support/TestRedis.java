package dev.nosso.support;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A namespace of its own in the Redis named by {@code NOSSO_TEST_REDIS_URL}, for one test class: every test
 * run shares that Redis, so each class gets a unique key prefix, and its keys are deleted when it closes.
 * Without the variable the test is skipped with the reason printed, unless {@code NOSSO_REQUIRE_REDIS=1},
 * which makes it fail, as {@link TestDatabase} does for PostgreSQL.
 */
public final class TestRedis implements AutoCloseable {

    private final String url;
    private final String prefix;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private TestRedis(String url, String prefix, RedisClient client, StatefulRedisConnection<String, String> connection) {
        this.url = url;
        this.prefix = prefix;
        this.client = client;
        this.connection = connection;
    }

    /** A fresh prefix in the test Redis, or a skip (a failure when Redis is required). */
    public static TestRedis fresh() {
        String url = System.getenv("NOSSO_TEST_REDIS_URL");
        if (url == null || url.isBlank()) {
            return failOrSkip("NOSSO_TEST_REDIS_URL is not set, so the Redis variant is skipped "
                    + "(e.g. redis://127.0.0.1:6379)");
        }
        RedisClient client = RedisClient.create(url.trim());
        try {
            StatefulRedisConnection<String, String> connection = client.connect();
            String prefix = "nosso-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
            return new TestRedis(url.trim(), prefix, client, connection);
        } catch (RuntimeException e) {
            client.shutdown();
            return failOrSkip("Redis at NOSSO_TEST_REDIS_URL is not usable: " + e.getMessage());
        }
    }

    private static <T> T failOrSkip(String reason) {
        if ("1".equals(System.getenv("NOSSO_REQUIRE_REDIS"))) {
            return Assertions.fail(reason + " — and NOSSO_REQUIRE_REDIS=1 requires it");
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
        return null;
    }

    /** Spring properties that point a server at this Redis, under this class's prefix. */
    public Map<String, Object> properties() {
        return Map.of("nosso.cluster.redis-url", url, "nosso.cluster.redis-prefix", prefix);
    }

    public String prefix() {
        return prefix;
    }

    /** The keys under this class's prefix. */
    public List<String> keys() {
        RedisCommands<String, String> redis = connection.sync();
        List<String> keys = new ArrayList<>();
        ScanArgs matching = ScanArgs.Builder.matches(prefix + "*").limit(500);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, matching);
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    @Override
    public void close() {
        try {
            List<String> keys = keys();
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            connection.close();
            client.shutdown();
        }
    }
}
