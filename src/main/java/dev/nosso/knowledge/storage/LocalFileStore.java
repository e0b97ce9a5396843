package dev.nosso.knowledge.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Bytes in a folder, {@code <dir>/<first two hex digits>/<sha256>}: by default {@code files/} under the data
 * folder. Several nodes may share one folder (NFS, a mounted volume): a file is written beside its place and
 * moved there in one step, so a reader on any node never sees half of it.
 */
final class LocalFileStore implements FileStore {

    private final Path root;
    private final Path incoming;

    LocalFileStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.incoming = this.root.resolve("incoming");
    }

    @Override
    public String name() {
        return "local";
    }

    Path root() {
        return root;
    }

    @Override
    public boolean has(String key) {
        return Files.isRegularFile(path(key));
    }

    @Override
    public void put(String key, Path file) throws IOException {
        Path target = path(key);
        if (Files.exists(target)) {
            return;
        }
        Files.createDirectories(target.getParent());
        Files.createDirectories(incoming);
        // Copied next to its place first: the move into place is then atomic, even from another disk.
        Path copy = Files.createTempFile(incoming, "place-", ".part");
        try {
            Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(copy, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(copy, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return Files.newInputStream(path(key));
        } catch (NoSuchFileException e) {
            throw new BytesMissing(name(), key);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(path(key));
    }

    @Override
    public Optional<Path> localPath(String key) {
        return Optional.of(path(key));
    }

    private Path path(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.startsWith(incoming)) {
            throw new IllegalArgumentException("Not a storage key: " + key); // keys come from our own rows
        }
        return path;
    }
}
