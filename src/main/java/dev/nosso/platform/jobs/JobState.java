package dev.nosso.platform.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** {@code queued → running → done | failed}; a failed attempt that may be retried goes back to queued. */
public enum JobState {
    QUEUED, RUNNING, DONE, FAILED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean ended() {
        return this == DONE || this == FAILED;
    }

    static JobState ofWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
