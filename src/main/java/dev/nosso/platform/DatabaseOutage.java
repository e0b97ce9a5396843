package dev.nosso.platform;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Says once that the database went away and once that it came back, instead of a stack trace per request and
 * per timer while it is away: every request, checkpoint and heartbeat that meets the outage is logged at
 * {@code DEBUG}, the start of the outage at {@code WARN} and its end at {@code INFO}, and anything else stays
 * at the level its caller gives it. The end is found by a probe that runs only during an outage, one statement
 * a second, so that it is logged even when no request comes to find out.
 */
@Component
public class DatabaseOutage implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutage.class);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final AtomicReference<Long> since = new AtomicReference<>(); // System.nanoTime() of the first failure
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean closed;

    DatabaseOutage(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Notes {@code error} if it is the database being away (as {@link StorageFaults} tells), logging it as said
     * above, and returns true; returns false, logging nothing, for any other error, which the caller logs.
     *
     * @param what what failed, for the debug line: "GET /api/v1/chats", "Checkpoint"
     */
    public boolean noted(Throwable error, String what) {
        var fault = StorageFaults.of(error);
        if (fault.isEmpty() || !"database-unavailable".equals(fault.get().slug())) {
            return false;
        }
        failures.incrementAndGet();
        long now = System.nanoTime();
        if (since.compareAndSet(null, now)) {
            log.warn("The database cannot be reached ({}); requests are answered 503 with Retry-After until it "
                    + "is back, and each failure is logged at DEBUG", rootMessage(error));
            Thread.ofVirtual().name("database-outage-probe").start(this::probeUntilBack);
        }
        log.debug("{} failed: the database is away", what, error);
        return true;
    }

    /** Whether an outage is noted now (from its first failure until a probe reaches the database again). */
    public boolean ongoing() {
        return since.get() != null;
    }

    private void probeUntilBack() {
        while (!closed) {
            try {
                Thread.sleep(PROBE_EVERY);
            } catch (InterruptedException e) {
                return;
            }
            if (reachable()) {
                Long started = since.getAndSet(null);
                long failed = failures.getAndSet(0);
                if (started != null) {
                    log.info("The database is reachable again after {} s; {} requests and tasks failed meanwhile",
                            Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0, failed);
                }
                return;
            }
        }
    }

    private boolean reachable() {
        // A statement, not isValid: the pool hands out lazy connections, which take a real one at the first one.
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(2);
            statement.execute("SELECT 1");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    @Override
    public void destroy() {
        closed = true;
    }
}
