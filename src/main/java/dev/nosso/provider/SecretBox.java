package dev.nosso.provider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals short secrets (providers' API keys) for storage: AES-256-GCM with a fresh 12-byte nonce per seal and a
 * 128-bit tag, written as {@code v1:} + base64(nonce || ciphertext || tag). The tag makes any change to a
 * stored value, or a value sealed under another key, fail to open instead of yielding garbage.
 *
 * <p>The key is {@code nosso.secret-key} ({@code NOSSO_SECRET_KEY}), 32 random bytes in base64; without it, a
 * key generated once into {@code <data dir>/secret.key}, readable by its owner only. Several nodes must share
 * one key, so they need the setting; so does a server whose data folder is not kept.
 */
final class SecretBox {

    static final String KEY_FILE = "secret.key";

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final String VERSION = "v1:";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    SecretBox(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("An AES-256 key has " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The box for this server: the configured key if there is one, else the data folder's key file. */
    static SecretBox load(String configuredKey, Path dataDir) {
        if (configuredKey != null && !configuredKey.isBlank()) {
            return new SecretBox(decodeKey(configuredKey.strip(), "nosso.secret-key (NOSSO_SECRET_KEY)"));
        }
        return new SecretBox(keyFromFile(dataDir.resolve(KEY_FILE)));
    }

    String seal(String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return VERSION + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /** @throws Unreadable when the value was changed, sealed under another key, or is not a sealed value */
    String open(String sealed) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new Unreadable("not a value sealed by this server (no " + VERSION + " prefix)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            throw new Unreadable("not base64");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new Unreadable("too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new Unreadable("sealed under another secret key, or changed since");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /** A stored secret that cannot be opened with this server's key. The message never holds the secret. */
    static final class Unreadable extends RuntimeException {
        Unreadable(String why) {
            super("The stored secret cannot be read: " + why + ".");
        }
    }

    private static byte[] decodeKey(String text, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException notStandard) {
            try {
                key = Base64.getUrlDecoder().decode(text);
            } catch (IllegalArgumentException notUrlSafe) {
                throw new IllegalStateException(where + " is not base64; it must be " + KEY_BYTES
                        + " random bytes in base64, such as the output of `openssl rand -base64 32`");
            }
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException(where + " decodes to " + key.length + " bytes; it must be " + KEY_BYTES
                    + " random bytes in base64, such as the output of `openssl rand -base64 32`");
        }
        return key;
    }

    private static byte[] keyFromFile(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            warnIfOthersCanRead(file);
            return decodeKey(Files.readString(file, StandardCharsets.US_ASCII).strip(), "The key file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the secret key file " + file
                    + "; set NOSSO_SECRET_KEY instead", e);
        }
    }

    // Written whole into a private temporary file, then moved into place: no other process ever reads a
    // half-written key, and of two servers starting at once on one folder the second keeps the first's key.
    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        Path temporary;
        if (posix()) {
            temporary = Files.createTempFile(dir, KEY_FILE, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            temporary = Files.createTempFile(dir, KEY_FILE, ".tmp");
            ownerOnly(temporary);
        }
        try {
            Files.writeString(temporary, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, file);
            log.info("Generated the secret key that seals stored API keys in {}. Back it up with the database: "
                    + "without it those keys cannot be read. Several nodes need NOSSO_SECRET_KEY instead.", file);
        } catch (FileAlreadyExistsException e) {
            log.info("Another process created {} first; using its key.", file);
        } finally {
            Files.deleteIfExists(temporary);
            Arrays.fill(key, (byte) 0);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    // Best effort where POSIX permissions do not exist (Windows): the file's ACL then decides.
    private static void ownerOnly(Path file) {
        var f = file.toFile();
        boolean restricted = f.setReadable(false, false) & f.setReadable(true, true)
                & f.setWritable(false, false) & f.setWritable(true, true);
        if (!restricted) {
            log.warn("Could not restrict {} to its owner; check its permissions.", file);
        }
    }

    private static void warnIfOthersCanRead(Path file) throws IOException {
        if (!posix()) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
            log.warn("{} can be read by other users than its owner; `chmod 600` it.", file);
        }
    }
}
