package dev.nosso.knowledge.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nosso.platform.Dialect;
import dev.nosso.support.S3Mock;
import dev.nosso.support.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each store on its real back-end: a folder, PostgreSQL ({@code NOSSO_TEST_POSTGRES_URL}; skipped without it
 * unless {@code NOSSO_REQUIRE_POSTGRES=1}) and S3Mock. What the rest of the server relies on: bytes come back
 * whole, a second put changes nothing, a missing key is {@link BytesMissing}, an unreachable store another
 * IOException.
 */
class FileStoreTest {

    private TestDatabase database;
    private Path folder;

    @AfterEach
    void cleanUp() throws IOException {
        if (database != null) {
            database.close();
        }
        if (folder != null) {
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(StoreKind.class)
    void bytesOfManyPartsComeBackWholeAndADeletedKeyIsMissing(StoreKind kind) throws IOException {
        try (FileStore store = open(kind)) {
            // Over two of the database's 1 MiB parts, ending in a part of a few bytes.
            byte[] bytes = new byte[2 * DatabaseFileStore.PART_BYTES + 17];
            new Random(7).nextBytes(bytes);
            String key = keyOf(bytes);

            assertThat(store.has(key)).isFalse();
            store.put(key, write(bytes));
            store.put(key, write(new byte[] {1, 2, 3})); // the key names its bytes: a second put changes nothing

            assertThat(store.has(key)).isTrue();
            assertThat(read(store, key)).isEqualTo(bytes);
            store.delete(key);
            assertThat(store.has(key)).isFalse();
            assertThatThrownBy(() -> store.open(key)).isInstanceOf(BytesMissing.class).hasMessageContaining(key);
            store.delete(key); // deleting what is not there is fine
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(StoreKind.class)
    void aCopyForAParserIsCheckedAgainstItsHashAndRemovedWhenClosed(StoreKind kind) throws IOException {
        Spool spool = new Spool(folder());
        try (FileStore store = open(kind)) {
            byte[] bytes = "A text for the parser.".getBytes();
            String key = keyOf(bytes);
            store.put(key, write(bytes));

            Path seen;
            try (Spool.Readable readable = spool.readable(store, key, sha256(bytes))) {
                seen = readable.path();
                assertThat(Files.readAllBytes(seen)).isEqualTo(bytes);
            }
            // The folder's own file stays; a copy is gone.
            assertThat(Files.exists(seen)).isEqualTo(kind == StoreKind.LOCAL);
            if (kind != StoreKind.LOCAL) {
                assertThatThrownBy(() -> spool.readable(store, key, sha256(new byte[] {0})))
                        .isInstanceOf(IOException.class).hasMessageContaining("do not match");
            }
            assertThatThrownBy(() -> spool.readable(store, FileStore.keyOf(sha256(new byte[] {9})), "x"))
                    .isInstanceOf(BytesMissing.class);
        }
    }

    @Test
    void storesOutOfReachFailWithAnIOExceptionThatIsNotBytesMissing() throws IOException {
        String key = keyOf(new byte[] {1});
        FileStoreSettings nowhere = settings(new FileStoreSettings.S3("http://127.0.0.1:" + closedPort(), "us-east-1",
                "bucket", "key", "secret", true, ""));
        var pool = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:" + closedPort() + "/nosso");
        try (FileStore s3 = FileStores.open(StoreKind.S3, nowhere, Dialect.SQLITE, null, null);
             FileStore db = FileStores.open(StoreKind.DATABASE, nowhere, Dialect.POSTGRESQL, JdbcClient.create(pool),
                     new TransactionTemplate(new DataSourceTransactionManager(pool)))) {
            for (FileStore store : new FileStore[] {s3, db}) {
                assertThatThrownBy(() -> store.open(key)).as(store.name())
                        .isInstanceOf(IOException.class).isNotInstanceOf(BytesMissing.class);
                assertThatThrownBy(() -> store.has(key)).as(store.name())
                        .isInstanceOf(IOException.class).isNotInstanceOf(BytesMissing.class);
            }
        }
    }

    @Test
    void theDatabaseStoreIsRefusedOnSqliteWithTheReason() {
        assertThatThrownBy(() -> FileStores.open(StoreKind.DATABASE, settings(null), Dialect.SQLITE, null, null))
                .hasMessageContaining("nosso.files.store=database").hasMessageContaining("needs PostgreSQL");
    }

    private FileStore open(StoreKind kind) throws IOException {
        return switch (kind) {
            case LOCAL -> FileStores.open(kind, settings(null), Dialect.SQLITE, null, null);
            case DATABASE -> {
                database = TestDatabase.fresh(Dialect.POSTGRESQL);
                Flyway.configure().dataSource(database.url(), null, null)
                        .locations("classpath:db/migration/postgresql").load().migrate();
                var pool = new DriverManagerDataSource(database.url());
                yield FileStores.open(kind, settings(null), Dialect.POSTGRESQL, JdbcClient.create(pool),
                        new TransactionTemplate(new DataSourceTransactionManager(pool)));
            }
            case S3 -> {
                S3Mock s3 = S3Mock.shared();
                yield FileStores.open(kind, settings(new FileStoreSettings.S3(s3.endpoint(), "us-east-1",
                        s3.newBucket(), S3Mock.ACCESS_KEY, S3Mock.SECRET_KEY, true, "nosso/")), Dialect.SQLITE, null, null);
            }
        };
    }

    private FileStoreSettings settings(FileStoreSettings.S3 s3) throws IOException {
        return new FileStoreSettings(null, folder().resolve("files"), s3);
    }

    private Path folder() throws IOException {
        if (folder == null) {
            folder = Files.createTempDirectory("nosso-store-test-");
        }
        return folder;
    }

    private Path write(byte[] bytes) throws IOException {
        Path file = Files.createTempFile(folder(), "bytes-", ".bin");
        Files.write(file, bytes);
        return file;
    }

    private static byte[] read(FileStore store, String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
    }

    private static String keyOf(byte[] bytes) {
        return FileStore.keyOf(sha256(bytes));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int closedPort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort(); // free once closed: nothing listens there
        }
    }
}
