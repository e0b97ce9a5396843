package dev.nosso.platform;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.stereotype.Component;

/**
 * Gives the space of deleted rows back to the disk on SQLite, whose file otherwise never shrinks: deleted
 * pages go to a free list that later writes reuse, and the file stays at its largest size (Open WebUI's users
 * meet exactly that, its issue #12248). PostgreSQL's autovacuum does this job there, so this does nothing.
 *
 * <p>Once, at start-up before the server takes requests, a database not yet in {@code auto_vacuum =
 * INCREMENTAL} is switched to it; SQLite applies that only through a full {@code VACUUM}, which rewrites the
 * file (seconds per hundred megabytes) and cannot run in a transaction, hence here rather than in a Flyway
 * migration. Then, every {@code nosso.database.vacuum-interval}, when the free list has grown past a share of
 * the file (after chats were deleted), it is given back in steps of {@link #STEP_PAGES} pages, each a short
 * write of its own so that other writers interleave, and the write-ahead log is checkpointed so that the file
 * itself shrinks. This is the one place that reclaims space: anything that deletes a lot needs do nothing more.
 */
@Component
@DependsOnDatabaseInitialization
public class IncrementalVacuum implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(IncrementalVacuum.class);

    /** SQLite's {@code auto_vacuum} value for INCREMENTAL. */
    private static final int INCREMENTAL = 2;
    static final int STEP_PAGES = 2_000;
    /** Free pages below this are left to be reused by later writes: not worth a write of the file. */
    private static final int MIN_FREE_PAGES = 256;

    private final DataSource dataSource;
    private final ScheduledExecutorService timer;
    private volatile boolean checkpointPending;

    IncrementalVacuum(DataSource dataSource, Dialect dialect, DatabaseSettings settings) {
        this.dataSource = dataSource;
        if (dialect != Dialect.SQLITE) {
            this.timer = null;
            return;
        }
        switchToIncremental();
        Duration every = settings.vacuumInterval();
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("nosso-sqlite-vacuum").daemon().factory());
        timer.scheduleWithFixedDelay(this::reclaimQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Gives the free pages back when there are enough of them; returns how many pages it gave back. */
    public long reclaim() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            long free = single(statement, "PRAGMA freelist_count");
            long total = single(statement, "PRAGMA page_count");
            if (free < Math.max(MIN_FREE_PAGES, total / 20)) {
                if (checkpointPending) {
                    checkpointPending = !checkpoint(statement);
                }
                return 0;
            }
            long before = free;
            while (free > 0) {
                // executeUpdate, not execute: the driver's execute steps the pragma once, which frees one page.
                statement.executeUpdate("PRAGMA incremental_vacuum(" + STEP_PAGES + ")");
                long left = single(statement, "PRAGMA freelist_count");
                if (left >= free) {
                    break;
                }
                free = left;
            }
            checkpointPending = !checkpoint(statement);
            log.info("Gave {} free pages of the SQLite database back to the disk", before - free);
            return before - free;
        }
    }

    // The file shrinks only when the log's frames that shrink it are copied back. PASSIVE never waits for readers:
    // a reader in the middle of a snapshot leaves the rest for the next run.
    private static boolean checkpoint(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            return rs.next() && rs.getInt(2) == rs.getInt(3);
        }
    }

    private void reclaimQuietly() {
        try {
            reclaim();
        } catch (SQLException | RuntimeException e) {
            log.warn("Could not give free pages back to the disk; next time: {}", e.toString());
        }
    }

    private void switchToIncremental() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (single(statement, "PRAGMA auto_vacuum") == INCREMENTAL) {
                return;
            }
            long started = System.nanoTime();
            statement.execute("PRAGMA auto_vacuum = INCREMENTAL");
            statement.execute("VACUUM");
            log.info("Switched the SQLite database to incremental vacuum (a one-time VACUUM) in {} ms",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (SQLException e) {
            // Not fatal: the database works as before, it only keeps its size; the next start tries again.
            log.warn("Could not switch the SQLite database to incremental vacuum: {}", e.toString());
        }
    }

    private static long single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Override
    public void destroy() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
