package dev.nosso.retrieval;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Keyword (full text), vector (meaning), or both fused (the default). */
public enum SearchMode {
    HYBRID, KEYWORD, VECTOR;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named on the wire, or {@code null} when the name is unknown. */
    public static SearchMode ofWire(String wire) {
        for (SearchMode mode : values()) {
            if (mode.wire().equalsIgnoreCase(wire)) {
                return mode;
            }
        }
        return null;
    }
}
