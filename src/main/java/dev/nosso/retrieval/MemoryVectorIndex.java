package dev.nosso.retrieval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 *
 * <p>What is held is bounded ({@code nosso.retrieval.vector-memory-mb}): beyond it, the owners searched least
 * recently are let go, to be loaded again on their next vector search. So many users' chunks never hold the
 * heap, and the active ones stay fast.
 */
final class MemoryVectorIndex {

    static final int MAX_SEGMENTS = 16;

    private final long maxBytes;
    private final Map<UUID, Snapshot> owners = new ConcurrentHashMap<>();
    private final Map<UUID, Long> lastSearched = new ConcurrentHashMap<>();
    // Bumped by every change of an owner: a load that began before one must not be cached, it may predate
    // the change. Per owner, so one user's ingestion does not keep another's vectors from caching.
    private final Map<UUID, Long> generations = new ConcurrentHashMap<>();

    /** @param maxBytes about how much memory the vectors of all owners may take together */
    MemoryVectorIndex(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The best {@code limit} chunks of the owner for a unit query vector. */
    List<Scored> nearest(UUID owner, float[] query, Scope scope, int limit, Supplier<OwnerVectors> load) {
        lastSearched.put(owner, System.nanoTime());
        Snapshot vectors = owners.get(owner);
        if (vectors == null) {
            long before = generations.getOrDefault(owner, 0L);
            Snapshot loaded = Snapshot.of(load.get().trimmed());
            // compute() holds the key while it checks and stores, so a change's update comes after.
            owners.compute(owner, (id, current) -> generations.getOrDefault(owner, 0L) == before ? loaded : current);
            vectors = loaded;
            letGoBeyondLimit(owner);
        }
        return vectors.nearest(query, scope.predicate(), limit);
    }

    /** Forgets the owner's vectors; the next search loads them again. */
    void invalidate(UUID owner) {
        generations.merge(owner, 1L, Long::sum);
        owners.remove(owner);
    }

    /** Whether the owner's vectors are held, for tests. */
    boolean holds(UUID owner) {
        return owners.containsKey(owner);
    }

    /**
     * While more than the limit is held, lets go of the owners searched least recently, never {@code keep}
     * (who is searching now, and is held even alone above the limit: that search needs the vectors anyway).
     * Dropping is safe at any moment: a dropped owner is simply loaded again, from the table, which has every
     * committed change.
     */
    private void letGoBeyondLimit(UUID keep) {
        long held = owners.values().stream().mapToLong(Snapshot::bytes).sum();
        if (held <= maxBytes) {
            return;
        }
        List<UUID> leastRecentFirst = owners.keySet().stream().filter(id -> !id.equals(keep))
                .sorted(Comparator.comparingLong(id -> lastSearched.getOrDefault(id, 0L))).toList();
        for (UUID id : leastRecentFirst) {
            if (held <= maxBytes) {
                return;
            }
            Snapshot dropped = owners.remove(id);
            if (dropped != null) {
                held -= dropped.bytes();
                lastSearched.remove(id);
            }
        }
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

        long bytes() {
            return segments.stream().mapToLong(s -> s.vectors().bytes()).sum();
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

    /**
     * One owner's vectors, immutable once built.
     *
     * <p>A large owner is searched in two steps. Reading every float of 100,000 vectors of 384 dimensions
     * (150 MB) takes about 15 ms here, bound by memory bandwidth. So each vector also gets a one-bit-per-dimension
     * code (is the component above the owner's mean?), 48 bytes instead of 1,536; the query keeps four bits
     * per dimension. The codes pick the {@link #CANDIDATES} likeliest vectors in about 2 ms, and only those are
     * scored exactly. Measured on the bench's bge-small vectors (bench/README.md): recall@10 against exact
     * search 0.996 with 1,000 candidates, where one-bit queries needed 2,000 for 0.986, and int8 codes, which
     * the JIT does not vectorise, were slower than floats. Random vectors, which share no direction, are the
     * worst case (0.90 at 1,000).
     */
    static final class OwnerVectors {
        // Below this, splitting the scan costs more than it saves.
        static final int PARALLEL_FROM = 20_000;
        // Candidates the codes bring to the exact step, more for a larger limit. Hybrid search's top 50 from
        // 1,000 candidates keeps about 0.83 of the exact top 50, but the fusion leans on the top ranks: on the
        // Vaswani set its nDCG@10 is the same as with exact search (bench/README.md).
        static final int CANDIDATES = 1_000;
        static final int CANDIDATES_PER_RESULT = 20;
        // Sign codes carry too little below this many dimensions: such vectors are always scanned exactly.
        static final int CODED_FROM_DIMENSIONS = 64;

        private final int dimensions;
        private UUID[] ids = new UUID[64];
        private SourceKind[] kinds = new SourceKind[64];
        private UUID[] sourceIds = new UUID[64];
        private UUID[] chatIds = new UUID[64];
        private float[] data;
        private int size;
        private volatile Codes codes; // built on the first coded search, once every vector is in

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
            codes = null;
        }

        int size() {
            return size;
        }

        /** These vectors without the room left for more: loading doubles the arrays as it goes. */
        OwnerVectors trimmed() {
            if (ids.length == size) {
                return this;
            }
            OwnerVectors exact = new OwnerVectors(dimensions);
            exact.ids = Arrays.copyOf(ids, size);
            exact.kinds = Arrays.copyOf(kinds, size);
            exact.sourceIds = Arrays.copyOf(sourceIds, size);
            exact.chatIds = Arrays.copyOf(chatIds, size);
            exact.data = Arrays.copyOf(data, size * dimensions);
            exact.size = size;
            return exact;
        }

        /**
         * About the memory these vectors take: the floats, the sign codes once built, and per chunk its id (a
         * UUID object) and four array slots. Source and chat ids are shared by a source's chunks.
         */
        long bytes() {
            Codes built = codes;
            return 4L * data.length + 48L * ids.length + 16L * ids.length
                    + (built == null ? (long) size * ((dimensions + 63) / 64) * 8 : 8L * built.bits().length);
        }

        /** The best {@code limit} admitted vectors for a unit query, best first. */
        List<Scored> nearest(float[] query, Scope.Predicate admits, int limit) {
            int candidates = Math.max(CANDIDATES, limit * CANDIDATES_PER_RESULT);
            if (dimensions < CODED_FROM_DIMENSIONS || size < 4 * candidates) {
                return nearestExact(query, admits, limit);
            }
            QueryCode code = codes().of(query);
            TopK best = scanInParts((from, to) -> scanCodes(code, admits, candidates, from, to));
            // The exact step: the candidates' true scores.
            TopK exact = new TopK(limit);
            for (int j = 0; j < best.size; j++) {
                int i = best.index[j];
                exact.offer(i, dot(query, i * dimensions));
            }
            return exact.toScored(ids);
        }

        /** Every admitted vector scored exactly: the reference for the coded search, and the search of small owners. */
        List<Scored> nearestExact(float[] query, Scope.Predicate admits, int limit) {
            return scanInParts((from, to) -> scanExact(query, admits, limit, from, to)).toScored(ids);
        }

        private interface Scan {
            TopK range(int from, int to);
        }

        /** A large owner's scan is cut into one range per core; each keeps its own top, merged after. */
        private TopK scanInParts(Scan scan) {
            int parts = size >= PARALLEL_FROM ? Math.min(Runtime.getRuntime().availableProcessors(), 8) : 1;
            if (parts <= 1) {
                return scan.range(0, size);
            }
            int step = (size + parts - 1) / parts;
            return IntStream.range(0, parts).parallel()
                    .mapToObj(p -> scan.range(p * step, Math.min(size, (p + 1) * step)))
                    .reduce(TopK::merge).orElseThrow();
        }

        private TopK scanExact(float[] query, Scope.Predicate admits, int limit, int from, int to) {
            TopK best = new TopK(limit);
            for (int i = from; i < to; i++) {
                if (admits.admits(kinds[i], sourceIds[i], chatIds[i])) {
                    best.offer(i, dot(query, i * dimensions));
                }
            }
            return best;
        }

        private TopK scanCodes(QueryCode query, Scope.Predicate admits, int limit, int from, int to) {
            Codes held = codes;
            TopK best = new TopK(limit);
            for (int i = from; i < to; i++) {
                if (admits.admits(kinds[i], sourceIds[i], chatIds[i])) {
                    best.offer(i, query.score(held.bits, i * held.words));
                }
            }
            return best;
        }

        private Codes codes() {
            Codes held = codes;
            if (held == null) {
                synchronized (this) {
                    held = codes;
                    if (held == null) {
                        held = Codes.of(data, size, dimensions);
                        codes = held;
                    }
                }
            }
            return held;
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

    /**
     * One bit per dimension of each vector: set when the component is above the mean of the owner's vectors.
     * Embeddings share a common direction; without centring most bits would agree for every vector.
     */
    record Codes(float[] mean, long[] bits, int words) {

        static Codes of(float[] data, int size, int dimensions) {
            float[] mean = new float[dimensions];
            for (int i = 0; i < size; i++) {
                for (int d = 0; d < dimensions; d++) {
                    mean[d] += data[i * dimensions + d];
                }
            }
            for (int d = 0; d < dimensions; d++) {
                mean[d] /= Math.max(1, size);
            }
            int words = (dimensions + 63) / 64;
            long[] bits = new long[size * words];
            for (int i = 0; i < size; i++) {
                for (int d = 0; d < dimensions; d++) {
                    if (data[i * dimensions + d] > mean[d]) {
                        bits[i * words + d / 64] |= 1L << (d % 64);
                    }
                }
            }
            return new Codes(mean, bits, words);
        }

        /**
         * The query, centred like the vectors, with each component scaled to 0..15 and kept as four bit planes,
         * so that a vector's approximate score is four AND-and-popcounts per 64 dimensions.
         */
        QueryCode of(float[] query) {
            int dimensions = mean.length;
            float low = Float.MAX_VALUE;
            float high = -Float.MAX_VALUE;
            float[] centred = new float[dimensions];
            for (int d = 0; d < dimensions; d++) {
                centred[d] = query[d] - mean[d];
                low = Math.min(low, centred[d]);
                high = Math.max(high, centred[d]);
            }
            float range = Math.max(high - low, Float.MIN_NORMAL);
            long[] planes = new long[4 * words];
            for (int d = 0; d < dimensions; d++) {
                int level = Math.round((centred[d] - low) / range * 15);
                for (int p = 0; p < 4; p++) {
                    if ((level >> p & 1) != 0) {
                        planes[p * words + d / 64] |= 1L << (d % 64);
                    }
                }
            }
            // Σ level·bit grows with the vector's count of set bits as well; this much per bit takes the
            // offset of the scaling (zero sits at level 15·(-low)/range) back out.
            return new QueryCode(planes, words, 15 * -low / range);
        }
    }

    /** A query coded against one {@link Codes}. */
    record QueryCode(long[] planes, int words, float perBit) {

        float score(long[] bits, int offset) {
            int sum = 0;
            int set = 0;
            for (int w = 0; w < words; w++) {
                long b = bits[offset + w];
                set += Long.bitCount(b);
                sum += Long.bitCount(planes[w] & b)
                        + (Long.bitCount(planes[words + w] & b) << 1)
                        + (Long.bitCount(planes[2 * words + w] & b) << 2)
                        + (Long.bitCount(planes[3 * words + w] & b) << 3);
            }
            return sum - perBit * set;
        }
    }

    /** The best {@code limit} (index, score) pairs seen: a min-heap on primitive arrays, its root the one to beat. */
    static final class TopK {
        private final int limit;
        private final int[] index;
        private final float[] score;
        private int size;

        TopK(int limit) {
            this.limit = limit;
            this.index = new int[limit];
            this.score = new float[limit];
        }

        void offer(int i, float s) {
            if (size < limit) {
                index[size] = i;
                score[size] = s;
                up(size++);
            } else if (s > score[0]) {
                index[0] = i;
                score[0] = s;
                down();
            }
        }

        TopK merge(TopK other) {
            for (int j = 0; j < other.size; j++) {
                offer(other.index[j], other.score[j]);
            }
            return this;
        }

        List<Scored> toScored(UUID[] ids) {
            List<Scored> result = new ArrayList<>(size);
            for (int j = 0; j < size; j++) {
                result.add(new Scored(ids[index[j]], score[j]));
            }
            result.sort((a, b) -> Double.compare(b.score(), a.score()));
            return result;
        }

        private void up(int j) {
            while (j > 0) {
                int parent = (j - 1) / 2;
                if (score[j] >= score[parent]) {
                    return;
                }
                swap(j, parent);
                j = parent;
            }
        }

        private void down() {
            int j = 0;
            while (true) {
                int left = 2 * j + 1;
                int smallest = j;
                if (left < size && score[left] < score[smallest]) {
                    smallest = left;
                }
                if (left + 1 < size && score[left + 1] < score[smallest]) {
                    smallest = left + 1;
                }
                if (smallest == j) {
                    return;
                }
                swap(j, smallest);
                j = smallest;
            }
        }

        private void swap(int a, int b) {
            int i = index[a];
            index[a] = index[b];
            index[b] = i;
            float s = score[a];
            score[a] = score[b];
            score[b] = s;
        }
    }
}
