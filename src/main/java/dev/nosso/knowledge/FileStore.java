package dev.nosso.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Files' bytes on disk, named by their SHA-256: {@code files/<first two hex digits>/<sha256>} under the data
 * folder. An upload is written to a temporary file first and moved into place in one step, so a reader
 * never sees half a file, and the same bytes are stored once whoever uploads them.
 */
@Component
class FileStore {

    private final Path root;
    private final Path incoming;

    FileStore(@Value("${nosso.data-dir}") Path dataDir) {
        this.root = dataDir.resolve("files");
        this.incoming = root.resolve("incoming");
    }

    /** Bytes received and hashed, not yet in place. */
    record Received(Path temp, long size, String sha256) {
    }

    /** Copies {@code in} to a temporary file, stopping once it passes {@code maxBytes}. */
    Received receive(InputStream in, long maxBytes) throws IOException {
        Files.createDirectories(incoming);
        Path temp = Files.createTempFile(incoming, "upload-", ".part");
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

    /** The storage key of bytes with this hash. */
    static String keyOf(String sha256) {
        return sha256.substring(0, 2) + "/" + sha256;
    }

    /** Puts the received bytes in place, unless the same bytes are there already; the temporary file stays. */
    void place(Received received) {
        Path target = path(keyOf(received.sha256()));
        if (Files.exists(target)) {
            return;
        }
        try {
            Files.createDirectories(target.getParent());
            Path copy = Files.createTempFile(incoming, "place-", ".part");
            Files.copy(received.temp(), copy, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(copy, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(copy, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store an uploaded file under " + root, e);
        }
    }

    void discard(Received received) {
        try {
            Files.deleteIfExists(received.temp());
        } catch (IOException ignored) {
            // a leftover in the incoming folder; harmless
        }
    }

    Path path(String storageKey) {
        return root.resolve(storageKey);
    }

    void delete(String storageKey) {
        try {
            Files.deleteIfExists(path(storageKey));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete a stored file", e);
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
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }
}
