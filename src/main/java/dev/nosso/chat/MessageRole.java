package dev.nosso.chat;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Who wrote a message. */
public enum MessageRole {
    SYSTEM, USER, ASSISTANT;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static MessageRole fromWire(String value) {
        for (MessageRole role : values()) {
            if (role.wire().equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("Unknown message role '" + value + "': use user, assistant or system.");
    }
}
