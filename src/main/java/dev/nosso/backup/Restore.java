package dev.nosso.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * {@code restore --from FILE [--force]}: puts a {@link Backup} back into the data folder that the settings name.
 * It unpacks into a work folder first and checks everything there before it touches the installation: the
 * database passes {@code PRAGMA integrity_check}, and every stored file's bytes hash to the SHA-256 that its rows
 * recorded. It refuses a folder where a server runs (its {@link ServerLock} is held), and a folder that already
 * holds a database or files unless {@code --force} is given, when the database there is replaced. Exit code 0
 * when restored, 1 when refused or the backup is damaged, 2 for bad arguments.
 */
public final class Restore {

    public static final String COMMAND = "restore";

    private Restore() {
    }

    public static int run(String[] args) {
        return run(args, System.out);
    }

    static int run(String[] args, PrintStream out) {
        Installation at = Installation.read(COMMAND, args);
        String from = at.options().getProperty("from", "");
        boolean force = at.options().containsProperty("force");
        if (from.isBlank() || at.database().isEmpty()) {
            out.println(at.database().isEmpty()
                    ? "The database is PostgreSQL: restore it with pg_restore (see the README, \"Backups\")."
                    : "usage: " + COMMAND + " --from=FILE.zip [--force] [--nosso.data-dir=…]");
            return 2;
        }
        Path database = at.database().get();
        Path work = null;
        try {
            if (ServerLock.held(database)) {
                out.println("A server is running on " + database.getParent() + ": stop it before restoring.");
                return 1;
            }
            if (!force && holdsData(database, at.filesDir())) {
                out.println(database.getParent() + " already holds a database or files; restoring would replace "
                        + "them. Give --force to do so, or restore into an empty folder (--nosso.data-dir=…).");
                return 1;
            }
            Files.createDirectories(database.getParent());
            work = Files.createTempDirectory(database.getParent(), ".nosso-restore-");
            Map<String, Path> unpacked = unpack(Path.of(from), work);
            Path copy = unpacked.get(BackupArchive.DATABASE);
            if (copy == null) {
                out.println(from + " is not a Nosso backup: it holds no " + BackupArchive.DATABASE);
                return 1;
            }
            BackupArchive.checkIntegrity(copy);
            List<BackupArchive.StoredFile> files = BackupArchive.storedFiles(copy);
            int missing = 0;
            for (BackupArchive.StoredFile stored : files) {
                Path bytes = unpacked.get(BackupArchive.FILES + stored.key());
                if (bytes == null) {
                    missing++;
                } else if (stored.sha256() != null && !BackupArchive.sha256(bytes).equals(stored.sha256())) {
                    out.println("The backup is damaged: the bytes of " + stored.key() + " do not match their SHA-256.");
                    return 1;
                }
            }
            for (String suffix : new String[] {"-wal", "-shm"}) {
                Files.deleteIfExists(database.resolveSibling(database.getFileName() + suffix));
            }
            Files.move(copy, database, StandardCopyOption.REPLACE_EXISTING);
            Path secret = unpacked.get(Installation.SECRET_KEY);
            if (secret != null) {
                Files.move(secret, at.dataDir().resolve(Installation.SECRET_KEY), StandardCopyOption.REPLACE_EXISTING);
            }
            for (BackupArchive.StoredFile stored : files) {
                Path bytes = unpacked.get(BackupArchive.FILES + stored.key());
                Path place = BackupArchive.inFolder(at.filesDir(), stored.key());
                if (bytes != null && !Files.exists(place)) {
                    Files.createDirectories(place.getParent());
                    Files.move(bytes, place);
                }
            }
            out.printf("Restored %s and %,d stored files from %s%s%n", database, files.size() - missing, from,
                    missing == 0 ? "" : "; " + missing + " files named by the database were not in the backup");
            return 0;
        } catch (IOException | SQLException e) {
            out.println("Not restored: " + e.getMessage());
            return 1;
        } finally {
            BackupArchive.deleteQuietly(work);
        }
    }

    private static boolean holdsData(Path database, Path filesDir) throws IOException {
        if (Files.isRegularFile(database) && Files.size(database) > 0) {
            return true;
        }
        if (!Files.isDirectory(filesDir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(filesDir)) {
            return files.anyMatch(Files::isRegularFile);
        }
    }

    /** The zip's entries as files under {@code work}, by entry name; names that would leave it are refused. */
    private static Map<String, Path> unpack(Path zip, Path work) throws IOException {
        Map<String, Path> entries = new HashMap<>();
        try (InputStream file = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(file)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.isDirectory()) {
                    continue;
                }
                Path target = BackupArchive.inFolder(work, entry.getName());
                Files.createDirectories(target.getParent());
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                entries.put(entry.getName(), target);
            }
        }
        return entries;
    }
}
