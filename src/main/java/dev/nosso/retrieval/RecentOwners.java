package dev.nosso.retrieval;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * The vectors held per owner, within about {@code maxBytes}: beyond it, the owners searched least recently are
 * let go, never the one searching now (held even alone above the limit: that search needs the vectors anyway).
 * Letting go is safe at any moment: an owner let go is simply loaded again, from the table, which has every
 * committed change.
 *
 * <p>Why not a weighted Caffeine cache: its admission policy (W-TinyLFU) keeps an owner searched often over
 * one who just arrived, so a newcomer too large to sit beside them is loaded again on every search (about a
 * second at 100,000 chunks) until searched more often than them. Here the newcomer is held at once.
 */
final class RecentOwners {

    private final long maxBytes;
    private final Map<UUID, Segments> owners = new ConcurrentHashMap<>();
    private final Map<UUID, Long> lastSearched = new ConcurrentHashMap<>();

    /** @param maxBytes about how much memory the vectors of all owners may take together */
    RecentOwners(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The owner's vectors, or null when they are not held; either way the owner counts as searched now. */
    Segments searched(UUID owner) {
        lastSearched.put(owner, System.nanoTime());
        return owners.get(owner);
    }

    /**
     * Holds the owner's loaded vectors if {@code stillCurrent} (checked while the owner's entry is locked, so a
     * change's {@link #update} comes after), then lets go of other owners beyond the limit.
     */
    void hold(UUID owner, Segments loaded, BooleanSupplier stillCurrent) {
        owners.compute(owner, (id, current) -> stillCurrent.getAsBoolean() ? loaded : current);
        letGoBeyondLimit(owner);
    }

    /** Replaces the owner's vectors, if held, by what {@code change} makes of them (null lets them go). */
    void update(UUID owner, UnaryOperator<Segments> change) {
        owners.computeIfPresent(owner, (id, held) -> change.apply(held));
    }

    void remove(UUID owner) {
        owners.remove(owner);
    }

    boolean holds(UUID owner) {
        return owners.containsKey(owner);
    }

    private void letGoBeyondLimit(UUID keep) {
        long held = owners.values().stream().mapToLong(Segments::bytes).sum();
        if (held <= maxBytes) {
            return;
        }
        List<UUID> leastRecentFirst = owners.keySet().stream().filter(id -> !id.equals(keep))
                .sorted(Comparator.comparingLong(id -> lastSearched.getOrDefault(id, 0L))).toList();
        for (UUID id : leastRecentFirst) {
            if (held <= maxBytes) {
                return;
            }
            Segments dropped = owners.remove(id);
            if (dropped != null) {
                held -= dropped.bytes();
                lastSearched.remove(id);
            }
        }
    }
}
