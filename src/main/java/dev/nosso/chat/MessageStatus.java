package dev.nosso.chat;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a message is in its life. User messages are born {@code complete}; an assistant answer moves
 * {@code pending → streaming → complete}, or ends {@code cancelled}, {@code error} or {@code interrupted}
 * with its partial text kept.
 */
public enum MessageStatus {
    PENDING, STREAMING, COMPLETE, CANCELLED, ERROR, INTERRUPTED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MessageStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Whether a message in this state is still being written (by this process, or by one that died). */
    public boolean unfinished() {
        return this == PENDING || this == STREAMING;
    }
}
