package dev.nosso.generation;

import java.util.List;
import java.util.UUID;

/**
 * What a turn may be grounded on.
 *
 * @param fileIds the files to search (their collections already resolved); null with {@code files} for all
 * @param files   whether files are searched at all
 * @param memory  whether the user's past messages are searched
 */
record Grounding(List<UUID> fileIds, boolean files, boolean memory) {

    static final Grounding NONE = new Grounding(null, false, false);

    boolean any() {
        return files || memory;
    }
}
