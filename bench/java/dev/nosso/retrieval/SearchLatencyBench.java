package dev.nosso.retrieval;

import com.pgvector.PGvector;
import dev.nosso.bench.BenchSetup;
import dev.nosso.bench.Stats;
import dev.nosso.bench.Vaswani;
import dev.nosso.platform.Dialect;
import dev.nosso.platform.Reads;
import dev.nosso.platform.Writes;
import dev.nosso.support.ApiClient;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Search latency at 100,000 chunks of 384 dimensions for one owner, among another owner's 20,000, on the
 * product's own search path ({@link Retrieval#search}: the query embedded in-process, then keyword, vector or
 * hybrid), on SQLite by default or PostgreSQL with {@code -Dbench.db=postgresql}. In the same run: the
 * query embedding alone (part of every vector and hybrid search), and the recall@10 of the vector index
 * against exact search over the same vectors.
 *
 * <p>The chunks are the 11,429 Vaswani abstracts, embedded once by the product's model (cached under
 * {@code target/}), then repeated to 100,000: each copy keeps the text (with its copy number) and takes the
 * original vector moved by Gaussian noise to a cosine of about 0.9. That makes clusters of near-duplicates,
 * which is harder for an approximate index than spread-out vectors. The queries are Vaswani's 93.
 * {@code ./mvnw -Pbench test -Dtest=SearchLatencyBench [-Dbench.db=postgresql] [-Dchunks=100000]}
 */
class SearchLatencyBench {

    private static final int CHUNKS_PER_SOURCE = 50;
    private static final double NOISE = 0.45; // length of the noise added to a unit vector: cosine ~0.9
    private static final int PASSES = 3;

