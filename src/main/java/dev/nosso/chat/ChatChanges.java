package dev.nosso.chat;

import java.util.Optional;
import java.util.UUID;

/**
 * A partial update of a chat. A {@code null} field is left alone; {@code folderId} is an {@link Optional}
 * because "move out of its folder" ({@code "folderId": null}) differs from "not mentioned".
 */
record ChatChanges(String title, Boolean pinned, Boolean archived, Optional<UUID> folderId) {
}
