package dev.nosso.knowledge;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** {@code pending → processing → ready | failed}: where a file's ingestion is. */
public enum FileStatus {
    PENDING, PROCESSING, READY, FAILED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static FileStatus ofWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
