package dev.nosso.identity;

import java.time.Duration;

/**
 * Where the {@link LoginThrottle} keeps its counts: attempts per key (an email, a client address), each key
 * allowed a number of attempts per window. In this process's memory when it is the only node (SQLite); in
 * Redis or in PostgreSQL when several nodes share the database, so that a guess counts on every node.
 */
interface ThrottleCounts {

    /** Counts one attempt against {@code key}, unless its {@code allowed} attempts are used up. */
    Verdict take(String key, int allowed);

    /** Gives back one attempt taken from {@code key} (an attempt that never happened, or a refund). */
    void giveBack(String key, int allowed);

    /** Gives {@code key} all of its attempts again. */
    void reset(String key, int allowed);

    /**
     * @param allowed    whether the attempt was counted
     * @param retryAfter when it was not, how long until the key has an attempt again
     */
    record Verdict(boolean allowed, Duration retryAfter) {

        static final Verdict ALLOWED = new Verdict(true, Duration.ZERO);
    }
}
