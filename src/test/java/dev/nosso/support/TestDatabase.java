package dev.nosso.support;

import dev.nosso.platform.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, empty database for one test class: a SQLite file in its own temporary folder, or a new schema in
 * the PostgreSQL database named by {@code NOSSO_TEST_POSTGRES_URL}. Without that variable PostgreSQL tests
 * are skipped with the reason printed, unless {@code NOSSO_REQUIRE_POSTGRES=1}, which makes them fail: CI
 * sets it so that a missing database can never pass as a green run.
 */
public final class TestDatabase implements AutoCloseable {

    private final Dialect dialect;
    private final Path dataDir;
    private final String url;
    private final String schema;
    private final String database;

    private TestDatabase(Dialect dialect, Path dataDir, String url, String schema) {
        this(dialect, dataDir, url, schema, null);
    }

    private TestDatabase(Dialect dialect, Path dataDir, String url, String schema, String database) {
        this.dialect = dialect;
        this.dataDir = dataDir;
        this.url = url;
        this.schema = schema;
        this.database = database;
    }

    public static TestDatabase fresh(Dialect dialect) {
        Path dataDir = tempDir();
        if (dialect == Dialect.SQLITE) {
            return new TestDatabase(dialect, dataDir, "jdbc:sqlite:" + dataDir.resolve("nosso.db"), null);
        }
        String base = postgresUrlOrSkip();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(base)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            return failOrSkip("PostgreSQL at NOSSO_TEST_POSTGRES_URL is not usable: " + e.getMessage());
        }
        // public stays on the search path after the test's schema: extensions (pgvector's type) live there.
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema + ",public";
        return new TestDatabase(dialect, dataDir, url, schema);
    }

    /**
     * A PostgreSQL database of its own, beside the one named by {@code NOSSO_TEST_POSTGRES_URL} on the same server,
     * for a benchmark that reads the server's log or statistics per database. {@code setUp} statements run in it
     * first as that URL's user (a superuser: e.g. {@code ALTER DATABASE ... SET log_statement = 'all'}); the
     * name is {@link #name()}. Dropped on close.
     */
    public static TestDatabase ownPostgres(String... setUp) {
        String base = postgresUrlOrSkip();
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        int query = base.indexOf('?', slash);
        String name = "nosso_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = base.substring(0, slash + 1) + name + (query < 0 ? "" : base.substring(query));
        try (Connection c = DriverManager.getConnection(base)) {
            c.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            return failOrSkip("Cannot create a database beside NOSSO_TEST_POSTGRES_URL: " + e.getMessage());
        }
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("CREATE EXTENSION IF NOT EXISTS vector");
            for (String statement : setUp) {
                c.createStatement().execute(statement.replace("{database}", name));
            }
        } catch (SQLException e) {
            throw new AssertionError("Setting up " + name + " failed: " + e.getMessage(), e);
        }
        return new TestDatabase(Dialect.POSTGRESQL, tempDir(), url, null, name);
    }

    /**
     * The PostgreSQL database at {@code url}, used whole (a cluster of the test's own, such as {@link
     * PostgresCluster}'s): nothing is dropped on close but the data folder.
     */
    public static TestDatabase postgresAt(String url) {
        return new TestDatabase(Dialect.POSTGRESQL, tempDir(), url, null);
    }

    /** The PostgreSQL database's name (of {@link #ownPostgres}), or null. */
    public String name() {
        return database;
    }

    /** The URL of the PostgreSQL test database, or a skip (a failure when PostgreSQL is required). */
    public static String postgresUrlOrSkip() {
        String url = System.getenv("NOSSO_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            return failOrSkip("NOSSO_TEST_POSTGRES_URL is not set, so the PostgreSQL variant is skipped "
                    + "(e.g. jdbc:postgresql://127.0.0.1:5432/nosso_test?user=postgres)");
        }
        return url;
    }

    static <T> T failOrSkip(String reason) {
        if ("1".equals(System.getenv("NOSSO_REQUIRE_POSTGRES"))) {
            return Assertions.fail(reason + " — and NOSSO_REQUIRE_POSTGRES=1 requires it");
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
        return null;
    }

    public Dialect dialect() {
        return dialect;
    }

    public String url() {
        return url;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** Spring properties that point the application at this database. */
    public Map<String, Object> properties() {
        Map<String, Object> props = new HashMap<>();
        props.put("nosso.data-dir", dataDir.toString());
        props.put("nosso.database.url", url);
        return props;
    }

    @Override
    public void close() {
        if (schema != null && Boolean.getBoolean("bench.keep")) {
            // A benchmark's data kept for a look with psql afterwards: -Dbench.keep=true
            System.out.println("Kept PostgreSQL schema " + schema);
        } else if (schema != null) {
            try (Connection c = DriverManager.getConnection(postgresUrlOrSkip())) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException e) {
                System.out.println("Could not drop test schema " + schema + ": " + e.getMessage());
            }
        }
        if (database != null) {
            try (Connection c = DriverManager.getConnection(postgresUrlOrSkip())) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (SQLException e) {
                System.out.println("Could not drop test database " + database + ": " + e.getMessage());
            }
        }
        deleteQuietly(dataDir);
    }

    @Override
    public String toString() {
        return dialect.name().toLowerCase(Locale.ROOT);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("nosso-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
