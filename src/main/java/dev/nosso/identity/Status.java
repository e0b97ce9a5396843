package dev.nosso.identity;

import java.util.Locale;

/** Whether an account may sign in at all. A suspended account is refused on every path, with any credential. */
enum Status {
    ACTIVE, SUSPENDED;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Status fromWire(String value) {
        for (Status status : values()) {
            if (status.wire().equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown status '" + value + "': use active or suspended.");
    }
}
