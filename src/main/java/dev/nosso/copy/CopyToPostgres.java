package dev.nosso.copy;

import java.io.PrintStream;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

/**
 * {@code copy-to-postgres}: copies everything from a Nosso SQLite file into an empty PostgreSQL database,
 * keeping ids and timestamps, then verifies each table's row count and checksum on both sides.
 * <ol>
 * <li>Migrates both databases to this jar's schema (and refuses one that is newer).</li>
 * <li>Refuses a target holding rows the source does not have: it fills an empty database, or finishes its own
 * interrupted copy, and never mixes with other data.</li>
 * <li>Copies table by table, parents first, in committed batches that skip rows already there; a re-run after
 * an interruption continues. Each table's plain indexes are dropped before and built again after its rows
 * ({@link DeferredIndexes}).</li>
 * <li>Compares counts and SHA-256 checksums per table and prints them; any difference exits non-zero.</li>
 * </ol>
 * Rows are streamed, never held in memory, and no row content is printed: only table names, counts and keys.
 */
public final class CopyToPostgres {

    public static final String COMMAND = "copy-to-postgres";

    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private final CopyOptions options;
    private final PrintStream out;
    private final RowCopier.BatchCommitted afterBatch;
    private long lastProgress = System.nanoTime();

    private CopyToPostgres(CopyOptions options, PrintStream out, RowCopier.BatchCommitted afterBatch) {
        this.options = options;
        this.out = out;
        this.afterBatch = afterBatch;
    }

    /**
     * Runs the command with the arguments that follow {@code copy-to-postgres} (the command's own name first
     * is accepted too) and returns the exit code: 0 when the target verified, 1 when the copy failed, was
     * refused or did not verify, 2 for bad arguments.
     */
    public static int run(String[] args) {
        // Outside Spring, logging has no configuration and would print every library's debug lines.
        LoggingSystem.get(CopyToPostgres.class.getClassLoader()).setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
        return run(args, System.out, (table, rows) -> { });
    }

    static int run(String[] args, PrintStream out, RowCopier.BatchCommitted afterBatch) {
        String[] rest = args.length > 0 && COMMAND.equals(args[0]) ? Arrays.copyOfRange(args, 1, args.length) : args;
        CopyOptions options;
        try {
            options = CopyOptions.parse(rest);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.println(CopyOptions.USAGE);
            return 2;
        }
        if (!Files.isRegularFile(options.from())) {
            out.println("No SQLite file at " + options.from());
            return 2;
        }
        try {
            return new CopyToPostgres(options, out, afterBatch).copy();
        } catch (CopyRefused e) {
            out.println("Refused: " + e.getMessage());
            return 1;
        } catch (SQLException | RuntimeException e) {
            out.println("Stopped: " + e.getMessage());
            out.println("Rows committed so far are kept; run the same command again to continue.");
            return 1;
        }
    }

    private int copy() throws SQLException, CopyRefused {
        out.println("Copying " + options.from() + " into " + options.target());
        out.println(Migrations.bringUpToDate("SQLite", options.sqliteUrl(), null, null, Migrations.SQLITE).summary());
        Migrations.Outcome target = Migrations.bringUpToDate("PostgreSQL", options.to(), options.user(),
                options.password(), Migrations.POSTGRESQL);
        out.println(target.summary());

        try (Connection source = DriverManager.getConnection(options.sqliteUrl());
             Connection pg = connectTarget()) {
            // One read transaction on SQLite: every table, and its checksum, comes from the same snapshot.
            source.setAutoCommit(false);
            pg.setAutoCommit(false);
            String schema = currentSchema(pg);
            out.println("Target schema: " + schema);
            List<Table> tables = CopyPlan.of(pg, schema, source, target.historyTable());
            refuseForeignRows(source, pg, tables);

            RowCopier copier = new RowCopier(source, pg, options.batchSize(), this::batchCommitted);
            for (Table table : tables) {
                lastProgress = System.nanoTime();
                List<String> indexes = table.inSource() ? DeferredIndexes.drop(pg, schema, table) : List.of();
                long rows = copier.copy(table);
                out.printf("  %-20s %,d rows%s%n", table.name(), rows, table.inSource() ? "" : " (not in the source)");
                if (!indexes.isEmpty()) {
                    long start = System.nanoTime();
                    DeferredIndexes.build(pg, schema, table, indexes, options.indexMemory());
                    out.printf(Locale.ROOT, "  %-20s %d indexes built in %.1f s%n", table.name(), indexes.size(),
                            (System.nanoTime() - start) / 1e9);
                }
            }
            boolean verified = verify(source, pg, tables);
            source.rollback();
            pg.rollback();
            return verified ? 0 : 1;
        }
    }

