package dev.nosso.chat;

import java.util.List;
import java.util.UUID;

/**
 * A window of the active branch, oldest first, with a cursor to the window before it.
 *
 * @param nextCursor pass as {@code cursor} to get the older window; null at the root
 */
public record BranchWindow(UUID activeLeafId, List<BranchMessage> items, String nextCursor) {

    /**
     * A message on the branch with its siblings (itself included, oldest first), so a client can show
     * "2 / 3" and switch branches without loading the tree.
     */
    public record BranchMessage(Message message, List<UUID> siblings) {
    }
}
