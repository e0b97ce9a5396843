package dev.nosso.chat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * A keyset position in a list ordered by last update, newest first: the (updatedAt, id) of the last item
 * seen. Opaque to clients, so its shape can change; a page costs the same however deep it is.
 */
record Cursor(Instant updatedAt, UUID id) {

    String encode() {
        String raw = updatedAt.toEpochMilli() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String text) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            return new Cursor(Instant.ofEpochMilli(Long.parseLong(raw.substring(0, colon))),
                    UUID.fromString(raw.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cursor is not one this server handed out.");
        }
    }
}