    private Connection connectTarget() throws SQLException {
        Properties props = new Properties();
        if (options.user() != null) {
            props.setProperty("user", options.user());
        }
        if (options.password() != null) {
            props.setProperty("password", options.password());
        }
        props.setProperty("reWriteBatchedInserts", "true");
        props.setProperty("ApplicationName", "nosso " + COMMAND);
        // The server's error detail quotes the failing row, which may be someone's message text.
        props.setProperty("logServerErrorDetail", "false");
        return DriverManager.getConnection(options.to(), props);
    }

    private static String currentSchema(Connection pg) throws SQLException {
        try (Statement s = pg.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            String schema = rs.getString(1);
            if (schema == null) {
                throw new SQLException("The target has no current schema: check currentSchema in the URL");
            }
            return schema;
        }
    }

    private void refuseForeignRows(Connection source, Connection pg, List<Table> tables)
            throws SQLException, CopyRefused {
        boolean resuming = false;
        for (Table table : tables) {
            Optional<String> foreign = ForeignRows.find(source, pg, table, options.batchSize());
            if (foreign.isPresent()) {
                throw new CopyRefused("the target already holds " + foreign.get() + ", which is not in "
                        + options.from() + ". copy-to-postgres fills an empty database or finishes its own "
                        + "interrupted copy; point it at an empty database.");
            }
            resuming |= count(pg, table) > 0;
        }
        pg.commit();
        if (resuming) {
            out.println("The target already holds rows of this source, from an earlier run: copying the rest");
        }
    }

    private void batchCommitted(Table table, long rows) throws SQLException {
        long now = System.nanoTime();
        if (now - lastProgress >= PROGRESS_EVERY_NANOS) {
            lastProgress = now;
            out.printf("  %-20s %,d rows so far%n", table.name(), rows);
        }
        afterBatch.after(table, rows);
    }

    private boolean verify(Connection source, Connection pg, List<Table> tables) throws SQLException {
        out.println();
        out.printf("%-20s %12s %12s  %s%n", "table", "source rows", "target rows", "checksum");
        List<String> failed = new ArrayList<>();
        long total = 0;
        for (Table table : tables) {
            TableDigest expected = table.inSource()
                    ? TableDigest.of(source, table, false, options.batchSize()) : TableDigest.ABSENT;
            TableDigest actual = TableDigest.of(pg, table, true, options.batchSize());
            String verdict = verdict(expected, actual);
            out.printf("%-20s %,12d %,12d  %s%n", table.name(), expected.rows(), actual.rows(), verdict);
            if (expected.equals(actual) || expected.rows() == 0 && actual.rows() == 0) {
                total += actual.rows();
            } else {
                failed.add(table.name() + " (" + verdict + ")");
            }
        }
        out.println();
        if (failed.isEmpty()) {
            out.printf("Verified: %d tables, %,d rows, identical in %s%n", tables.size(), total, options.target());
            return true;
        }
        out.println("Verification FAILED: " + String.join("; ", failed) + ". The target is not an exact copy: "
                + "it held other data, or the source changed since an earlier run. Empty the target and copy again.");
        return false;
    }

    private static String verdict(TableDigest expected, TableDigest actual) {
        if (expected.rows() == 0 && actual.rows() == 0) {
            return "OK";
        }
        if (actual.rows() > expected.rows()) {
            return "MISMATCH: " + (actual.rows() - expected.rows()) + " rows in the target that the source lacks";
        }
        if (actual.rows() < expected.rows()) {
            return "MISMATCH: " + (expected.rows() - actual.rows()) + " rows missing from the target";
        }
        if (!expected.sha256().equals(actual.sha256())) {
            return "MISMATCH: same count, different rows";
        }
        return "OK " + actual.sha256().substring(0, 16);
    }

    private static long count(Connection connection, Table table) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(table.count())) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
