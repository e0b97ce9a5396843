package dev.nosso.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.util.StringUtils;

/**
 * The connection pools. PostgreSQL gets one ordinary pool. SQLite gets one writer and a pool of readers:
 * SQLite allows a single writer at a time, and a second writing connection would only meet "database is
 * locked"; so writers queue for the one connection in the pool, which is fair and never fails, while
 * read-only transactions go to the readers, which WAL mode never blocks.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    // Pragmas as URL parameters hold on every pooled connection, not only the first.
    static final String SQLITE_PRAGMAS = "journal_mode=WAL&busy_timeout=10000&synchronous=NORMAL&foreign_keys=true";

    @Bean
    Dialect dialect(DatabaseSettings settings, @Value("${nosso.data-dir}") Path dataDir) {
        return Dialect.ofUrl(jdbcUrl(settings, dataDir));
    }

    @Bean
    DataSource dataSource(DatabaseSettings settings, @Value("${nosso.data-dir}") Path dataDir, Dialect dialect,
                          ObjectProvider<SessionSetting> sessionSettings) {
        String url = jdbcUrl(settings, dataDir);
        if (dialect == Dialect.POSTGRESQL) {
            // A batch of inserts (a file's chunks) goes as multi-row statements: a few round trips, not one per row.
            HikariDataSource pool = pool("nosso-pg", url, settings, settings.poolSize(),
                    Map.of("reWriteBatchedInserts", "true"), initSql(sessionSettings.orderedStream().toList()));
            return new NossoDataSource(pool, null);
        }
        createParentFolder(url);
        String base = url.contains("?") ? url + "&" : url + "?";
        // IMMEDIATE: the writer takes the write lock when its transaction begins, never mid-way.
        HikariDataSource writer = pool("nosso-sqlite-writer", base + SQLITE_PRAGMAS + "&transaction_mode=IMMEDIATE",
                settings, 1, Map.of(), null);
        HikariDataSource readers = pool("nosso-sqlite-readers", base + SQLITE_PRAGMAS, settings, settings.poolSize(),
                Map.of(), null);
        return new NossoDataSource(writer, readers);
    }

    static String jdbcUrl(DatabaseSettings settings, Path dataDir) {
        return settings.jdbcUrl(dataDir);
    }

    /** One statement that applies every session setting to a new connection; null when there is none. */
    static String initSql(List<SessionSetting> sessionSettings) {
        if (sessionSettings.isEmpty()) {
            return null;
        }
        return sessionSettings.stream().map(SessionSetting::sql).collect(Collectors.joining(", ", "SELECT ", ""));
    }

    private static HikariDataSource pool(String name, String url, DatabaseSettings settings, int size,
                                         Map<String, String> driverProperties, String initSql) {
        HikariConfig config = new HikariConfig();
        if (initSql != null) {
            config.setConnectionInitSql(initSql);
        }
        config.setPoolName(name);
        config.setJdbcUrl(url);
        driverProperties.forEach(config::addDataSourceProperty);
        if (StringUtils.hasText(settings.user())) {
            config.setUsername(settings.user());
        }
        if (StringUtils.hasText(settings.password())) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(size, 2));
        config.setConnectionTimeout(30_000);
        return new HikariDataSource(config);
    }

    private static void createParentFolder(String url) {
        String file = url.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) {
            file = file.substring(0, query);
        }
        if (file.startsWith("file:")) {
            file = file.substring("file:".length());
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent); // the driver does not create it
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data folder " + parent, e);
        }
    }

    /**
     * Routes read-only transactions to the readers (SQLite) and everything else to the writer. It closes
     * both pools on shutdown.
     */
    static final class NossoDataSource extends LazyConnectionDataSourceProxy implements AutoCloseable {

        private final HikariDataSource writer;
        private final HikariDataSource readers;

        NossoDataSource(HikariDataSource writer, HikariDataSource readers) {
            super(writer);
            this.writer = writer;
            this.readers = readers;
            if (readers != null) {
                setReadOnlyDataSource(readers);
            }
        }

        @Override
        public void close() {
            if (readers != null) {
                readers.close();
            }
            writer.close();
        }
    }
}
