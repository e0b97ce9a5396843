package dev.nosso.chat;

import java.util.UUID;

/** The text an answer has so far, to be written while it streams. */
public record Checkpoint(UUID messageId, String content) {
}
