package dev.nosso.generation;

import dev.nosso.chat.Message;
import java.time.Duration;

/**
 * An answer's text as it grows, read from any offset: the {@link LiveAnswer} of an answer this node generates,
 * or, for one another node generates, what {@link RemoteAnswers} hears of it. The text only grows, and every
 * reader sees the same text at the same offsets, so a client that reconnects anywhere with the offset it has
 * gets exactly what it lacks.
 */
interface AnswerFeed extends AutoCloseable {

    /**
     * Waits up to {@code timeout} for text beyond {@code offset} or for the end.
     *
     * @return the text from {@code offset} (possibly empty), and the final message once everything before it
     *         has been handed out
     */
    Read readFrom(int offset, Duration timeout) throws InterruptedException;

    /** Lets go of what following the answer holds (a connection); the default holds nothing. */
    @Override
    default void close() {
    }

    /**
     * @param end      the offset after {@code text}
     * @param finished non-null when the answer has ended and {@code text} was its last piece
     */
    record Read(String text, int end, Message finished) {
    }
}
