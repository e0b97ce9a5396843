package dev.nosso.copy;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings both databases to the schema this jar knows before a copy, with the same migrations the server runs,
 * so that the two schemas match table for table. A database already at a newer version than the jar was
 * written by a newer Nosso: its tables may hold data this copy would silently leave behind, so it is refused.
 */
final class Migrations {

    static final String SQLITE = "classpath:db/migration/sqlite";
    static final String POSTGRESQL = "classpath:db/migration/postgresql";

    private Migrations() {
    }

    /** Migrates the database; returns Flyway's history table name and a line saying what happened. */
    static Outcome bringUpToDate(String label, String url, String user, String password, String location)
            throws CopyRefused {
        Flyway flyway = Flyway.configure().dataSource(url, user, password).locations(location).load();
        String future = Arrays.stream(flyway.info().all())
                .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS
                        || m.getState() == MigrationState.FUTURE_FAILED)
                .map(MigrationInfo::getVersion).map(String::valueOf)
                .collect(Collectors.joining(", "));
        if (!future.isEmpty()) {
            throw new CopyRefused(label + " has schema versions " + future + ", newer than this Nosso knows ("
                    + latestKnown(flyway) + "): copy with the Nosso version that wrote it");
        }
        MigrateResult result = flyway.migrate();
        MigrationInfo current = flyway.info().current();
        String version = current == null ? "empty" : "version " + current.getVersion();
        String line = result.migrationsExecuted == 0
                ? label + " schema: " + version + ", up to date"
                : label + " schema: " + version + " (migrations applied now: " + result.migrationsExecuted + ")";
        return new Outcome(flyway.getConfiguration().getTable(), line);
    }

    private static String latestKnown(Flyway flyway) {
        return Arrays.stream(flyway.info().all())
                .filter(m -> m.getState().isResolved() && m.getVersion() != null)
                .map(MigrationInfo::getVersion)
                .max(Comparable::compareTo)
                .map(v -> "up to version " + v)
                .orElse("no versions");
    }

    record Outcome(String historyTable, String summary) {
    }
}
