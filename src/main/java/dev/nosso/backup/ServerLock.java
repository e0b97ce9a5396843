package dev.nosso.backup;

import dev.nosso.platform.DatabaseSettings;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A lock on {@code nosso.lock} beside the SQLite database, held for as long as the server runs, so that
 * {@code restore} can tell that a server is using the folder and refuse to write under it. The operating
 * system lets go of it when the process ends, however it ends ({@code kill -9} included), so a crash never
 * leaves a stale lock. Nothing on PostgreSQL, where the database is not in a folder of ours.
 */
@Component
class ServerLock implements DisposableBean {

    static final String FILE = "nosso.lock";

    private static final Logger log = LoggerFactory.getLogger(ServerLock.class);

    private final FileChannel channel;
    private final FileLock lock;

    ServerLock(DatabaseSettings settings, @Value("${nosso.data-dir}") Path dataDir) {
        Optional<Path> database = settings.sqliteFile(dataDir);
        FileChannel opened = null;
        FileLock held = null;
        if (database.isPresent()) {
            try {
                opened = open(database.get().resolveSibling(FILE));
                held = opened.tryLock();
                if (held == null) {
                    log.warn("Another process holds {}: is a second server running on this database?",
                            database.get().resolveSibling(FILE));
                }
            } catch (IOException | OverlappingFileLockException e) {
                log.warn("Could not lock {}: {}", database.get().resolveSibling(FILE), e.toString());
            }
        }
        this.channel = opened;
        this.lock = held;
    }

    /** True when a running server holds the lock of the folder that holds {@code database}. */
    static boolean held(Path database) throws IOException {
        Path file = database.resolveSibling(FILE);
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel probe = open(file)) {
            FileLock taken = probe.tryLock();
            if (taken == null) {
                return true;
            }
            taken.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held by a server in this very process
        }
    }

    private static FileChannel open(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    @Override
    public void destroy() throws IOException {
        if (lock != null) {
            lock.release();
        }
        if (channel != null) {
            channel.close();
        }
    }
}
