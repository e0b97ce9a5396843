package dev.nosso.retrieval;

import java.util.UUID;

/** One retrieved chunk with its source and its score (higher is better; comparable within one search only). */
public record Passage(UUID chunkId, SourceKind sourceKind, UUID sourceId, String sourceName, UUID chatId,
                      String headingPath, String text, double score) {
}
