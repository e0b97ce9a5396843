package dev.nosso.generation;

import java.util.List;
import java.util.UUID;

/**
 * What a turn is grounded on, as its request names it: files through collections, files directly, and the
 * owner's past messages. A field left null is not named; a turn in a chat then does as the chat says.
 */
public record SourceChoice(List<UUID> collectionIds, List<UUID> fileIds, Boolean memory) {

    public static final SourceChoice CHAT_DEFAULTS = new SourceChoice(null, null, null);

    boolean named() {
        return collectionIds != null || fileIds != null || memory != null;
    }
}
