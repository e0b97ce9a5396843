package dev.nosso.platform;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Optional;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;

/**
 * The faults of the storage under Nosso that are not bugs of ours and that a client should hear as such: the
 * database is away (PostgreSQL stopped, restarting or out of reach; the pool found no connection within its
 * short bound), or the disk is full. Both are answered as problems a client can act on, a {@code 503} with
 * {@code Retry-After} and a {@code 507}, instead of an {@code internal-error} that says nothing.
 */
public final class StorageFaults {

    /** Seconds a client is told to wait before trying again while the database is away. */
    public static final long RETRY_AFTER_SECONDS = 5;

    /** SQLite's result code for a full database or disk (SQLITE_FULL). */
    private static final int SQLITE_FULL = 13;

    private StorageFaults() {
    }

    /** What a client is told of a storage fault. */
    public record Fault(HttpStatus status, String slug, String detail, Long retryAfterSeconds) {
    }

    /** The fault that {@code error} (or any of its causes) is, if it is one. */
    public static Optional<Fault> of(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (full(cause)) {
                return Optional.of(new Fault(HttpStatus.INSUFFICIENT_STORAGE, "storage-full",
                        "The server's disk or database is full, so nothing was stored; an administrator must "
                                + "free space. What was stored before is intact.", null));
            }
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (away(cause)) {
                return Optional.of(new Fault(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
                        "The database cannot be reached just now; nothing of this request was stored. "
                                + "Try again in a few seconds.", RETRY_AFTER_SECONDS));
            }
        }
        return Optional.empty();
    }

    // Hikari's "Connection is not available, request timed out" is a SQLTransientConnectionException; Spring
    // wraps it (CannotGetJdbcConnectionException, a DataAccessResourceFailureException, or inside
    // CannotCreateTransactionException), and translates PostgreSQL's class 08 (connection exception) and 57P
    // (the server shutting down under an open connection) to DataAccessResourceFailureException too.
    private static boolean away(Throwable e) {
        if (e instanceof SQLTransientConnectionException) {
            return true;
        }
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            return state.startsWith("08") || state.startsWith("57P");
        }
        return e instanceof DataAccessResourceFailureException && !full(e);
    }

    private static boolean full(Throwable e) {
        if (e instanceof SQLException sql && (sql.getErrorCode() == SQLITE_FULL
                || String.valueOf(sql.getMessage()).contains("SQLITE_FULL"))) {
            return true;
        }
        if (e instanceof SQLException sql && "53100".equals(sql.getSQLState())) {
            return true; // PostgreSQL's disk_full
        }
        return e instanceof IOException io && io.getMessage() != null
                && io.getMessage().toLowerCase(Locale.ROOT).contains("no space left on device");
    }
}
