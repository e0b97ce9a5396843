package dev.nosso.knowledge.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.nosso.platform.DatabaseSettings;
import dev.nosso.platform.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.modulith.NamedInterface;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code files-move}: copies every uploaded file's bytes from one store to another (say from the local folder
 * to the database or S3, after switching {@code NOSSO_FILES_STORE}), and verifies each copy by reading it back
 * and comparing its SHA-256 with the one the file's row recorded at upload.
 * <ul>
 * <li>Reads the settings as the server does ({@code application.yml}, environment, {@code --nosso.…} options),
 * so the target is the store those settings describe; the source is {@code --from} (default {@code local}, the
 * folder {@code NOSSO_FILES_DIR} or {@code --from-dir}).</li>
 * <li>Idempotent and resumable: bytes already in the target and matching their hash are left alone, so a
 * second run, or one after an interruption, only does what is left. A damaged copy in the target is replaced.</li>
 * <li>Leaves the source as it is: remove it once the server runs on the new store.</li>
 * </ul>
 * Exit code 0 when every file's bytes are verified in the target; 1 when some are missing or damaged in the
 * source (each named by its storage key) or the move stopped; 2 for bad arguments.
 *
 * <p>The one type of {@code storage} that the outside sees: {@code NossoApplication} runs it when the first
 * argument names it.
 */
@NamedInterface("files-move")
public final class FilesMove {

    public static final String COMMAND = "files-move";

    private static final int BATCH = 500;
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    // Every stored key once, with the hash its rows recorded; not user data, only what the bytes must hash to.
    private static final String KEYS_AFTER = """
            SELECT storage_key, MIN(sha256) AS sha256, MIN(size) AS size FROM files
             WHERE storage_key > :after GROUP BY storage_key ORDER BY storage_key LIMIT :limit
            """;

    private final FileStore from;
    private final FileStore to;
    private final Spool spool;
    private final PrintStream out;
    private final List<String> missing = new ArrayList<>();
    private final List<String> damaged = new ArrayList<>();
    private long moved;
    private long movedBytes;
    private long present;

    private FilesMove(FileStore from, FileStore to, Spool spool, PrintStream out) {
        this.from = from;
        this.to = to;
        this.spool = spool;
        this.out = out;
    }

    // Not a @Configuration: the server's component scan must not pick it up.
    @EnableConfigurationProperties({FileStoreSettings.class, DatabaseSettings.class})
    static class Settings {
    }

    /** Runs the command with the arguments after {@code files-move} (or with it first) and returns the exit code. */
    public static int run(String[] args) {
        return run(args, System.out);
    }

