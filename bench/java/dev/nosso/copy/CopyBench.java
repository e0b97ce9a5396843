package dev.nosso.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.bench.BenchSetup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code copy-to-postgres} at scale: seeds SQLite files of 100,000 and 1,000,000 messages with their memory
 * chunks ({@link CopySeed}), then runs the real command, as an operator would, in a JVM of its own with a small
 * fixed heap, into a fresh PostgreSQL schema. Measures wall time per phase (read from the command's own output,
 * line by line), rows per second, the process's peak RSS (VmHWM) and the heap's peak before each collection (GC
 * log). The smaller run is the baseline for "constant memory": peak at 1,000,000 ≈ peak at 100,000.
 *
 * <p>Needs {@code NOSSO_TEST_POSTGRES_URL} (a superuser's, to create the scratch database {@code nosso_bench}).
 * Files go to {@code -Dbench.dir} (default: {@code nosso-copy-bench} in the system's temporary folder) and are
 * deleted at the end.
 */
class CopyBench {

    private static final Pattern TABLE_LINE = Pattern.compile("^ {2}(\\S+)\\s+([\\d,]+) rows$");
    private static final Pattern INDEX_LINE = Pattern.compile("^ {2}(\\S+)\\s+\\d+ indexes built in ([\\d.]+) s$");
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @Test
    void copiesAMillionMessagesInConstantMemory() throws Exception {
        String base = System.getenv("NOSSO_TEST_POSTGRES_URL");
        assertThat(base).as("NOSSO_TEST_POSTGRES_URL").isNotBlank();
        String heap = System.getProperty("bench.heap", "256m");
        int[] sizes = Arrays.stream(System.getProperty("messages", "100000,1000000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        String dirName = System.getProperty("bench.dir");
        Path dir = dirName != null ? Path.of(dirName)
                : Path.of(System.getProperty("java.io.tmpdir"), "nosso-copy-bench");
        Files.createDirectories(dir);
        String target = scratchDatabase(base);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("heap", heap);
        result.put("index_memory", System.getProperty("bench.indexMemory", "2GB"));
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("load_average_before", loadAverage());
        try {
            for (int size : sizes) {
                result.put(String.valueOf(size), run(dir, target, size, heap));
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        result.put("load_average_after", loadAverage());
        BenchSetup.print(result);
    }

    private Map<String, Object> run(Path dir, String targetBase, int size, String heap) throws Exception {
        Path file = dir.resolve("nosso-" + size + ".db");
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
        String sqliteUrl = "jdbc:sqlite:" + file;
        long seedStart = System.nanoTime();
        CopySeed.Counts counts = CopySeed.seed(sqliteUrl + "?journal_mode=WAL", size, 42 + size);
        try (Connection c = DriverManager.getConnection(sqliteUrl); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        double seedSeconds = seconds(System.nanoTime() - seedStart);

        String schema = "copy_" + size;
        try (Connection c = DriverManager.getConnection(targetBase); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
        String to = targetBase + "&currentSchema=" + schema + ",public";

        Path gcLog = dir.resolve("gc-" + size + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap,
                "-Xlog:gc:file=" + gcLog, "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
                "dev.nosso.NossoApplication", "copy-to-postgres", "--from", file.toString(), "--to", to,
                "--index-memory", System.getProperty("bench.indexMemory", "2GB")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        long start = System.nanoTime();
        long[] peakRss = {0};
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            Path status = Path.of("/proc/" + process.pid() + "/status");
            while (process.isAlive()) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmHWM:")) {
                            peakRss[0] = Math.max(peakRss[0], Long.parseLong(line.replaceAll("\\D", "")));
                        }
                    }
                    Thread.sleep(100);
                } catch (IOException | InterruptedException | RuntimeException e) {
                    return; // the process ended between the check and the read
                }
            }
        });
        // Phases from the command's own output: each table's line is printed when it is done.
        Map<String, Double> tableSeconds = new LinkedHashMap<>();
        Map<String, Long> tableRows = new LinkedHashMap<>();
        Map<String, Double> indexSeconds = new LinkedHashMap<>();
        List<String> output = new ArrayList<>();
        double copyStart = 0, verifyStart = 0, last = 0, end = 0;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                double at = seconds(System.nanoTime() - start);
                output.add(String.format("%8.2fs %s", at, line));
                Matcher m = TABLE_LINE.matcher(line);
                Matcher index = INDEX_LINE.matcher(line);
                if (line.startsWith("Target schema:")) {
                    copyStart = at;
                    last = at;
                } else if (m.matches() && verifyStart == 0) {
                    tableSeconds.put(m.group(1), round(at - last));
                    tableRows.put(m.group(1), Long.parseLong(m.group(2).replace(",", "")));
                    last = at;
                } else if (index.matches()) {
                    indexSeconds.put(index.group(1), Double.parseDouble(index.group(2)));
                    last = at;
                } else if (line.startsWith("table ") && line.contains("source rows")) {
                    verifyStart = at;
                } else if (line.startsWith("Verified:") || line.startsWith("Verification FAILED")) {
                    end = at;
                }
            }
        }
        int exit = process.waitFor();
        double total = seconds(System.nanoTime() - start);
        sampler.join();
        output.forEach(System.out::println);
        assertThat(exit).as("copy-to-postgres exit code").isZero();

        long rows = tableRows.values().stream().mapToLong(Long::longValue).sum();
        double copySeconds = verifyStart - copyStart;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("seeded", counts);
        r.put("seed_s", round(seedSeconds));
        r.put("sqlite_file_mb", (Files.size(file) + 512 * 1024) / (1024 * 1024));
        r.put("total_s", round(total));
        r.put("start_and_migrate_s", round(copyStart));
        r.put("copy_s", round(copySeconds));
        r.put("verify_s", round(end - verifyStart));
        r.put("rows_copied", rows);
        r.put("rows_per_s", Math.round(rows / copySeconds));
        r.put("messages_per_s", Math.round(tableRows.getOrDefault("messages", 0L) / tableSeconds.getOrDefault("messages", 1.0)));
        r.put("chunks_per_s", Math.round(tableRows.getOrDefault("chunks", 0L) / tableSeconds.getOrDefault("chunks", 1.0)));
        r.put("table_s", tableSeconds);
        r.put("index_build_s", indexSeconds);
        r.put("peak_rss_mb", peakRss[0] / 1024);
        r.put("peak_heap_used_mb", peakHeapUsed(gcLog));
        r.put("gc_count", gcCount(gcLog));
        r.put("target_size_mb", targetSizeMb(targetBase, schema));
        try (Connection c = DriverManager.getConnection(targetBase); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
        System.out.println("BENCH-PART " + size + " " + r);
        return r;
    }

    /** A database of its own, so the benchmark's gigabytes never mix with the tests' schemas. */
    private static String scratchDatabase(String base) throws SQLException {
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'nosso_bench'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE nosso_bench");
            }
        }
        String url = base.replaceFirst("/[^/?]+(\\?|$)", "/nosso_bench$1");
        url = url.contains("?") ? url : url + "?";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS vector");
        }
        return url;
    }

    private static long targetSizeMb(String url, String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                     + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + schema
                     + "' AND c.relkind = 'r'")) {
            rs.next();
            return rs.getLong(1) / (1024 * 1024);
        }
    }

    private static long peakHeapUsed(Path gcLog) throws IOException {
        long peak = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                peak = Math.max(peak, Long.parseLong(m.group(1)));
            }
        }
        return peak;
    }

    private static long gcCount(Path gcLog) throws IOException {
        return Files.readAllLines(gcLog).stream().filter(l -> GC_LINE.matcher(l).find()).count();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double seconds(long nanos) {
        return round(nanos / 1e9);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
