package dev.nosso.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a backup zip holds, and the checks both commands make on it. Entries: {@code nosso-backup.txt} (when,
 * how many files, whether the secret key is in it), {@code nosso.db} (the database), {@code secret.key} (when the
 * installation generated one into its data folder: it seals the stored API keys of model providers, which are
 * unreadable without it) and {@code files/<storage key>} for each stored file's bytes, named as in the files
 * folder. Being a plain zip, it can be read with any unzip tool.
 */
final class BackupArchive {

    static final String MANIFEST = "nosso-backup.txt";
    static final String DATABASE = "nosso.db";
    static final String FILES = "files/";

    record StoredFile(String key, String sha256) {
    }

    private BackupArchive() {
    }

    static byte[] manifest(Instant at, int files, boolean secretKey) {
        return ("format=1\ncreated-at=" + at + "\nfiles=" + files + "\nsecret-key=" + secretKey + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Fails unless SQLite finds the database whole. */
    static void checkIntegrity(Path database) throws SQLException {
        try (Connection connection = open(database);
             ResultSet rs = connection.createStatement().executeQuery("PRAGMA integrity_check")) {
            String result = rs.next() ? rs.getString(1) : "no answer";
            if (!"ok".equals(result)) {
                throw new SQLException("The database copy fails SQLite's integrity check: " + result);
            }
        }
    }

    // An import's uploaded file stays in the store until its job has read it; its row records no SHA-256.
    private static final String IMPORTS_UNREAD = """
            UNION SELECT storage_key, NULL FROM imports WHERE status IN ('queued', 'running')
             AND storage_key NOT IN (SELECT storage_key FROM files)""";

    /**
     * Every stored file the database names, once per storage key, with the SHA-256 its rows recorded (null for an
     * import's file not read yet, whose row records none).
     */
    static List<StoredFile> storedFiles(Path database) throws SQLException {
        List<StoredFile> files = new ArrayList<>();
        try (Connection connection = open(database)) {
            boolean imports;
            try (ResultSet rs = connection.createStatement().executeQuery(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'imports'")) {
                imports = rs.next() && rs.getInt(1) == 1;
            }
            String sql = "SELECT storage_key, MIN(sha256) FROM files GROUP BY storage_key "
                    + (imports ? IMPORTS_UNREAD : "") + " ORDER BY 1";
            try (ResultSet rs = connection.createStatement().executeQuery(sql)) {
                while (rs.next()) {
                    files.add(new StoredFile(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return files;
    }

    /** A storage key's place in a files folder; a key that would leave the folder is refused. */
    static Path inFolder(Path folder, String key) throws IOException {
        Path root = folder.toAbsolutePath().normalize();
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IOException("Not a storage key: " + key);
        }
        return path;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    static void deleteQuietly(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover work folder is harmless
        }
    }

    private static Connection open(Path database) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + database);
    }
}
