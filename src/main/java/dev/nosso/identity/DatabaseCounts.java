package dev.nosso.identity;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The counts of nodes that share a PostgreSQL database and no Redis: a row per key in
 * {@code throttle_counts}, with the attempts taken in the current window and when that window ends. The
 * window begins with the first attempt after the previous one ended. Each operation is one statement, so
 * attempts on several nodes at once meet at the key's row lock and are counted one after the other. Times
 * are the database's, so nodes whose clocks differ still agree on when a window ends.
 */
final class DatabaseCounts implements ThrottleCounts {

    // The database's clock in epoch milliseconds, as timestamps are stored; now() is the same at every use
    // within a statement.
    private static final String NOW = "(EXTRACT(EPOCH FROM now()) * 1000)::BIGINT";

    // PostgreSQL 15's RETURNING sees only the row as updated, not as it was; so the statement writes its own
    // verdict into the row (every SET expression reads the old row) and returns it.
    private static final String TAKE = """
            INSERT INTO throttle_counts AS t (key, taken, window_ends, allowed)
            VALUES (:key, 1, %1$s + :window, TRUE)
            ON CONFLICT (key) DO UPDATE SET
                allowed = t.window_ends <= %1$s OR t.taken < :allowed,
                taken = CASE WHEN t.window_ends <= %1$s THEN 1
                             WHEN t.taken < :allowed THEN t.taken + 1
                             ELSE t.taken END,
                window_ends = CASE WHEN t.window_ends <= %1$s THEN excluded.window_ends ELSE t.window_ends END
            RETURNING allowed, GREATEST(window_ends - %1$s, 0) AS wait_millis
            """.formatted(NOW);

    private static final String GIVE_BACK = """
            UPDATE throttle_counts SET taken = taken - 1 WHERE key = :key AND taken > 0 AND window_ends > %s
            """.formatted(NOW);

    private static final String RESET = "DELETE FROM throttle_counts WHERE key = :key";

    private static final String FORGET_ENDED = "DELETE FROM throttle_counts WHERE window_ends < " + NOW;

    private final JdbcClient jdbc;
    private final Duration window;
    private final AtomicLong nextSweep = new AtomicLong(System.nanoTime());

    DatabaseCounts(JdbcClient jdbc, Duration window) {
        this.jdbc = jdbc;
        this.window = window;
    }

    @Override
    public Verdict take(String key, int allowed) {
        sweepNowAndThen();
        return jdbc.sql(TAKE).param("key", key).param("allowed", allowed).param("window", window.toMillis())
                .query((rs, row) -> rs.getBoolean("allowed") ? Verdict.ALLOWED
                        : new Verdict(false, Duration.ofMillis(rs.getLong("wait_millis"))))
                .single();
    }

    @Override
    public void giveBack(String key, int allowed) {
        jdbc.sql(GIVE_BACK).param("key", key).update();
    }

    @Override
    public void reset(String key, int allowed) {
        jdbc.sql(RESET).param("key", key).update();
    }

    /**
     * Deletes the rows of ended windows, at most once a window, on the way of an attempt: rows are only
     * made by attempts, so this bounds the table (a flood of made-up emails included) without a timer that
     * would query an idle database.
     */
    private void sweepNowAndThen() {
        long now = System.nanoTime();
        long due = nextSweep.get();
        if (now - due >= 0 && nextSweep.compareAndSet(due, now + window.toNanos())) {
            jdbc.sql(FORGET_ENDED).update();
        }
    }
}
