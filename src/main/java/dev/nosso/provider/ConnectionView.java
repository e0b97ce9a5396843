package dev.nosso.provider;

import java.time.Instant;
import java.util.UUID;

/**
 * A connection as administrators see it. The key itself is never returned, only whether there is one.
 *
 * @param source {@code env} for a connection the environment declares, {@code admin} for one made here
 * @param health how the catalog last found it; null when it is disabled or not listed yet
 * @param replacesEnvironment made here in place of the environment's connection of the same name, which the
 *                            environment then no longer applies
 */
record ConnectionView(UUID id, String kind, String name, String baseUrl, boolean hasApiKey, boolean enabled,
                      String source, Instant createdAt, Instant updatedAt, ConnectionHealth health,
                      boolean replacesEnvironment) {

    static ConnectionView of(Connection c, ConnectionHealth health) {
        return new ConnectionView(c.id(), c.kind().wire(), c.name(), c.baseUrl().toString(), c.hasApiKey(),
                c.enabled(), c.fromEnvironment() ? "env" : "admin", c.createdAt(), c.updatedAt(), health,
                c.replacesEnvironment());
    }
}
