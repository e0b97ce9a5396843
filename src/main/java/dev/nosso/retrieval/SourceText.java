package dev.nosso.retrieval;

import java.util.Objects;
import java.util.UUID;

/**
 * What to index. {@code text} may contain Markdown headings ({@code #}, {@code ##}, ...), which chunking
 * follows. {@code chatId} is the message's chat, {@code null} for files.
 */
public record SourceText(UUID owner, SourceKind kind, UUID sourceId, String sourceName, UUID chatId, String text) {

    public SourceText {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sourceId, "sourceId");
        sourceName = sourceName == null ? "" : sourceName;
        text = text == null ? "" : text;
    }
}
