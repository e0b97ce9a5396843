package dev.nosso.provider;

import java.time.Instant;
import java.util.UUID;

/**
 * How one enabled connection answered the last time the catalog listed its models.
 *
 * @param error     why it is unhealthy, readable by a user; null when healthy
 * @param checkedAt when it was listed
 * @param models    how many of its models the catalog holds (its last listed ones while it is failing)
 */
public record ConnectionHealth(UUID connectionId, String name, String kind, boolean healthy, String error,
                               Instant checkedAt, int models) {
}
