package dev.nosso.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code backup --to FILE}: a consistent copy of a SQLite installation, taken while the server serves, in one
 * zip ({@link BackupArchive} says what it holds). The database is copied with {@code VACUUM INTO}, which reads
 * one snapshot (a read transaction, which WAL mode lets run beside the server's writes, never blocking them)
 * and writes it compacted; the copy is checked with {@code PRAGMA integrity_check}. Then the bytes of every
 * file that the copy's rows name are added from the files folder, so the zip holds what the copy needs and
 * nothing uploaded after it. A file deleted between the copy and its turn is named as missing. The zip is
 * written beside its place and moved there at the end: an interrupted backup leaves no half file under the
 * name. Exit code 0 when done, 1 when it could not be taken, 2 for bad arguments or a PostgreSQL database.
 */
public final class Backup {

    public static final String COMMAND = "backup";

    private Backup() {
    }

    public static int run(String[] args) {
        return run(args, System.out);
    }

    static int run(String[] args, PrintStream out) {
        Installation at = Installation.read(COMMAND, args);
        String to = at.options().getProperty("to", "");
        if (to.isBlank()) {
            out.println("usage: " + COMMAND + " --to=FILE.zip [--nosso.data-dir=…]");
            return 2;
        }
        if (at.database().isEmpty()) {
            out.println("The database is PostgreSQL: back it up with pg_dump (see the README, \"Backups\").");
            return 2;
        }
        Path database = at.database().get();
        if (!Files.isRegularFile(database)) {
            out.println("No database at " + database + ": nothing to back up.");
            return 1;
        }
        Path target = Path.of(to).toAbsolutePath();
        Path work = null;
        try {
            Files.createDirectories(target.getParent());
            work = Files.createTempDirectory(target.getParent(), ".nosso-backup-");
            long started = System.nanoTime();
            Path copy = work.resolve(BackupArchive.DATABASE);
            snapshot(database, copy);
            BackupArchive.checkIntegrity(copy);
            List<BackupArchive.StoredFile> files = BackupArchive.storedFiles(copy);
            Path part = work.resolve("backup.zip");
            List<String> missing = new ArrayList<>();
            long bytes = write(part, at, copy, files, missing);
            move(part, target);
            out.printf("Backed up %s and %,d of %,d stored files (%,d bytes) to %s in %d ms%n", database,
                    files.size() - missing.size(), files.size(), bytes, target,
                    (System.nanoTime() - started) / 1_000_000);
            if (!at.filesInFolder()) {
                out.println("Files' bytes are in the " + at.filesStore() + " store, not in this backup: back that up "
                        + "on its own.");
            }
            if (!missing.isEmpty()) {
                out.printf("Not in the files folder, so not in the backup (deleted since the copy, or lost): %s%n",
                        String.join(", ", missing));
            }
            return 0;
        } catch (IOException | SQLException e) {
            out.println("The backup was not taken: " + e.getMessage());
            return 1;
        } finally {
            BackupArchive.deleteQuietly(work);
        }
    }

    private static void snapshot(Path database, Path copy) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database + "?busy_timeout=10000")) {
            connection.createStatement().execute("VACUUM INTO '" + copy.toString().replace("'", "''") + "'");
        }
    }

    private static long write(Path zip, Installation at, Path copy, List<BackupArchive.StoredFile> files,
                              List<String> missing) throws IOException {
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            Path secret = at.dataDir().resolve(Installation.SECRET_KEY);
            boolean withSecret = Files.isRegularFile(secret);
            out.putNextEntry(new ZipEntry(BackupArchive.MANIFEST));
            out.write(BackupArchive.manifest(Instant.now(), files.size(), withSecret));
            out.closeEntry();
            add(out, BackupArchive.DATABASE, copy);
            if (withSecret) {
                add(out, Installation.SECRET_KEY, secret);
            }
            if (at.filesInFolder()) {
                for (BackupArchive.StoredFile stored : files) {
                    Path bytes = BackupArchive.inFolder(at.filesDir(), stored.key());
                    if (Files.isRegularFile(bytes)) {
                        add(out, BackupArchive.FILES + stored.key(), bytes);
                    } else {
                        missing.add(stored.key());
                    }
                }
            }
            out.finish();
            file.flush();
        }
        try (var channel = java.nio.channels.FileChannel.open(zip, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true); // on disk before it takes the name
        }
        return Files.size(zip);
    }

    private static void add(ZipOutputStream out, String name, Path file) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        Files.copy(file, out);
        out.closeEntry();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
