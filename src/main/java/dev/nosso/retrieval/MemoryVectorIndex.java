package dev.nosso.retrieval;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * SQLite's vector index: each owner's vectors held in memory ({@link OwnerVectors}), loaded from the table on
 * the owner's first search and kept in step with committed changes ({@link Segments}) instead of being loaded
 * again. Exact scoring needs no tuning; a large owner is searched through one-bit codes first.
 *
 * <p>What is held is bounded ({@code nosso.retrieval.vector-memory-mb}, {@link RecentOwners}): so many users'
 * chunks never hold the heap, and the active ones stay fast.
 */
final class MemoryVectorIndex {

    /** After this many changes applied to what is held, the owner is loaded again from the table, whole. */
    static final int MAX_SEGMENTS = 16;

    private final RecentOwners owners;
    private final Generations generations = new Generations();

    /** @param maxBytes about how much memory the vectors of all owners may take together */
    MemoryVectorIndex(long maxBytes) {
        this.owners = new RecentOwners(maxBytes);
    }

    /** The best {@code limit} chunks of the owner for a unit query vector. */
    List<Scored> nearest(UUID owner, float[] query, Scope scope, int limit, Supplier<OwnerVectors> load) {
        Segments vectors = owners.searched(owner);
        if (vectors == null) {
            long before = generations.current(owner);
            Segments loaded = Segments.of(load.get().trimmed());
            owners.hold(owner, loaded, () -> generations.current(owner) == before);
            vectors = loaded;
        }
        return vectors.nearest(query, scope.predicate(), limit);
    }

    /** Forgets the owner's vectors; the next search loads them again. */
    void invalidate(UUID owner) {
        generations.bump(owner);
        owners.remove(owner);
    }

    /** Whether the owner's vectors are held, for tests. */
    boolean holds(UUID owner) {
        return owners.holds(owner);
    }

    /** Marks a change as begun: a load running now must not be kept. Call {@link #apply} once it committed. */
    void changing(UUID owner) {
        generations.bump(owner);
    }

    /** Applies a committed change to the owner's vectors, if they are held. */
    void apply(UUID owner, VectorChange change) {
        generations.bump(owner);
        owners.update(owner, held -> {
            Segments next = change.applyTo(held);
            return next.count() > MAX_SEGMENTS ? null : next;
        });
    }
}
