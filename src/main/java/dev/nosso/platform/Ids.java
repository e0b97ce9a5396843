package dev.nosso.platform;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * UUIDv7 identifiers (RFC 9562): time-ordered, so new rows land at the end of every B-tree and an id says
 * roughly when its row was made. Within one millisecond a counter keeps them strictly increasing.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static long lastMillis;
    private static long sequence;

    private Ids() {
    }

    public static UUID next() {
        long millis;
        long seq;
        LOCK.lock();
        try {
            millis = System.currentTimeMillis();
            if (millis <= lastMillis) {
                millis = lastMillis;
                sequence++;
                if (sequence > 0xFFF) { // 12-bit counter exhausted: borrow the next millisecond
                    millis = ++lastMillis;
                    sequence = 0;
                }
            } else {
                lastMillis = millis;
                sequence = 0;
            }
            seq = sequence;
        } finally {
            LOCK.unlock();
        }
        long msb = (millis << 16) | (0x7L << 12) | seq;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** Parses an id from the wire; {@code null} when it is not a UUID, so callers can answer 404 rather than 500. */
    public static UUID parseOrNull(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