    @Test
    void searchLatencyAndRecallAtOneHundredThousandChunks() throws Exception {
        int chunks = Integer.getInteger("chunks", 100_000);
        int others = Integer.getInteger("others", 20_000);
        Vaswani vaswani = Vaswani.load();
        List<String> docs = List.copyOf(vaswani.docs().values());
        List<String> queries = List.copyOf(vaswani.queries().values());

        try (BenchSetup bench = new BenchSetup(Map.of("logging.level.dev.nosso", "warn"))) {
            var context = bench.server.context();
            Embedder embedder = context.getBean(Embedder.class);
            Retrieval retrieval = context.getBean(Retrieval.class);
            Dialect dialect = bench.database.dialect();
            float[][] base = embedded(embedder, docs);

            ApiClient alice = bench.server.newUser();
            ApiClient bob = bench.server.newUser();
            UUID owner = bench.userId(alice);
            Random random = new Random(7);
            long seedStart = System.nanoTime();
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            Writes writes = context.getBean(Writes.class);
            // PostgreSQL's index is built once after the load, as after a restore, from the migrations' definition.
            String indexDefinition = null;
            if (dialect == Dialect.POSTGRESQL) {
                indexDefinition = jdbc.queryForObject("SELECT pg_get_indexdef(?::regclass)", String.class,
                        VectorIndexes.BUILT_IN);
                jdbc.execute("DROP INDEX " + VectorIndexes.BUILT_IN);
            }
            Seeded seeded = seed(jdbc, writes, dialect, owner, docs, base, chunks, random, embedder.modelId());
            seed(jdbc, writes, dialect, bench.userId(bob), docs, base, others, random, embedder.modelId());
            double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
            double indexSeconds = 0;
            if (dialect == Dialect.POSTGRESQL) {
                long t = System.nanoTime();
                String definition = indexDefinition;
                jdbc.execute((Connection c) -> { // the setting and the build on one connection
                    try (var statement = c.createStatement()) {
                        statement.execute("SET maintenance_work_mem = '1GB'");
                        statement.execute(definition);
                    }
                    return null;
                });
                indexSeconds = (System.nanoTime() - t) / 1e9;
            }
            bench.analyze();

            // SQLite loads the owner's vectors into memory on their first vector search.
            long coldStart = System.nanoTime();
            retrieval.search(owner, request(queries.getFirst(), SearchMode.VECTOR));
            double coldMs = (System.nanoTime() - coldStart) / 1e6;

            // The keyword index loads a large owner in the background on their first keyword search.
            KeywordIndex keywordIndex = context.getBean(KeywordIndex.class);
            long keywordLoadStart = System.nanoTime();
            retrieval.search(owner, request(queries.getFirst(), SearchMode.KEYWORD));
            while (!keywordIndex.ready(owner)) {
                Thread.sleep(10);
            }
            double keywordLoadSeconds = (System.nanoTime() - keywordLoadStart) / 1e9;

            // The query embedding alone and the three modes, interleaved query by query (each query starts with
            // the next of the four in turn), so that the machine's drift and the JIT's warming reach all alike.
            Map<String, Object> latency = new LinkedHashMap<>();
            List<SearchMode> modes = List.of(SearchMode.values());
            long[][] nanos = new long[modes.size() + 1][queries.size() * PASSES];
            for (int pass = -1; pass < PASSES; pass++) { // pass -1 warms up
                for (int i = 0; i < queries.size(); i++) {
                    for (int step = 0; step <= modes.size(); step++) {
                        int which = (step + i) % (modes.size() + 1); // modes.size() = the embedding alone
                        long t = System.nanoTime();
                        if (which == modes.size()) {
                            embedder.embedQuery(queries.get(i));
                        } else {
                            List<Passage> found = retrieval.search(owner, request(queries.get(i), modes.get(which)));
                            if (found.isEmpty() && modes.get(which) != SearchMode.KEYWORD) {
                                throw new AssertionError(modes.get(which) + " found nothing for " + queries.get(i));
                            }
                        }
                        if (pass >= 0) {
                            nanos[which][pass * queries.size() + i] = System.nanoTime() - t;
                        }
                    }
                }
            }
            latency.put("query_embedding", Stats.of(nanos[modes.size()]));
            for (int mode = 0; mode < modes.size(); mode++) {
                latency.put(modes.get(mode).name().toLowerCase(java.util.Locale.ROOT), Stats.of(nanos[mode]));
            }

            // The baseline in the same run: the database's own full-text search, as used before the index.
            FullTextSearch fullText = new FullTextSearch(context.getBean(JdbcClient.class), dialect,
                    context.getBean(Reads.class));
            TransactionTemplate reading = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            reading.setReadOnly(true);
            Scope everything = Scope.EVERYTHING;
            long[] database = new long[queries.size() * PASSES];
            for (int pass = -1; pass < PASSES; pass++) {
                for (int i = 0; i < queries.size(); i++) {
                    List<String> words = KeywordQuery.kept(KeywordQuery.words(queries.get(i)));
                    long t = System.nanoTime();
                    reading.execute(status -> fullText.search(owner, words, everything, 50));
                    if (pass >= 0) {
                        database[pass * queries.size() + i] = System.nanoTime() - t;
                    }
                }
            }
            latency.put("keyword_database_top50_baseline", Stats.of(database));
            // The keyword index alone (no passages), for the top 10 of keyword mode and the top 50 hybrid fuses.
            for (int limit : new int[] {10, 50}) {
                long[] index = new long[queries.size() * PASSES];
                for (int pass = -1; pass < PASSES; pass++) {
                    for (int i = 0; i < queries.size(); i++) {
                        List<String> words = KeywordQuery.kept(KeywordQuery.words(queries.get(i)));
                        long t = System.nanoTime();
                        keywordIndex.search(owner, words, everything, limit);
                        if (pass >= 0) {
                            index[pass * queries.size() + i] = System.nanoTime() - t;
                        }
                    }
                }
                latency.put("keyword_index_top" + limit, Stats.of(index));
            }

            // Recall@10 of the index: the product's vector search against exact search in Java over the
            // very vectors stored, for the same query vectors.
            double recall = 0;
            for (String query : queries) {
                float[] vector = embedder.embedQuery(query);
                Set<UUID> exact = exactTop(seeded, vector, 10);
                Set<UUID> found = retrieval.search(owner, request(query, SearchMode.VECTOR)).stream()
                        .map(Passage::chunkId).collect(Collectors.toSet());
                found.retainAll(exact);
                recall += found.size() / 10.0;
            }

            // A new file indexed after the owner's vectors are held: SQLite applies it to them rather than
            // loading all 100,000 again.
            Indexer indexer = context.getBean(Indexer.class);
            indexer.index(new SourceText(owner, SourceKind.FILE, UUID.randomUUID(), "new.txt", null,
                    "Microwave measurements of the dielectric constant of liquids, taken again."), (done, total) -> { });
            long afterChange = System.nanoTime();
            retrieval.search(owner, request(queries.getFirst(), SearchMode.VECTOR));
            double afterChangeMs = (System.nanoTime() - afterChange) / 1e6;

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("bench", "search-latency");
            result.put("database", bench.dialect());
            result.put("owner_chunks", chunks);
            result.put("other_owner_chunks", others);
            result.put("dimensions", base[0].length);
            result.put("queries", queries.size() * PASSES);
            result.put("seed_s", Math.round(seedSeconds * 10) / 10.0);
            if (dialect == Dialect.POSTGRESQL) {
                result.put("hnsw_build_s", Math.round(indexSeconds * 10) / 10.0);
            }
            result.put("first_vector_search_ms", Math.round(coldMs * 10) / 10.0);
            result.put("keyword_index_load_s", Math.round(keywordLoadSeconds * 10) / 10.0);
            result.put("keyword_index_mb", Math.round(keywordIndex.memoryBytes() / 1e5) / 10.0);
            result.put("vector_search_after_a_new_file_ms", Math.round(afterChangeMs * 10) / 10.0);
            result.put("latency", latency);
            result.put("vector_recall_at_10", Math.round(recall / queries.size() * 1000) / 1000.0);
            result.put("goal", Map.of("hybrid_p50_ms", 15, "recall_at_10", 0.95));
            BenchSetup.print(result);
        }
    }

