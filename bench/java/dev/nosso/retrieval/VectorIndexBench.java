package dev.nosso.retrieval;

import dev.nosso.bench.BenchSetup;
import dev.nosso.bench.Stats;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * SQLite's in-memory vector search at 100,000 vectors of 384 dimensions (one owner), without the database:
 * the coded search the product uses against the exact scan (the baseline), in the same run, with the coded
 * search's recall against exact. {@code ./mvnw -Pbench test -Dtest=VectorIndexBench} ({@code -Dchunks=...}).
 *
 * <p>Two data sets: the Vaswani abstracts embedded by bge-small (the vectors {@code SearchLatencyBench} caches
 * under target/; run it once first), repeated with noise up to the size, with queries near random abstracts;
 * and random unit vectors, the worst case for codes, since nothing in them is shared.
 */
class VectorIndexBench {

    private static final int QUERIES = 300;

    @Test
    void codedAgainstExactSearchAtOneHundredThousandVectors() throws IOException {
        int chunks = Integer.getInteger("chunks", 100_000);
        Path cache = Path.of("target", "bench-vaswani-bge-small-en-v15-q.vectors");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bench", "vector-index");
        result.put("store", "sqlite in-memory");
        result.put("chunks", chunks);
        if (Files.exists(cache)) {
            result.put("bge_small_vaswani", run(embedded(cache), chunks, 0.45, 1.0));
        }
        result.put("random_unit_vectors", run(null, chunks, -1, -1));
        BenchSetup.print(result);
    }

    /** Vectors from {@code base} with noise (or random ones when {@code noise} < 0), and queries likewise. */
    private static Map<String, Object> run(float[][] base, int chunks, double noise, double queryNoise) {
        Random random = new Random(42);
        int dims = noise < 0 ? 384 : base[0].length;
        OwnerVectors vectors = new OwnerVectors(dims);
        for (int i = 0; i < chunks; i++) {
            float[] v = noise < 0 ? unit(random, dims)
                    : i < base.length ? base[i] : jitter(base[i % base.length], random, noise);
            vectors.add(UUID.randomUUID(), SourceKind.FILE, UUID.randomUUID(), null, v);
        }
        float[][] queries = new float[QUERIES][];
        for (int q = 0; q < QUERIES; q++) {
            queries[q] = noise < 0 ? unit(random, dims) : jitter(base[random.nextInt(base.length)], random, queryNoise);
        }
        Scope.Predicate all = new Scope(true, null, true, null).predicate();
        long codesStart = System.nanoTime();
        vectors.nearest(queries[0], all, 10); // builds the codes
        double codesMs = (System.nanoTime() - codesStart) / 1e6;

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("dimensions", dims);
        figures.put("codes_build_ms", Math.round(codesMs));
        for (int limit : new int[] {10, 50}) {
            for (int warm = 0; warm < 50; warm++) { // let the JIT compile both loops
                vectors.nearest(queries[warm], all, limit);
                vectors.nearestExact(queries[warm], all, limit);
            }
            long[] exact = new long[QUERIES];
            long[] coded = new long[QUERIES];
            double recall = 0;
            for (int q = 0; q < QUERIES; q++) { // interleaved, so drift hits both alike
                long t = System.nanoTime();
                List<Scored> truth = vectors.nearestExact(queries[q], all, limit);
                exact[q] = System.nanoTime() - t;
                t = System.nanoTime();
                List<Scored> found = vectors.nearest(queries[q], all, limit);
                coded[q] = System.nanoTime() - t;
                Set<UUID> expected = truth.stream().map(Scored::chunkId).collect(Collectors.toSet());
                Set<UUID> hits = new HashSet<>(found.stream().map(Scored::chunkId).toList());
                hits.retainAll(expected);
                recall += (double) hits.size() / expected.size();
            }
            figures.put("top" + limit + "_exact_baseline", Stats.of(exact));
            figures.put("top" + limit + "_coded", Stats.of(coded));
            figures.put("recall_at_" + limit, Math.round(recall / QUERIES * 10000) / 10000.0);
        }
        return figures;
    }

    private static float[][] embedded(Path cache) throws IOException {
        try (var in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(cache)))) {
            int n = in.readInt();
            int d = in.readInt();
            float[][] vectors = new float[n][d];
            for (float[] v : vectors) {
                for (int i = 0; i < d; i++) {
                    v[i] = in.readFloat();
                }
            }
            return vectors;
        }
    }

    private static float[] jitter(float[] v, Random random, double noise) {
        float[] out = new float[v.length];
        double scale = noise / Math.sqrt(v.length);
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] + random.nextGaussian() * scale);
        }
        return Vectors.normalised(out);
    }

    private static float[] unit(Random random, int dims) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Vectors.normalised(v);
    }
}
