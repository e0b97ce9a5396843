package dev.nosso.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own, made with {@code initdb} in a temporary folder and listening on a
 * free port of 127.0.0.1, so that a test may stop and start it under a running server without touching the
 * shared test database. It uses the installation's binaries ({@code NOSSO_TEST_POSTGRES_BIN}, default
 * {@code /usr/lib/postgresql/15/bin}), so pgvector, installed there, is available. Without them the test is
 * skipped with the reason, or fails when {@code NOSSO_REQUIRE_POSTGRES=1}. PostgreSQL refuses to run as
 * root; as root the commands run as the {@code postgres} user.
 */
public final class PostgresCluster implements AutoCloseable {

    private final Path bin;
    private final Path folder;
    private final int port;

    private PostgresCluster(Path bin, Path folder, int port) {
        this.bin = bin;
        this.folder = folder;
        this.port = port;
    }

    /** A new cluster, started. */
    public static PostgresCluster start() {
        Path bin = Path.of(System.getenv().getOrDefault("NOSSO_TEST_POSTGRES_BIN", "/usr/lib/postgresql/15/bin"));
        if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
            return TestDatabase.failOrSkip("No initdb and pg_ctl in " + bin
                    + " (set NOSSO_TEST_POSTGRES_BIN), so the test of a PostgreSQL cluster stopped under load is skipped");
        }
        try {
            Path folder = Files.createTempDirectory("nosso-pg-");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            PostgresCluster cluster = new PostgresCluster(bin, folder, port);
            if (asRoot()) {
                cluster.run(List.of("chown", "postgres", folder.toString()), false);
            }
            cluster.run(List.of(bin.resolve("initdb").toString(), "-D", cluster.data(), "-A", "trust", "-U", "postgres",
                    "--no-sync"), true);
            cluster.startAgain();
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JDBC URL of its {@code postgres} database. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** {@code pg_ctl stop -m fast}: open connections are ended, as when an operator stops the database. */
    public void stop() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-m", "fast", "-w", "stop"), true);
    }

    /** Starts it (again) and waits until it accepts connections. */
    public void startAgain() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-l", folder.resolve("log").toString(), "-w",
                "-o", "-p " + port + " -k " + folder + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"), true);
    }

    @Override
    public void close() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-m", "immediate", "-w", "stop"), true);
        } catch (AssertionError alreadyStopped) {
            // stopped by the test
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }

    private String data() {
        return folder.resolve("data").toString();
    }

    private void run(List<String> command, boolean asPostgres) {
        List<String> full = new ArrayList<>();
        if (asPostgres && asRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", full) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
