package dev.nosso.identity;

import java.util.Locale;

/** What a user may do. {@code PENDING} accounts can sign in but may only see who they are until approved. */
public enum Role {
    ADMIN, USER, PENDING;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWire(String value) {
        for (Role role : values()) {
            if (role.wire().equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("Unknown role '" + value + "': use admin, user or pending.");
    }
}
