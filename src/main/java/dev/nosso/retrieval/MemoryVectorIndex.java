package dev.nosso.retrieval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * SQLite's vector index: exact search over one owner's vectors held in memory (a flat float array, dot
 * products of unit vectors), loaded from the table on the owner's first search and dropped whenever that
 * owner's chunks change. The scope filter is applied while scoring, before the top-k, so it never hides
 * results. Exact search needs no tuning and has recall 1; its cost grows with the owner's chunk count.
 */
final class MemoryVectorIndex {

    private final Map<UUID, OwnerVectors> owners = new ConcurrentHashMap<>();
    // Bumped by every invalidation of an owner: a load that began before one must not be cached, it may
    // predate the change. Per owner, so one user's ingestion does not keep another's vectors from caching.
    private final Map<UUID, Long> generations = new ConcurrentHashMap<>();

    /** The best {@code limit} chunks of the owner for a unit query vector. */
    List<Scored> nearest(UUID owner, float[] query, Scope scope, int limit, Supplier<OwnerVectors> load) {
        OwnerVectors vectors = owners.get(owner);
        if (vectors == null) {
            long before = generations.getOrDefault(owner, 0L);
            OwnerVectors loaded = load.get();
            // compute() holds the key while it checks and stores, so an invalidation's remove() comes after.
            owners.compute(owner, (id, current) -> generations.getOrDefault(owner, 0L) == before ? loaded : current);
            vectors = loaded;
        }
        return vectors.nearest(query, scope.predicate(), limit);
    }

    void invalidate(UUID owner) {
        generations.merge(owner, 1L, Long::sum);
        owners.remove(owner);
    }

    /** One owner's vectors, immutable once built. */
    static final class OwnerVectors {
        private final int dimensions;
        private UUID[] ids = new UUID[64];
        private SourceKind[] kinds = new SourceKind[64];
        private UUID[] sourceIds = new UUID[64];
        private UUID[] chatIds = new UUID[64];
        private float[] data;
        private int size;

        OwnerVectors(int dimensions) {
            this.dimensions = dimensions;
            this.data = new float[64 * dimensions];
        }

        void add(UUID id, SourceKind kind, UUID sourceId, UUID chatId, float[] vector) {
            if (vector.length != dimensions) {
                return; // a vector of another shape cannot be compared; the model id should have excluded it
            }
            if (size == ids.length) {
                int capacity = size * 2;
                ids = Arrays.copyOf(ids, capacity);
                kinds = Arrays.copyOf(kinds, capacity);
                sourceIds = Arrays.copyOf(sourceIds, capacity);
                chatIds = Arrays.copyOf(chatIds, capacity);
                data = Arrays.copyOf(data, capacity * dimensions);
            }
            ids[size] = id;
            kinds[size] = kind;
            sourceIds[size] = sourceId;
            chatIds[size] = chatId;
            System.arraycopy(vector, 0, data, size * dimensions, dimensions);
            size++;
        }

        int size() {
            return size;
        }

        List<Scored> nearest(float[] query, Scope.Predicate admits, int limit) {
            // A min-heap of the best so far: its head is the one to beat.
            PriorityQueue<Scored> best = new PriorityQueue<>(limit + 1,
                    (a, b) -> Double.compare(a.score(), b.score()));
            for (int i = 0; i < size; i++) {
                if (!admits.admits(kinds[i], sourceIds[i], chatIds[i])) {
                    continue;
                }
                float dot = dot(query, i * dimensions);
                if (best.size() < limit) {
                    best.add(new Scored(ids[i], dot));
                } else if (dot > best.peek().score()) {
                    best.poll();
                    best.add(new Scored(ids[i], dot));
                }
            }
            List<Scored> result = new ArrayList<>(best);
            result.sort((a, b) -> Double.compare(b.score(), a.score()));
            return result;
        }

        private float dot(float[] query, int offset) {
            // Four accumulators let the JIT keep several multiply-adds in flight.
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int d = 0;
            for (; d + 3 < dimensions; d += 4) {
                s0 += query[d] * data[offset + d];
                s1 += query[d + 1] * data[offset + d + 1];
                s2 += query[d + 2] * data[offset + d + 2];
                s3 += query[d + 3] * data[offset + d + 3];
            }
            for (; d < dimensions; d++) {
                s0 += query[d] * data[offset + d];
            }
            return s0 + s1 + s2 + s3;
        }
    }
}
