package dev.nosso.retrieval;

import java.util.List;
import java.util.UUID;

/** Search by meaning on SQLite: the owner's vectors held in memory, loaded from the chunks table when missing. */
final class MemoryVectorSearch implements VectorSearch {

    private final MemoryVectorIndex index;
    private final ChunkRepository chunks;

    MemoryVectorSearch(MemoryVectorIndex index, ChunkRepository chunks) {
        this.index = index;
        this.chunks = chunks;
    }

    @Override
    public List<Scored> nearest(UUID owner, String model, float[] query, Scope scope, int limit) {
        return index.nearest(owner, query, scope, limit, () -> {
            OwnerVectors vectors = new OwnerVectors(query.length);
            chunks.vectorsOf(owner, model, vectors::add);
            return vectors;
        });
    }

    @Override
    public boolean runsInThisProcess() {
        return true;
    }

    @Override
    public void changing(UUID owner) {
        index.changing(owner);
    }

    @Override
    public void changed(UUID owner, VectorChange change) {
        index.apply(owner, change);
    }

    @Override
    public void forget(UUID owner) {
        index.invalidate(owner);
    }
}
