package dev.nosso.chat;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.UUID;

/**
 * A window of the active branch as the API shows it: each message with its siblings' ids, and the cursor to
 * the window before it (null at the root).
 */
public record MessageWindow(UUID activeLeafId, List<Item> items, String nextCursor) {

    public record Item(@JsonUnwrapped Message message, List<UUID> siblings) {
    }

    static MessageWindow of(BranchWindow window) {
        return new MessageWindow(window.activeLeafId(),
                window.items().stream().map(i -> new Item(i.message(), i.siblings())).toList(),
                window.nextCursor());
    }
}
