package dev.nosso.memory;

import java.util.UUID;

/**
 * A message as memory sees it: its chat, that chat's title (its remembered passages are named by it), its
 * stored content, and whether it is final (an answer still being written is not remembered yet).
 */
public record RememberedMessage(UUID chatId, String chatTitle, String content, boolean finished) {
}
