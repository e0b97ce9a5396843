package dev.nosso.chat;

/** A user's message and the answer started for it, committed together. */
public record Exchange(Message question, Message answer) {
}
