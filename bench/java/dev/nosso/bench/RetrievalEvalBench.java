package dev.nosso.bench;

import dev.nosso.retrieval.Indexer;
import dev.nosso.retrieval.SourceKind;
import dev.nosso.retrieval.SourceText;
import dev.nosso.support.ApiClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Retrieval quality on the Vaswani (NPL) dev set: every document indexed through {@link Indexer#index} (one
 * source per document, its name the document number), every query through {@code POST /api/v1/search} with
 * k = 10 in each mode, scored against the qrels: nDCG@10, Recall@10 and MRR@10. Then the keyword and vector
 * top-50 of each query are fused offline with other weights, to choose the fusion the server uses.
 *
 * <p>{@code ./mvnw -Pbench test -Dtest=RetrievalEvalBench [-Pall-models -Dmodel=all-minilm-l6-v2] [-Ddataset=path]
 * [-Dbench.db=postgresql]}; the dataset defaults to {@code ../shared/datasets/vaswani}.
 */
class RetrievalEvalBench {


    @Test
    void scoreKeywordVectorAndHybridOnTheDevSet() throws Exception {
        String model = System.getProperty("model", "bge-small-en-v15-q");
        Vaswani vaswani = Vaswani.load();
        Map<String, String> docs = vaswani.docs();
        Map<String, String> queries = vaswani.queries();
        Map<String, Set<String>> qrels = vaswani.qrels();
        int limit = Integer.getInteger("docs", docs.size());

        Map<String, Object> settings = new HashMap<>();
        settings.put("nosso.retrieval.embedding-model", model);
        // The keyword index loads the owner during the first search, so every query is answered by it (a
        // larger owner would be loaded in the background, the first queries going to the database meanwhile).
        settings.put("nosso.retrieval.keyword-index-inline-load", Integer.MAX_VALUE);
        try (BenchSetup setup = new BenchSetup(settings)) {
            ApiClient user = setup.server.newUser();
            UUID owner = setup.userId(user);
            Indexer indexer = setup.server.context().getBean(Indexer.class);

            long start = System.nanoTime();
            try (ExecutorService pool = Executors.newFixedThreadPool(Integer.getInteger("threads", 4))) {
                List<Future<Integer>> done = new ArrayList<>();
                docs.entrySet().stream().limit(limit).forEach(doc -> done.add(pool.submit(() -> indexer.index(
                        new SourceText(owner, SourceKind.FILE, UUID.randomUUID(), doc.getKey(), null, doc.getValue()),
                        (d, t) -> { }))));
                int chunks = 0;
                for (Future<Integer> f : done) {
                    chunks += f.get();
                }
                System.out.println("indexed " + done.size() + " documents, " + chunks + " chunks");
            }
            double indexSeconds = (System.nanoTime() - start) / 1e9;
            setup.analyze();

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("benchmark", "retrieval-eval");
            result.put("database", setup.dialect());
            result.put("model", model);
            result.put("documents", Math.min(limit, docs.size()));
            result.put("queries", queries.size());
            result.put("indexSeconds", round(indexSeconds));
            result.put("documentsPerSecond", round(Math.min(limit, docs.size()) / indexSeconds));

            Map<String, Map<String, List<String>>> top50 = new HashMap<>();
            for (String mode : List.of("keyword", "vector", "hybrid")) {
                List<Long> nanos = new ArrayList<>();
                Map<String, List<String>> runs = new HashMap<>();
                for (var q : queries.entrySet()) {
                    long t = System.nanoTime();
                    runs.put(q.getKey(), search(user, q.getValue(), mode, 10));
                    nanos.add(System.nanoTime() - t);
                }
                Map<String, Object> scores = score(runs, qrels);
                scores.put("httpLatency", Stats.of(nanos.stream().mapToLong(Long::longValue).toArray()));
                result.put(mode, scores);
                if (!mode.equals("hybrid")) {
                    Map<String, List<String>> deep = new HashMap<>();
                    for (var q : queries.entrySet()) {
                        deep.put(q.getKey(), search(user, q.getValue(), mode, 50));
                    }
                    top50.put(mode, deep);
                }
            }
            result.put("fusionSweep", sweep(top50.get("vector"), top50.get("keyword"), qrels));
            BenchSetup.print(result);
        }
    }

    private static List<String> search(ApiClient user, String query, String mode, int k) {
        JsonNode results = user.post("/api/v1/search", Map.of("query", query, "mode", mode, "k", k)).expect(200)
                .json().get("results");
        List<String> names = new ArrayList<>();
        for (JsonNode r : results) {
            names.add(r.get("sourceName").asString());
        }
        return names;
    }

    /** Weighted RRF at several weights and k, and min-max normalised rank-free fusion, on the top-50 lists. */
    private static Map<String, Object> sweep(Map<String, List<String>> vector, Map<String, List<String>> keyword,
                                             Map<String, Set<String>> qrels) {
        Map<String, Object> sweep = new LinkedHashMap<>();
        for (int k : new int[] {10, 60}) {
            for (double kw : new double[] {1.0, 0.7, 0.5, 0.3}) {
                Map<String, List<String>> runs = new HashMap<>();
                for (String q : vector.keySet()) {
                    runs.put(q, rrf(vector.get(q), 1.0, keyword.get(q), kw, k));
                }
                Map<String, Object> s = score(runs, qrels);
                sweep.put("rrf k=" + k + " vector=1 keyword=" + kw, s.get("ndcg@10") + " / " + s.get("recall@10")
                        + " / " + s.get("mrr"));
            }
        }
        return sweep;
    }

    private static List<String> rrf(List<String> a, double wa, List<String> b, double wb, int k) {
        Map<String, Double> scores = new HashMap<>();
        for (int i = 0; i < a.size(); i++) {
            scores.merge(a.get(i), wa / (k + i + 1), Double::sum);
        }
        for (int i = 0; i < b.size(); i++) {
            scores.merge(b.get(i), wb / (k + i + 1), Double::sum);
        }
        return scores.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
                .limit(10).map(Map.Entry::getKey).toList();
    }

    private static Map<String, Object> score(Map<String, List<String>> runs, Map<String, Set<String>> qrels) {
        double ndcg = 0, recall = 0, mrr = 0;
        int n = 0;
        for (var run : runs.entrySet()) {
            Set<String> relevant = qrels.getOrDefault(run.getKey(), Set.of());
            if (relevant.isEmpty()) {
                continue;
            }
            n++;
            List<String> top = run.getValue().subList(0, Math.min(10, run.getValue().size()));
            double dcg = 0, idcg = 0;
            int hits = 0;
            double rr = 0;
            for (int i = 0; i < top.size(); i++) {
                if (relevant.contains(top.get(i))) {
                    dcg += 1 / log2(i + 2);
                    hits++;
                    if (rr == 0) {
                        rr = 1.0 / (i + 1);
                    }
                }
            }
            for (int i = 0; i < Math.min(10, relevant.size()); i++) {
                idcg += 1 / log2(i + 2);
            }
            ndcg += dcg / idcg;
            recall += (double) hits / relevant.size();
            mrr += rr;
        }
        Map<String, Object> scores = new LinkedHashMap<>();
        scores.put("ndcg@10", round(ndcg / n));
        scores.put("recall@10", round(recall / n));
        scores.put("mrr", round(mrr / n));
        return scores;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }
}
