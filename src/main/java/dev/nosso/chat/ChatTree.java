package dev.nosso.chat;

import java.util.List;
import java.util.UUID;

/** All branches of a chat: its messages, parents before children, and the leaf of the branch shown. */
public record ChatTree(UUID activeLeafId, List<Message> messages) {
}