    static int run(String[] args, PrintStream out) {
        String[] rest = args.length > 0 && COMMAND.equals(args[0]) ? Arrays.copyOfRange(args, 1, args.length) : args;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Settings.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                .properties("logging.level.root=warn").run(rest)) {
            Environment env = context.getEnvironment();
            FileStoreSettings settings = context.getBean(FileStoreSettings.class);
            DatabaseSettings database = context.getBean(DatabaseSettings.class);
            Path dataDir = Path.of(env.getRequiredProperty("nosso.data-dir"));
            StoreKind toKind;
            StoreKind fromKind;
            try {
                toKind = StoreKind.ofWire(env.getProperty("to", ""));
                fromKind = StoreKind.ofWire(env.getProperty("from", "local"));
            } catch (IllegalArgumentException e) {
                out.println(e.getMessage());
                out.println("usage: " + COMMAND + " --to=<local|database|s3> [--from=<local|database|s3>] "
                        + "[--from-dir=<folder>] [--nosso.files.…=…]");
                return 2;
            }
            FileStoreSettings source = fromKind == StoreKind.LOCAL && env.containsProperty("from-dir")
                    ? new FileStoreSettings(fromKind, Path.of(env.getProperty("from-dir")), settings.s3()) : settings;
            if (fromKind == toKind && (toKind != StoreKind.LOCAL || source.dir().toAbsolutePath().normalize()
                    .equals(settings.dir().toAbsolutePath().normalize()))) {
                out.println("--from and --to name the same store: nothing to move");
                return 2;
            }
            return move(database.jdbcUrl(dataDir), database, fromKind, source, toKind, settings, new Spool(dataDir), out);
        } catch (RuntimeException e) {
            out.println("Stopped: " + e.getMessage());
            return 1;
        }
    }

    private static int move(String url, DatabaseSettings database, StoreKind fromKind, FileStoreSettings source,
                            StoreKind toKind, FileStoreSettings target, Spool spool, PrintStream out) {
        Dialect dialect = Dialect.ofUrl(url);
        try (HikariDataSource pool = pool(url, database)) {
            // The schema the server would have at start-up, so that the database store's table exists.
            Flyway.configure().dataSource(pool).locations("classpath:db/migration/"
                    + (dialect == Dialect.POSTGRESQL ? "postgresql" : "sqlite")).load().migrate();
            JdbcClient jdbc = JdbcClient.create(pool);
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
            try (FileStore from = FileStores.open(fromKind, source, dialect, jdbc, transactions);
                 FileStore to = FileStores.open(toKind, target, dialect, jdbc, transactions)) {
                out.println("Moving uploaded files' bytes from " + FileStores.describe(from, source) + " to "
                        + FileStores.describe(to, target));
                return new FilesMove(from, to, spool, out).moveAll(jdbc);
            }
        }
    }

    private int moveAll(JdbcClient jdbc) {
        long total = jdbc.sql("SELECT COUNT(DISTINCT storage_key) FROM files").query(Long.class).single();
        long done = 0;
        long lastProgress = System.nanoTime();
        String after = "";
        try {
            List<Stored> batch;
            do {
                batch = jdbc.sql(KEYS_AFTER).param("after", after).param("limit", BATCH)
                        .query((rs, row) -> new Stored(rs.getString("storage_key"), rs.getString("sha256"),
                                rs.getLong("size"))).list();
                for (Stored stored : batch) {
                    move(stored);
                    done++;
                    if (System.nanoTime() - lastProgress >= PROGRESS_EVERY_NANOS) {
                        lastProgress = System.nanoTime();
                        out.printf("  %,d of %,d files%n", done, total);
                    }
                }
                after = batch.isEmpty() ? after : batch.getLast().key();
            } while (batch.size() == BATCH);
        } catch (IOException e) {
            out.println("Stopped: " + e.getMessage());
            out.println("What was moved is kept; run the same command again to continue.");
            return 1;
        }
        out.printf("Files' bytes: %,d moved (%,d bytes), %,d there already; all %,d verified by SHA-256 in the %s store.%n",
                moved, movedBytes, present, moved + present, to.name());
        if (!missing.isEmpty()) {
            out.printf("Missing from the %s store, so not moved (%d): %s%n", from.name(), missing.size(),
                    String.join(", ", missing));
        }
        if (!damaged.isEmpty()) {
            out.printf("Damaged in the %s store: their bytes do not match their SHA-256, so not moved (%d): %s%n",
                    from.name(), damaged.size(), String.join(", ", damaged));
        }
        return missing.isEmpty() && damaged.isEmpty() ? 0 : 1;
    }

    private record Stored(String key, String sha256, long size) {
    }

    private void move(Stored stored) throws IOException {
        if (to.has(stored.key())) {
            if (hashIn(to, stored.key()).equals(stored.sha256())) {
                present++;
                return;
            }
            out.println("  replacing a damaged copy in the target: " + stored.key());
            to.delete(stored.key());
        }
        if (!from.has(stored.key())) {
            missing.add(stored.key());
            return;
        }
        Spool.Received copy;
        try (InputStream in = from.open(stored.key())) {
            copy = spool.receive(in, Long.MAX_VALUE);
        }
        try {
            if (!copy.sha256().equals(stored.sha256())) {
                damaged.add(stored.key());
                return;
            }
            to.put(stored.key(), copy.temp());
        } finally {
            spool.discard(copy);
        }
        String written = hashIn(to, stored.key());
        if (!written.equals(stored.sha256())) {
            throw new IOException("The copy of " + stored.key() + " in the " + to.name()
                    + " store does not match its SHA-256 when read back");
        }
        moved++;
        movedBytes += copy.size();
    }

    private static String hashIn(FileStore store, String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return Spool.sha256Of(in);
        }
    }

    private static HikariDataSource pool(String url, DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("nosso-" + COMMAND);
        boolean sqlite = url.startsWith("jdbc:sqlite:");
        config.setJdbcUrl(sqlite && !url.contains("?") ? url + "?busy_timeout=10000" : url);
        if (settings.user() != null && !settings.user().isBlank()) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null && !settings.password().isBlank()) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(0);
        return new HikariDataSource(config);
    }
}
