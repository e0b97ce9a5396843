package dev.nosso.knowledge.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Temporary files on this node's disk, under {@code spool/} in the data folder: an upload is received and
 * hashed here before it is stored, and a file kept elsewhere than on this disk is copied here for a parser
 * process to read. Bytes never sit whole in memory. Leftovers of a process that died are removed at the
 * next start.
 */
@Component
public class Spool {

    private static final Duration LEFTOVER_AGE = Duration.ofHours(1);

    private final Path dir;

    public Spool(@Value("${nosso.data-dir}") Path dataDir) {
        this.dir = dataDir.resolve("spool");
        removeLeftovers();
    }

    /** Bytes received and hashed, in a temporary file that {@link #discard} removes. */
    public record Received(Path temp, long size, String sha256) {
    }

    /** A stored file's bytes as a file on this disk, for as long as it is open; a temporary one is then deleted. */
    public record Readable(Path path, boolean temporary) implements AutoCloseable {

        @Override
        public void close() {
            if (temporary) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // a leftover, removed at the next start
                }
            }
        }
    }

    /** Copies {@code in} to a temporary file while hashing it, stopping with {@link TooLarge} past {@code maxBytes}. */
    public Received receive(InputStream in, long maxBytes) throws IOException {
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "upload-", ".part");
        MessageDigest sha256 = sha256();
        long size = 0;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha256)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                size += n;
                if (size > maxBytes) {
                    throw new TooLarge();
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return new Received(temp, size, HexFormat.of().formatHex(sha256.digest()));
    }

    public void discard(Received received) {
        try {
            Files.deleteIfExists(received.temp());
        } catch (IOException ignored) {
            // a leftover, removed at the next start
        }
    }

    /**
     * The bytes under {@code key} as a file: the store's own when it keeps them on this disk, else a copy
     * checked against {@code sha256} and deleted on close. {@link BytesMissing} when the store has none.
     */
    public Readable readable(FileStore store, String key, String sha256) throws IOException {
        var own = store.localPath(key);
        if (own.isPresent()) {
            Path path = own.get();
            if (!Files.isRegularFile(path)) {
                throw new BytesMissing(store.name(), key);
            }
            return new Readable(path, false);
        }
        Received copy;
        try (InputStream in = store.open(key)) {
            copy = receive(in, Long.MAX_VALUE);
        }
        if (!copy.sha256().equals(sha256)) {
            discard(copy);
            throw new IOException("The bytes read from the file store (" + store.name() + ") under " + key
                    + " do not match their SHA-256");
        }
        return new Readable(copy.temp(), true);
    }

    /** The SHA-256 of everything {@code in} holds, read to its end. */
    public static String sha256Of(InputStream in) throws IOException {
        MessageDigest sha256 = sha256();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            sha256.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private void removeLeftovers() {
        Instant cutoff = Instant.now().minus(LEFTOVER_AGE); // younger ones may be another process's, at work
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(file -> modifiedBefore(file, cutoff)).forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // tried again at the next start
                }
            });
        } catch (IOException ignored) {
            // no spool folder yet
        }
    }

    private static boolean modifiedBefore(Path file, Instant cutoff) {
        try {
            return Files.getLastModifiedTime(file).compareTo(FileTime.from(cutoff)) < 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK always has SHA-256", e);
        }
    }

    /** The bytes passed the size limit while they were read. */
    public static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }
}
