package dev.nosso.chat;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A partial update of a chat. A {@code null} field is left alone. The fields that can be cleared are
 * {@link Optional}s, because "clear it" ({@code "folderId": null}) differs from "not mentioned".
 */
record ChatChanges(String title, Boolean pinned, Boolean archived, Optional<UUID> folderId, Optional<String> model,
                   Optional<String> systemPrompt, Optional<Double> temperature, Optional<Integer> maxTokens,
                   Optional<List<UUID>> collectionIds, Boolean memory) {
}
