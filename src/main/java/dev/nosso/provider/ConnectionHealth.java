package dev.nosso.provider;

import java.time.Instant;
import java.util.UUID;

/**
 * How one enabled connection answered the last time the catalog listed its models.
 *
 * @param error     why it is unhealthy, readable by a user; null when healthy
 * @param checkedAt when it was listed
 * @param models    how many of its models the catalog holds (its last listed ones while it is failing)
 * @param status    {@code available}; {@code unavailable}; or {@code not-found}: the Ollama the environment
 *                  points to by default ({@code http://127.0.0.1:11434}) refused the connection, which on a
 *                  machine without Ollama is expected, not a fault to warn about
 */
public record ConnectionHealth(UUID connectionId, String name, String kind, boolean healthy, String error,
                               Instant checkedAt, int models, String status) {

    public ConnectionHealth(UUID connectionId, String name, String kind, boolean healthy, String error,
                            Instant checkedAt, int models) {
        this(connectionId, name, kind, healthy, error, checkedAt, models, healthy ? "available" : "unavailable");
    }
}
