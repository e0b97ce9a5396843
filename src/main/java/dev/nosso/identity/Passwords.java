package dev.nosso.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password hashing and the length rule.
 *
 * <p>bcrypt reads at most 72 bytes, and Spring's encoder refuses longer input rather than silently ignore
 * the tail; passphrases of up to {@value #MAX_LENGTH} characters should work and count in full. So bcrypt
 * hashes the base64 of the password's SHA-256 (44 ASCII bytes, no NUL that would end bcrypt's input early).
 * The stored form carries a {@value #SCHEME} prefix so that a later scheme can tell old hashes apart.
 *
 * <p>The maximum bounds the work an anonymous request can cause: SHA-256 over 256 characters is nothing,
 * and bcrypt's cost does not depend on the length.
 */
@Component
class Passwords {

    static final int MAX_LENGTH = 256;
    private static final String SCHEME = "{bcrypt-sha256}";

    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
    private final int minLength;
    // Checked against when the email is unknown, so that answering takes as long as for a real account. Made on
    // a thread of its own: a bcrypt hash is about a tenth of a second of processor, which start-up need not wait
    // for (the first sign-in does, if it comes sooner).
    private final CompletableFuture<String> decoy;

    Passwords(IdentitySettings settings) {
        this.minLength = settings.minPasswordLength();
        this.decoy = CompletableFuture.supplyAsync(() -> hash(Tokens.random()),
                runnable -> Thread.ofVirtual().name("password-decoy").start(runnable));
    }

    /** Throws a 400 {@code validation} problem when the password breaks the length rule. */
    void checkRule(String password) {
        if (password == null) {
            throw new InvalidInput("password", "is required.");
        }
        int length = password.codePointCount(0, password.length());
        if (length < minLength) {
            throw new InvalidInput("password", "must be at least " + minLength + " characters long.");
        }
        if (length > MAX_LENGTH) {
            throw new InvalidInput("password", "must be at most " + MAX_LENGTH + " characters long.");
        }
    }

    String hash(String password) {
        return SCHEME + bcrypt.encode(digest(password));
    }

    boolean matches(String password, String stored) {
        if (password == null || password.length() > MAX_LENGTH * 2 || stored == null || !stored.startsWith(SCHEME)) {
            bcrypt.matches("", decoy.join().substring(SCHEME.length()));
            return false;
        }
        return bcrypt.matches(digest(password), stored.substring(SCHEME.length()));
    }

    /** Spends the time of one password check, for an email that has no account. */
    void matchDecoy(String password) {
        matches(password == null ? "" : password, decoy.join());
    }

    private static String digest(String password) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
