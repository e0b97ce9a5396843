package dev.nosso.generation;

import dev.nosso.chat.Message;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * A started turn, as its caller sees it: the question and the answer as they were committed, and the answer
 * while it is generated. Every way of answering a client (the REST stream, the OpenAI-compatible chunk
 * stream, a whole completion) is a view of the same live answer, which is generated on a thread of its own.
 */
public final class Turn {

    private final Message question;
    private final Message answer;
    private final LiveAnswer live;

    Turn(Message question, Message answer, LiveAnswer live) {
        this.question = question;
        this.answer = answer;
        this.live = live;
    }

    /** The question this turn stored, or null (another answer to a stored question; a stateless completion). */
    public Message question() {
        return question;
    }

    /** The answer as committed, still empty; for a stateless completion an answer that exists only here. */
    public Message answer() {
        return answer;
    }

    /** The chat that keeps the turn, unless it is a stateless completion. */
    public Optional<UUID> chatId() {
        return Optional.ofNullable(answer.chatId());
    }

    public String streamUrl() {
        return streamUrl(answer.id());
    }

    static String streamUrl(UUID messageId) {
        return "/api/v1/messages/" + messageId + "/stream";
    }

    /**
     * Waits up to {@code wait} for text beyond {@code offset}, or for the end.
     *
     * @return the text from {@code offset} (possibly empty), and how the answer ended once that was the last
     */
    public Piece next(int offset, Duration wait) throws InterruptedException {
        AnswerFeed.Read read = live.readFrom(offset, wait);
        return new Piece(read.text(), read.end(), read.finished() == null ? null
                : new End(read.finished(), live.finishReason()));
    }

    /** Waits up to {@code wait} for the answer to end; null if it has not by then. */
    public End awaitEnd(Duration wait) throws InterruptedException {
        return live.awaitFinished(wait) ? new End(live.finished(), live.finishReason()) : null;
    }

    /** Stops the answer; it ends {@code cancelled} with the text it has. */
    public void cancel() {
        live.cancellation().cancel();
    }

    LiveAnswer live() {
        return live;
    }

    /**
     * @param end   the offset after {@code text}
     * @param ended non-null once the answer has ended and {@code text} was its last piece
     */
    public record Piece(String text, int end, End ended) {
    }

    /**
     * @param message      the final answer: text, status, the reason it failed, usage
     * @param finishReason why the model stopped, as OpenAI names it ({@code stop}, {@code length}, ...)
     */
    public record End(Message message, String finishReason) {
    }
}
