package dev.nosso.chat;

import java.util.UUID;

/**
 * Which of a user's chats to list; a {@code null} field does not filter.
 *
 * @param tag a tag name; only chats carrying it
 */
record ChatFilter(Boolean pinned, Boolean archived, UUID folderId, String tag) {
}
