package dev.nosso.retrieval;

import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * Sources whose chunks are still stored but must not be found: a message that a delete has hidden, whose chunks
 * wait for the sweep that removes them a batch at a time. The package that owns the sources implements it
 * ({@code chat} for messages), since retrieval knows nothing of them; a search drops their passages.
 */
public interface HiddenSources {

    /** The kind of source this answers for. */
    SourceKind kind();

    /** Which of these sources of the owner are hidden (or gone). */
    Set<UUID> hidden(UUID owner, Collection<UUID> sourceIds);
}