    private static SearchRequest request(String query, SearchMode mode) {
        return new SearchRequest(query, 10, mode, Scope.EVERYTHING);
    }

    /** The owner's stored chunks, in memory, for exact search. */
    record Seeded(UUID[] ids, float[][] vectors) {
    }

    private static Seeded seed(JdbcTemplate jdbc, Writes writes, Dialect dialect, UUID owner, List<String> docs,
                               float[][] base, int count, Random random, String model) {
        String sql = """
                INSERT INTO chunks (id, user_id, source_kind, source_id, source_name, chat_id, ordinal, heading_path,
                                    text, token_count, embedding_model, embedding, created_at)
                VALUES (?, ?, 'file', ?, ?, NULL, ?, '', ?, ?, ?, ?, ?)""";
        UUID[] ids = new UUID[count];
        float[][] vectors = new float[count][];
        int batch = 2_000;
        for (int from = 0; from < count; from += batch) {
            int start = from;
            int end = Math.min(count, from + batch);
            List<Object[]> rows = new ArrayList<>(end - start);
            UUID source = UUID.randomUUID();
            for (int i = start; i < end; i++) {
                if (i % CHUNKS_PER_SOURCE == 0) {
                    source = UUID.randomUUID();
                }
                int doc = i % docs.size();
                int copy = i / docs.size();
                float[] v = copy == 0 ? base[doc] : jitter(base[doc], random);
                ids[i] = UUID.randomUUID();
                vectors[i] = v;
                String text = copy == 0 ? docs.get(doc) : docs.get(doc) + " (copy " + copy + ")";
                rows.add(new Object[] {id(dialect, ids[i]), id(dialect, owner), id(dialect, source),
                        "vaswani-" + (doc + 1) + ".txt", i % CHUNKS_PER_SOURCE, text, text.length() / 4, model,
                        dialect == Dialect.POSTGRESQL ? new PGvector(v) : Vectors.toBytes(v), System.currentTimeMillis()});
            }
            writes.run(() -> jdbc.batchUpdate(sql, rows));
        }
        return new Seeded(ids, vectors);
    }

    private static Object id(Dialect dialect, UUID id) {
        return dialect == Dialect.POSTGRESQL ? id : id.toString();
    }

    private static float[] jitter(float[] v, Random random) {
        float[] out = new float[v.length];
        double scale = NOISE / Math.sqrt(v.length);
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] + random.nextGaussian() * scale);
        }
        return Vectors.normalised(out);
    }

    private static Set<UUID> exactTop(Seeded seeded, float[] query, int k) {
        PriorityQueue<Integer> best = new PriorityQueue<>(k + 1, (a, b) -> Double.compare(
                dot(seeded.vectors()[a], query), dot(seeded.vectors()[b], query)));
        for (int i = 0; i < seeded.vectors().length; i++) {
            best.add(i);
            if (best.size() > k) {
                best.poll();
            }
        }
        return best.stream().map(i -> seeded.ids()[i]).collect(Collectors.toSet());
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** The documents' vectors from the product's model, computed once and kept under target/. */
    private static float[][] embedded(Embedder embedder, List<String> docs) throws IOException {
        Path cache = Path.of("target", "bench-vaswani-" + embedder.modelId() + ".vectors");
        if (Files.exists(cache)) {
            try (var in = new DataInputStream(Files.newInputStream(cache))) {
                int n = in.readInt();
                int d = in.readInt();
                if (n == docs.size()) {
                    float[][] vectors = new float[n][d];
                    for (float[] v : vectors) {
                        for (int i = 0; i < d; i++) {
                            v[i] = in.readFloat();
                        }
                    }
                    return vectors;
                }
            }
        }
        float[][] vectors = new float[docs.size()][];
        for (int from = 0; from < docs.size(); from += 32) {
            List<float[]> batch = embedder.embed(docs.subList(from, Math.min(docs.size(), from + 32)));
            for (int i = 0; i < batch.size(); i++) {
                vectors[from + i] = batch.get(i);
            }
        }
        Files.createDirectories(cache.getParent());
        try (var out = new DataOutputStream(Files.newOutputStream(cache))) {
            out.writeInt(vectors.length);
            out.writeInt(vectors[0].length);
            for (float[] v : vectors) {
                for (float x : v) {
                    out.writeFloat(x);
                }
            }
        }
        return vectors;
    }
}
