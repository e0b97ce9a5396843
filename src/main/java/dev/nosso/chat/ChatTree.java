package dev.nosso.chat;

import java.util.List;
import java.util.UUID;

/**
 * A page of all branches of a chat: its messages, parents before children (by depth, then id), and the leaf of
 * the branch shown. {@code nextCursor} fetches the next page and is null on the last.
 */
public record ChatTree(UUID activeLeafId, List<Message> messages, String nextCursor) {
}
