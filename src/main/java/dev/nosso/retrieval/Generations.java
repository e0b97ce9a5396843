package dev.nosso.retrieval;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A counter per owner, bumped by every change of their chunks: a load that began before a change must not be
 * kept, it may predate the change. Per owner, so one user's ingestion does not keep another's vectors from
 * being kept.
 */
final class Generations {

    private final Map<UUID, Long> counters = new ConcurrentHashMap<>();

    long current(UUID owner) {
        return counters.getOrDefault(owner, 0L);
    }

    void bump(UUID owner) {
        counters.merge(owner, 1L, Long::sum);
    }
}
