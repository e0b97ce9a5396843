package dev.nosso.retrieval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * SQLite's in-memory exact vector search at 100,000 chunks of 384 dimensions (one owner), without the
 * database: the cost that grows with the owner's chunk count. {@code ./mvnw -Pbench test -Dtest=VectorIndexBench}
 * ({@code -Dchunks=...} to change the size). Exact search has recall 1 by construction.
 */
class VectorIndexBench {

    @Test
    void exactSearchLatencyAtOneHundredThousandChunks() {
        int chunks = Integer.getInteger("chunks", 100_000);
        int dims = 384;
        Random random = new Random(42);
        MemoryVectorIndex.OwnerVectors vectors = new MemoryVectorIndex.OwnerVectors(dims);
        long loadStart = System.nanoTime();
        for (int i = 0; i < chunks; i++) {
            vectors.add(UUID.randomUUID(), SourceKind.FILE, UUID.randomUUID(), null, unit(random, dims));
        }
        double loadMs = (System.nanoTime() - loadStart) / 1e6;
        Scope all = new Scope(true, null, true, null);

        for (int i = 0; i < 50; i++) { // warm-up: let the JIT compile the loop
            vectors.nearest(unit(random, dims), all.predicate(), 50);
        }
        long[] nanos = new long[300];
        for (int i = 0; i < nanos.length; i++) {
            float[] q = unit(random, dims);
            long t = System.nanoTime();
            List<Scored> found = vectors.nearest(q, all.predicate(), 50);
            nanos[i] = System.nanoTime() - t;
            if (found.size() != 50) {
                throw new AssertionError("expected 50 results, got " + found.size());
            }
        }
        Arrays.sort(nanos);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "vector-index");
        result.put("store", "sqlite in-memory exact");
        result.put("chunks", chunks);
        result.put("dimensions", dims);
        result.put("buildMs", Math.round(loadMs));
        result.put("top50_p50_ms", nanos[nanos.length / 2] / 1e6);
        result.put("top50_p99_ms", nanos[nanos.length * 99 / 100] / 1e6);
        result.put("recall@10", 1.0);
        System.out.println("BENCH " + result);
    }

    private static float[] unit(Random random, int dims) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Vectors.normalised(v);
    }
}
