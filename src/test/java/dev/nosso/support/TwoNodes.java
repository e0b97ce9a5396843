package dev.nosso.support;

import dev.nosso.platform.Dialect;
import java.util.HashMap;
import java.util.Map;

/**
 * Two nodes of one installation: two whole servers, in this process, on one fresh PostgreSQL schema (and, when
 * given one, one Redis prefix), as two nodes behind a load balancer. Skipped with the reason printed when no
 * PostgreSQL is configured, as every PostgreSQL test is. They share nothing but the database, the Redis and
 * the data folder: each has its own beans, so what one node keeps in memory the other never sees.
 */
public final class TwoNodes implements AutoCloseable {

    private final TestDatabase database;
    private final TestServer a;
    private final TestServer b;

    private TwoNodes(TestDatabase database, TestServer a, TestServer b) {
        this.database = database;
        this.a = a;
        this.b = b;
    }

    public static TwoNodes start(Map<String, Object> settings) {
        return start(settings, null);
    }

    /** Two nodes with {@code settings}, sharing {@code redis} too unless it is null. */
    public static TwoNodes start(Map<String, Object> settings, TestRedis redis) {
        TestDatabase database = TestDatabase.fresh(Dialect.POSTGRESQL);
        Map<String, Object> all = new HashMap<>(settings);
        if (redis != null) {
            all.putAll(redis.properties());
        }
        TestServer a = null;
        try {
            a = TestServer.start(database, all);
            return new TwoNodes(database, a, TestServer.start(database, all));
        } catch (RuntimeException | Error e) {
            if (a != null) {
                a.close();
            }
            database.close();
            throw e;
        }
    }

    public TestServer a() {
        return a;
    }

    public TestServer b() {
        return b;
    }

    public TestDatabase database() {
        return database;
    }

    @Override
    public void close() {
        try {
            a.close();
            b.close();
        } finally {
            database.close();
        }
    }
}
