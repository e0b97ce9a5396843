package dev.nosso.knowledge.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where uploaded files' bytes live, by storage key ({@code <first two hex digits>/<sha256>}): a folder, the
 * PostgreSQL database, or S3-compatible object storage, one chosen at start-up ({@code nosso.files.store}).
 * Keys name their content, so writing a key that exists already changes nothing and any number of file rows
 * (one per user with these bytes) share one copy.
 *
 * <p>Every method may throw an {@link IOException}: {@link BytesMissing} when the key holds nothing, any other
 * when the store cannot be reached or refuses. Callers treat the latter as passing (try again later).
 */
public interface FileStore extends AutoCloseable {

    /** The storage key of bytes with this hash. */
    static String keyOf(String sha256) {
        return sha256.substring(0, 2) + "/" + sha256;
    }

    /** What the logs and the operator call this store: {@code local}, {@code database} or {@code s3}. */
    String name();

    /** Whether bytes are stored under {@code key}. */
    boolean has(String key) throws IOException;

    /**
     * Stores the bytes of {@code file} under {@code key} whole, or not at all: a reader never sees part of
     * them. Nothing happens when the key is there already.
     */
    void put(String key, Path file) throws IOException;

    /**
     * The bytes under {@code key}, to be closed by the caller. A missing key fails here, before the first
     * byte is read, with {@link BytesMissing}.
     */
    InputStream open(String key) throws IOException;

    /** Removes the bytes under {@code key}; a key that holds nothing is fine. */
    void delete(String key) throws IOException;

    /**
     * The file on this machine's disk that holds the bytes, for a store that keeps them so; a parser process
     * then reads it directly instead of a copy. Empty for the other stores.
     */
    default Optional<Path> localPath(String key) {
        return Optional.empty();
    }

    @Override
    default void close() {
    }
}
