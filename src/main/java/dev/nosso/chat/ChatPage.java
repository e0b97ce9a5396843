package dev.nosso.chat;

import java.util.List;

/** One page of chats, newest first; {@code nextCursor} fetches the next page and is null on the last. */
public record ChatPage(List<Chat> items, String nextCursor) {
}
