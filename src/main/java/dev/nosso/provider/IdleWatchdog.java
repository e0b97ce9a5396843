package dev.nosso.provider;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs an action once when nothing {@linkplain #touch() touched} it for a while. A blocked read on an HTTP body
 * has no timeout of its own; the action closes the body, which unblocks the reader. One virtual thread sleeps
 * until the earliest moment the stream could be idle, so a busy stream costs a volatile write per read.
 */
final class IdleWatchdog implements AutoCloseable {

    private final long idleNanos;
    private final Runnable onIdle;
    private final Thread thread;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean closed;
    private volatile boolean fired;

    IdleWatchdog(Duration idle, Runnable onIdle) {
        this.idleNanos = idle.toNanos();
        this.onIdle = onIdle;
        this.thread = Thread.ofVirtual().name("provider-idle-watchdog").start(this::watch);
    }

    void touch() {
        lastActivity = System.nanoTime();
    }

    /** Whether the action ran, i.e. the stream was idle too long. */
    boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    private void watch() {
        while (!closed) {
            long left = lastActivity + idleNanos - System.nanoTime();
            if (left <= 0) {
                fired = true;
                onIdle.run();
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }
}
