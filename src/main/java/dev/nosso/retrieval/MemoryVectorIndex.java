package dev.nosso.retrieval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * SQLite's vector index: exact search over one owner's vectors held in memory (flat float arrays, dot
 * products of unit vectors), loaded from the table on the owner's first search. The scope filter is applied
 * while scoring, before the top-k, so it never hides results. Exact search needs no tuning and has recall
 * 1; its cost grows with the owner's chunk count.
 *
 * <p>Loading 100,000 vectors takes more than a second, so a committed change does not drop them: the
 * change is applied to what is held (a source's new chunks become a small segment, deleted sources, chats
 * or kinds are masked in the older segments). After {@link #MAX_SEGMENTS} changes the owner is loaded again
 * from the table, whole.
 */
final class MemoryVectorIndex {

    static final int MAX_SEGMENTS = 16;

    private final Map<UUID, Snapshot> owners = new ConcurrentHashMap<>();
    // Bumped by every change of an owner: a load that began before one must not be cached, it may predate
    // the change. Per owner, so one user's ingestion does not keep another's vectors from caching.
    private final Map<UUID, Long> generations = new ConcurrentHashMap<>();

    /** The best {@code limit} chunks of the owner for a unit query vector. */
    List<Scored> nearest(UUID owner, float[] query, Scope scope, int limit, Supplier<OwnerVectors> load) {
        Snapshot vectors = owners.get(owner);
        if (vectors == null) {
            long before = generations.getOrDefault(owner, 0L);
            Snapshot loaded = Snapshot.of(load.get());
            // compute() holds the key while it checks and stores, so a change's update comes after.
            owners.compute(owner, (id, current) -> generations.getOrDefault(owner, 0L) == before ? loaded : current);
            vectors = loaded;
        }
        return vectors.nearest(query, scope.predicate(), limit);
    }

    /** Forgets the owner's vectors; the next search loads them again. */
    void invalidate(UUID owner) {
        generations.merge(owner, 1L, Long::sum);
        owners.remove(owner);
    }

    /** Marks a change as begun: a load running now must not be kept. Call {@link #apply} once it committed. */
    void changing(UUID owner) {
        generations.merge(owner, 1L, Long::sum);
    }

    /** Applies a committed change to the owner's vectors, if they are held. */
    void apply(UUID owner, Change change) {
        generations.merge(owner, 1L, Long::sum);
        owners.computeIfPresent(owner, (id, held) -> {
            Snapshot next = change.applyTo(held);
            return next.segments().size() > MAX_SEGMENTS ? null : next;
        });
    }

    /** A committed change of one owner's chunks, as it affects the vectors held in memory. */
    sealed interface Change {

        Snapshot applyTo(Snapshot held);

        /** The source's chunks were replaced by these (none when it was only deleted). */
        record Source(UUID sourceId, OwnerVectors added) implements Change {
            public Snapshot applyTo(Snapshot held) {
                return held.masking(new Mask(Set.of(sourceId), Set.of(), Set.of())).adding(added);
            }
        }

        /** The messages of a chat were forgotten. */
        record Chat(UUID chatId) implements Change {
            public Snapshot applyTo(Snapshot held) {
                return held.masking(new Mask(Set.of(), Set.of(chatId), Set.of()));
            }
        }

        /** Every chunk of a kind was forgotten (memory turned off). */
        record Kind(SourceKind kind) implements Change {
            public Snapshot applyTo(Snapshot held) {
                return held.masking(new Mask(Set.of(), Set.of(), Set.of(kind)));
            }
        }
    }

    /** What a segment no longer shows: chunks of these sources, chats or kinds. */
    record Mask(Set<UUID> sources, Set<UUID> chats, Set<SourceKind> kinds) {

        static final Mask NONE = new Mask(Set.of(), Set.of(), Set.of());

        boolean isEmpty() {
            return sources.isEmpty() && chats.isEmpty() && kinds.isEmpty();
        }

        boolean hides(SourceKind kind, UUID sourceId, UUID chatId) {
            return kinds.contains(kind) || sources.contains(sourceId) || (chatId != null && chats.contains(chatId));
        }

        Mask and(Mask more) {
            return new Mask(union(sources, more.sources), union(chats, more.chats), union(kinds, more.kinds));
        }

        private static <T> Set<T> union(Set<T> a, Set<T> b) {
            Set<T> all = new HashSet<>(a);
            all.addAll(b);
            return Set.copyOf(all);
        }
    }

    /** A segment of vectors with what has been deleted from it since it was built. */
    record Segment(OwnerVectors vectors, Mask mask) {
    }

    /** An owner's vectors as held at one moment: immutable, replaced whole by each change. */
    record Snapshot(List<Segment> segments) {

        static Snapshot of(OwnerVectors loaded) {
            return new Snapshot(List.of(new Segment(loaded, Mask.NONE)));
        }

        Snapshot masking(Mask mask) {
            return new Snapshot(segments.stream().map(s -> new Segment(s.vectors(), s.mask().and(mask))).toList());
        }

        Snapshot adding(OwnerVectors added) {
            if (added.size() == 0) {
                return this;
            }
            List<Segment> more = new ArrayList<>(segments);
            more.add(new Segment(added, Mask.NONE));
            return new Snapshot(List.copyOf(more));
        }

        List<Scored> nearest(float[] query, Scope.Predicate admits, int limit) {
            if (segments.size() == 1 && segments.getFirst().mask().isEmpty()) {
                return segments.getFirst().vectors().nearest(query, admits, limit);
            }
            List<Scored> all = new ArrayList<>();
            for (Segment segment : segments) {
                Mask mask = segment.mask();
                Scope.Predicate live = mask.isEmpty() ? admits
                        : (kind, sourceId, chatId) -> !mask.hides(kind, sourceId, chatId)
                                && admits.admits(kind, sourceId, chatId);
                all.addAll(segment.vectors().nearest(query, live, limit));
            }
            all.sort((a, b) -> Double.compare(b.score(), a.score()));
            return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
        }
    }

    /** One owner's vectors, immutable once built. */
    static final class OwnerVectors {
        // Below this, splitting the scan costs more than it saves.
        static final int PARALLEL_FROM = 20_000;

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
            int parts = size >= PARALLEL_FROM ? Math.min(Runtime.getRuntime().availableProcessors(), 8) : 1;
            PriorityQueue<Scored> best;
            if (parts <= 1) {
                best = scan(query, admits, limit, 0, size);
            } else {
                // A large owner's scan is cut into one range per core; each keeps its own top-k, merged after.
                int step = (size + parts - 1) / parts;
                best = IntStream.range(0, parts).parallel()
                        .mapToObj(p -> scan(query, admits, limit, p * step, Math.min(size, (p + 1) * step)))
                        .reduce((a, b) -> {
                            for (Scored s : b) {
                                offer(a, s, limit);
                            }
                            return a;
                        }).orElseThrow();
            }
            List<Scored> result = new ArrayList<>(best);
            result.sort((a, b) -> Double.compare(b.score(), a.score()));
            return result;
        }

        private PriorityQueue<Scored> scan(float[] query, Scope.Predicate admits, int limit, int from, int to) {
            // A min-heap of the best so far: its head is the one to beat.
            PriorityQueue<Scored> best = new PriorityQueue<>(limit + 1, (a, b) -> Double.compare(a.score(), b.score()));
            for (int i = from; i < to; i++) {
                if (!admits.admits(kinds[i], sourceIds[i], chatIds[i])) {
                    continue;
                }
                float dot = dot(query, i * dimensions);
                if (best.size() < limit || dot > best.peek().score()) {
                    offer(best, new Scored(ids[i], dot), limit);
                }
            }
            return best;
        }

        private static void offer(PriorityQueue<Scored> best, Scored s, int limit) {
            if (best.size() < limit) {
                best.add(s);
            } else if (s.score() > best.peek().score()) {
                best.poll();
                best.add(s);
            }
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
