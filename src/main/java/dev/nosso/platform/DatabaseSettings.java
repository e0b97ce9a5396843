package dev.nosso.platform;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the data lives. An empty {@code url} means the embedded default: SQLite under the data directory.
 *
 * @param url      a {@code jdbc:sqlite:} or {@code jdbc:postgresql:} URL ({@code NOSSO_DATABASE_URL})
 * @param poolSize connections to PostgreSQL, or read connections to SQLite (which always has one writer)
 * @param connectionTimeout how long a request waits for a PostgreSQL connection before it is answered 503
 *                          {@code database-unavailable} ({@code NOSSO_DATABASE_CONNECTION_TIMEOUT}); a few
 *                          seconds, so that a client hears at once that the database is away. SQLite's pools
 *                          keep 30 s: a SQLite file is never away, and waiting there is queueing behind its
 *                          single writer.
 * @param vacuumInterval    SQLite: how often deleted rows' space is given back to the disk
 *                          ({@code NOSSO_DATABASE_VACUUM_INTERVAL}, see {@link IncrementalVacuum})
 */
@ConfigurationProperties("nosso.database")
@Validated
public record DatabaseSettings(String url, String user, String password, @Positive @Max(200) int poolSize,
                               @NotNull Duration connectionTimeout,
                               @NotNull @DurationMin(seconds = 1) Duration vacuumInterval) {

    /** The JDBC URL of the database: {@code url}, or the SQLite file in {@code dataDir} when it is empty. */
    public String jdbcUrl(Path dataDir) {
        if (url != null && !url.isBlank()) {
            return url.trim();
        }
        return "jdbc:sqlite:" + dataDir.resolve("nosso.db");
    }

    /** The SQLite database's file, or empty on PostgreSQL. */
    public Optional<Path> sqliteFile(Path dataDir) {
        String jdbcUrl = jdbcUrl(dataDir);
        if (!jdbcUrl.startsWith("jdbc:sqlite:")) {
            return Optional.empty();
        }
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) {
            file = file.substring(0, query);
        }
        if (file.startsWith("file:")) {
            file = file.substring("file:".length());
        }
        return Optional.of(Path.of(file).toAbsolutePath());
    }
}
