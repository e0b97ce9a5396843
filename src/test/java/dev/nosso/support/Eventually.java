package dev.nosso.support;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * How every test waits for what happens on another thread or in another process: for a condition, with a
 * deadline, never a fixed sleep. It is Awaitility, set up once for the suite:
 * <pre>{@code
 * JsonNode answer = Eventually.within(WAIT).until(() -> alice.get(url).expect(200).json(),
 *         m -> m.path("status").asString().equals("complete"));
 * }</pre>
 * The condition is checked at once, then every 50 ms. An uncaught exception on some other thread (one of the
 * server's, which logs it) does not fail the wait, as it would by Awaitility's default: the wait fails only
 * when its own condition throws or the deadline passes. A condition that touches the browser must add
 * {@code pollInSameThread()}: Playwright is not thread-safe.
 */
public final class Eventually {

    private static final Duration POLL = Duration.ofMillis(50);

    private Eventually() {
    }

    /** A wait that gives up after {@code deadline}; finish it with {@code until}, {@code untilAsserted}... */
    public static ConditionFactory within(Duration deadline) {
        return Awaitility.await().atMost(deadline).pollDelay(Duration.ZERO).pollInterval(POLL)
                .dontCatchUncaughtExceptions();
    }
}
