package dev.nosso.memory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where memory reads the messages it remembers, as they are when a job runs (so a job queued before an edit
 * indexes the edited text). {@code chat} implements it: memory sits below chat and knows nothing of chats'
 * tables, only these plain values.
 */
public interface RememberableMessages {

    /**
     * The messages as their owner's chats now store them, by id; a message that is not (or no longer) the
     * owner's is missing from the map.
     */
    Map<UUID, RememberedMessage> remembered(UUID owner, Collection<UUID> messageIds);

    /** Up to {@code limit} ids of the owner's final, non-empty messages after {@code after}, in id order. */
    List<UUID> rememberable(UUID owner, UUID after, int limit);

    /** How many final, non-empty messages the owner has. */
    int countRememberable(UUID owner);
}
