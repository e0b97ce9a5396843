package dev.nosso.retrieval;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a chunk was cut from: a user's file, or a finished message (the user's memory across chats). */
public enum SourceKind {
    FILE, MESSAGE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SourceKind ofWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
