package dev.nosso.retrieval;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * One owner's vectors (or one segment of them) in flat arrays, immutable once built, searched by dot products
 * of unit vectors. The scope filter is applied while scoring, before the top k, so it never hides results.
 *
 * <p>A large owner is searched in two steps. Reading every float of 100,000 vectors of 384 dimensions
 * (150 MB) takes about 15 ms here, bound by memory bandwidth. So each vector also gets a one-bit-per-dimension
 * code ({@link SignCodes}: is the component above the owner's mean?), 48 bytes instead of 1,536; the query
 * keeps four bits per dimension. The codes pick the {@link #CANDIDATES} likeliest vectors in about 2 ms, and
 * only those are scored exactly. Measured on the bench's bge-small vectors (bench/README.md): recall@10
 * against exact search 0.996 with 1,000 candidates, where one-bit queries needed 2,000 for 0.986, and int8
 * codes, which the JIT does not vectorise, were slower than floats. Random vectors, which share no direction,
 * are the worst case (0.90 at 1,000).
 */
final class OwnerVectors {
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
    private volatile SignCodes codes; // built on the first coded search, once every vector is in

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
        SignCodes built = codes;
        return 4L * data.length + 48L * ids.length + 16L * ids.length
                + (built == null ? (long) size * ((dimensions + 63) / 64) * 8 : 8L * built.bits().length);
    }

    /** The best {@code limit} admitted vectors for a unit query, best first. */
    List<Scored> nearest(float[] query, Scope.Predicate admits, int limit) {
        int candidates = Math.max(CANDIDATES, limit * CANDIDATES_PER_RESULT);
        if (dimensions < CODED_FROM_DIMENSIONS || size < 4 * candidates) {
            return nearestExact(query, admits, limit);
        }
        SignCodes.QueryCode code = codes().of(query);
        TopK best = scanInParts((from, to) -> scanCodes(code, admits, candidates, from, to));
        // The exact step: the candidates' true scores.
        TopK exact = new TopK(limit);
        for (int j = 0; j < best.size(); j++) {
            int i = best.indexAt(j);
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

    private TopK scanCodes(SignCodes.QueryCode query, Scope.Predicate admits, int limit, int from, int to) {
        SignCodes held = codes;
        TopK best = new TopK(limit);
        for (int i = from; i < to; i++) {
            if (admits.admits(kinds[i], sourceIds[i], chatIds[i])) {
                best.offer(i, query.score(held.bits(), i * held.words()));
            }
        }
        return best;
    }

    private SignCodes codes() {
        SignCodes held = codes;
        if (held == null) {
            synchronized (this) {
                held = codes;
                if (held == null) {
                    held = SignCodes.of(data, size, dimensions);
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
