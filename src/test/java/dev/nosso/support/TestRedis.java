package dev.nosso.support;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis that tests share, named by {@code NOSSO_TEST_REDIS_URL} (e.g. {@code redis://127.0.0.1:6379}).
 * The same rule as {@link TestDatabase#postgresUrlOrSkip()}: without the variable, or with a Redis that does
 * not answer, a test that needs it is skipped with the reason printed, unless {@code NOSSO_REQUIRE_REDIS=1},
 * which makes it fail; CI sets it so that a missing Redis can never pass as a green run. Test classes keep
 * apart from each other (and from anything else on that Redis) by a {@link #uniquePrefix()} of their own.
 */
public final class TestRedis {

    private TestRedis() {
    }

    /** The URL of the test Redis after a {@code PING} it answered, or a skip (a failure when Redis is required). */
    public static String urlOrSkip() {
        String url = System.getenv("NOSSO_TEST_REDIS_URL");
        if (url == null || url.isBlank()) {
            return failOrSkip("NOSSO_TEST_REDIS_URL is not set, so the tests that need Redis are skipped "
                    + "(e.g. redis://127.0.0.1:6379)");
        }
        try (Session redis = open(url)) {
            redis.connection().sync().ping();
        } catch (RuntimeException e) {
            return failOrSkip("Redis at NOSSO_TEST_REDIS_URL is not usable: " + e.getMessage());
        }
        return url;
    }

    /** A key prefix no other test class uses: {@code nosso-test:<random>:}. */
    public static String uniquePrefix() {
        return "nosso-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** Deletes every key under {@code prefix}, so that a test leaves the shared Redis as it found it. */
    public static void deleteKeys(String url, String prefix) {
        try (Session redis = open(url)) {
            var commands = redis.connection().sync();
            ScanArgs matching = ScanArgs.Builder.matches(prefix + "*").limit(500);
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = commands.scan(cursor, matching);
                if (!page.getKeys().isEmpty()) {
                    commands.unlink(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } catch (RuntimeException e) {
            System.out.println("Could not delete the test keys under " + prefix + ": " + e.getMessage());
        }
    }

    private static Session open(String url) {
        RedisURI uri = RedisURI.create(url.trim());
        uri.setTimeout(Duration.ofSeconds(5)); // a Redis that does not answer is a reason to skip, not to hang
        RedisClient client = RedisClient.create(uri);
        try {
            return new Session(client, client.connect());
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    private record Session(RedisClient client, StatefulRedisConnection<String, String> connection)
            implements AutoCloseable {

        @Override
        public void close() {
            connection.close();
            client.shutdown();
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
}
