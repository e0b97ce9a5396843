package dev.nosso.chat;

import java.util.UUID;

/**
 * A passage an answer was given to ground it, numbered as the model was asked to cite it ({@code [n]}).
 * Saved with the answer, so a reload shows the same citations whatever the index holds later.
 *
 * @param sourceKind {@code file} or {@code message}
 * @param chatId     the chat of a remembered message; null for a file
 */
public record Source(int n, UUID chunkId, String sourceKind, UUID sourceId, String sourceName, UUID chatId,
                     String headingPath, String text, double score) {
}
