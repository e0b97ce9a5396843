package dev.nosso.generation;

import dev.nosso.chat.Message;
import dev.nosso.chat.MessageStatus;
import dev.nosso.chat.Messages;
import dev.nosso.platform.NotFound;
import java.time.Duration;
import java.util.UUID;

/**
 * An answer another node generates, followed through its checkpoints: the database is read every checkpoint
 * interval, so the text arrives in steps, at most about an interval behind. Checkpointed text only grows, and
 * an interrupted answer keeps the last checkpoint, so the offsets stay exact.
 */
final class CheckpointFeed implements AnswerFeed {

    private final Messages messages;
    private final UUID owner;
    private final Duration interval;
    private Message last;

    CheckpointFeed(Messages messages, UUID owner, Message current, Duration interval) {
        this.messages = messages;
        this.owner = owner;
        this.last = current;
        this.interval = interval;
    }

    @Override
    public Read readFrom(int offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Message current = read();
            String text = current.content();
            int from = Math.min(offset, text.length());
            if (!current.unfinished()) {
                return new Read(text.substring(from), text.length(), current);
            }
            long left = deadline - System.nanoTime();
            if (text.length() > offset || left <= 0) {
                return new Read(text.substring(from), Math.max(offset, text.length()), null);
            }
            Thread.sleep(Duration.ofNanos(Math.min(left, interval.toNanos())));
        }
    }

    /** The answer now; one deleted while it streams ends as cancelled with the text it had, as it does locally. */
    private Message read() {
        try {
            last = messages.find(owner, last.id());
        } catch (NotFound deleted) {
            last = last.withStatus(MessageStatus.CANCELLED);
        }
        return last;
    }
}
