package dev.nosso.generation;

import dev.nosso.chat.Message;
import dev.nosso.provider.Cancellation;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The text of one answer while it is generated, held in memory in full so that a subscriber can start from
 * any offset. One thread appends; any number of subscribers read from their own offset, each at its own
 * pace: a slow reader gets the next chunk bigger, and never slows the writer or the other readers.
 *
 * <p>A lock and a condition rather than {@code synchronized}: on Java 21 a virtual thread waiting inside a
 * monitor pins its carrier thread.
 */
final class LiveAnswer implements AnswerFeed {

    private final UUID messageId;
    private final UUID owner;
    private final UUID chatId;
    private final boolean stored;
    private final Cancellation cancellation = new Cancellation();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final StringBuilder text = new StringBuilder();
    private int checkpointed; // how much of the text the database has
    private Message finished; // the final message once it is stored; then the text no longer changes
    private String finishReason; // the provider's, as OpenAI names it: "stop", "length", ...
    private volatile boolean stopForShutdown;

    /** @param stored whether the answer is a row that checkpoints write to (not for a stateless completion) */
    LiveAnswer(UUID messageId, UUID owner, UUID chatId, boolean stored) {
        this.messageId = messageId;
        this.owner = owner;
        this.chatId = chatId;
        this.stored = stored;
    }

    UUID messageId() {
        return messageId;
    }

    /** Whose answer it is. */
    UUID owner() {
        return owner;
    }

    UUID chatId() {
        return chatId;
    }

    Cancellation cancellation() {
        return cancellation;
    }

    /** Adds {@code delta} to the text; returns the length of the text after it. */
    int append(String delta) {
        lock.lock();
        try {
            if (!delta.isEmpty()) {
                text.append(delta);
                changed.signalAll();
            }
            return text.length();
        } finally {
            lock.unlock();
        }
    }

    String text() {
        lock.lock();
        try {
            return text.toString();
        } finally {
            lock.unlock();
        }
    }

    /** The text to write at the next checkpoint, or null when the database already has all of it. */
    String uncheckpointed() {
        lock.lock();
        try {
            return stored && finished == null && text.length() > checkpointed ? text.toString() : null;
        } finally {
            lock.unlock();
        }
    }

    void checkpointed(int length) {
        lock.lock();
        try {
            checkpointed = Math.max(checkpointed, length);
        } finally {
            lock.unlock();
        }
    }

    /** Called once the final message is stored: readers send what is left, then the end. */
    void finish(Message message, String finishReason) {
        lock.lock();
        try {
            finished = message;
            this.finishReason = finishReason;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the answer because the server stops: it ends {@code interrupted}, not {@code cancelled}. */
    void stopForShutdown() {
        stopForShutdown = true;
        cancellation.cancel();
    }

    boolean stoppedForShutdown() {
        return stopForShutdown;
    }

    @Override
    public Read readFrom(int offset, Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (text.length() <= offset && finished == null && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            String more = text.length() > offset ? text.substring(offset) : "";
            return new Read(more, offset + more.length(), finished);
        } finally {
            lock.unlock();
        }
    }

    boolean awaitFinished(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (finished == null && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            return finished != null;
        } finally {
            lock.unlock();
        }
    }

    Message finished() {
        lock.lock();
        try {
            return finished;
        } finally {
            lock.unlock();
        }
    }

    String finishReason() {
        lock.lock();
        try {
            return finishReason;
        } finally {
            lock.unlock();
        }
    }
}
