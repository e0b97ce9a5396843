package dev.nosso.retrieval;

import java.util.UUID;

// TEMPORARY stand-in for the retrieval branch's API, deleted before that branch is merged.
public record SourceText(UUID owner, SourceKind kind, UUID sourceId, String sourceName, UUID chatId, String text) {
}
