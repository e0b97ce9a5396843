package dev.nosso.knowledge.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A store that still reads, from the local folder, the files written there before the server was switched
 * to another store (on PostgreSQL the default became {@code database}): an upgraded server keeps serving and
 * parsing them until {@code files-move} has moved them. New bytes go to the store only; deleting removes both
 * copies.
 */
final class FolderFallback implements FileStore {

    private final FileStore store;
    private final LocalFileStore folder;

    FolderFallback(FileStore store, LocalFileStore folder) {
        this.store = store;
        this.folder = folder;
    }

    /** Whether the folder holds any stored bytes, so that reading from it is worth a look. */
    static boolean holdsFiles(LocalFileStore folder) {
        // Stored bytes sit in folders named by two hex digits; "incoming" holds only leftovers.
        try (Stream<Path> entries = Files.list(folder.root())) {
            return entries.anyMatch(dir -> dir.getFileName().toString().matches("[0-9a-f]{2}") && nonEmpty(dir));
        } catch (IOException e) {
            return false; // no folder at all
        }
    }

    private static boolean nonEmpty(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public boolean has(String key) throws IOException {
        return store.has(key) || folder.has(key);
    }

    @Override
    public void put(String key, Path file) throws IOException {
        store.put(key, file);
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return store.open(key);
        } catch (BytesMissing e) {
            if (!folder.has(key)) {
                throw e;
            }
            return folder.open(key);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        store.delete(key);
        folder.delete(key);
    }

    @Override
    public void close() {
        store.close();
    }
}
