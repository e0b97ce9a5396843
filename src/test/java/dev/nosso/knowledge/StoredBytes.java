package dev.nosso.knowledge;

import dev.nosso.platform.Dialect;
import dev.nosso.support.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * What a file store holds, seen behind the server's back: the folder's files, the rows of {@code file_parts},
 * or the bucket's objects. Tests check the server's effects on the store with it, and take bytes away to see
 * how the server copes.
 */
interface StoredBytes {

    /** Whether bytes are stored under {@code key}. */
    boolean has(String key);

    /** How many distinct keys hold bytes. */
    int count();

    /** Takes the bytes under {@code key} away, as a lost disk or a hand-made mistake would. */
    void remove(String key);

    /** The store the server uses by default on {@code database}: the folder on SQLite, the table on PostgreSQL. */
    static StoredBytes byDefault(TestDatabase database) {
        return database.dialect() == Dialect.POSTGRESQL ? inTable(database) : inFolder(database.dataDir().resolve("files"));
    }

    static StoredBytes inFolder(Path root) {
        return new StoredBytes() {
            @Override
            public boolean has(String key) {
                return Files.isRegularFile(root.resolve(key));
            }

            @Override
            public int count() {
                if (!Files.exists(root)) {
                    return 0;
                }
                try (Stream<Path> walk = Files.walk(root)) {
                    return (int) walk.filter(Files::isRegularFile)
                            .filter(p -> !root.relativize(p).startsWith("incoming")).count();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void remove(String key) {
                try {
                    Files.delete(root.resolve(key));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    static StoredBytes inTable(TestDatabase database) {
        return new StoredBytes() {
            @Override
            public boolean has(String key) {
                return query("SELECT count(*) FROM file_parts WHERE storage_key = ?", key) > 0;
            }

            @Override
            public int count() {
                return query("SELECT count(DISTINCT storage_key) FROM file_parts", null);
            }

            @Override
            public void remove(String key) {
                try (Connection c = database.connect();
                     PreparedStatement s = c.prepareStatement("DELETE FROM file_parts WHERE storage_key = ?")) {
                    s.setString(1, key);
                    s.executeUpdate();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }

            private int query(String sql, String key) {
                try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement(sql)) {
                    if (key != null) {
                        s.setString(1, key);
                    }
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        return rs.getInt(1);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    static StoredBytes inBucket(S3Client s3, String bucket) {
        return new StoredBytes() {
            @Override
            public boolean has(String key) {
                try {
                    s3.headObject(r -> r.bucket(bucket).key(key));
                    return true;
                } catch (NoSuchKeyException e) {
                    return false;
                }
            }

            @Override
            public int count() {
                return s3.listObjectsV2(r -> r.bucket(bucket)).keyCount();
            }

            @Override
            public void remove(String key) {
                s3.deleteObject(r -> r.bucket(bucket).key(key));
            }
        };
    }
}
