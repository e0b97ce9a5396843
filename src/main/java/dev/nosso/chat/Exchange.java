package dev.nosso.chat;

import java.util.List;

/**
 * A user's message and the answer started for it, committed together.
 *
 * @param branch the branch ending at the question, oldest first, as far as starting the turn read it along
 *               (a window of it, on PostgreSQL); empty when it read none. A prompt reads on from its first
 *               message's parent.
 */
public record Exchange(Message question, Message answer, List<Message> branch) {

    /** A question and its answer, with none of the branch read. */
    public Exchange(Message question, Message answer) {
        this(question, answer, List.of());
    }
}
