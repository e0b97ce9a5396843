package dev.nosso.retrieval;

import dev.nosso.platform.Dialect;
import dev.nosso.platform.Problems;
import dev.nosso.platform.Reads;
import dev.nosso.provider.ProviderFailure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** Searches one owner's chunks by keyword, by meaning, or both fused. */
@Service
public class Retrieval {

    private static final Logger log = LoggerFactory.getLogger(Retrieval.class);

    static final int MAX_QUERY_CHARS = 4000;

    private final ChunkRepository chunks;
    private final Embedder embedder;
    private final MemoryVectorIndex memoryIndex;
    private final KeywordIndex keywordIndex;
    private final RetrievalSettings settings;
    private final Dialect dialect;
    private final Reads reads;
    private final VectorIndexes vectorIndexes;
    private final Executor parallel = Executors.newVirtualThreadPerTaskExecutor();

    Retrieval(ChunkRepository chunks, Embedder embedder, MemoryVectorIndex memoryIndex, KeywordIndex keywordIndex,
              RetrievalSettings settings, Dialect dialect, Reads reads, VectorIndexes vectorIndexes) {
        this.keywordIndex = keywordIndex;
        this.chunks = chunks;
        this.vectorIndexes = vectorIndexes;
        this.embedder = embedder;
        this.memoryIndex = memoryIndex;
        this.settings = settings;
        this.dialect = dialect;
        this.reads = reads;
    }

    /**
     * The owner's best {@code request.k()} passages, best first. Bad input (no word in the query, k out of
     * range) is a 400 problem.
     */
    public List<Passage> search(UUID owner, SearchRequest request) {
        List<String> words = KeywordQuery.words(request.query());
        if (words.isEmpty()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "empty-query", "query must contain at least one word.");
        }
        if (request.query().length() > MAX_QUERY_CHARS) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "query-too-long",
                    "query must be at most " + MAX_QUERY_CHARS + " characters.");
        }
        if (request.k() < 1 || request.k() > settings.maxK()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-k", "k must be between 1 and " + settings.maxK() + ".");
        }
        Scope scope = Scope.of(request);
        if (scope.isEmpty()) {
            return List.of();
        }
        int k = request.k();
        if (request.mode() == SearchMode.HYBRID) {
            return hybrid(owner, request, words, scope);
        }
        if (request.mode() == SearchMode.KEYWORD) {
            List<Scored> ranked = byWords(owner, words, scope, k);
            // No snapshot is needed: a passage deleted between the ranking and its read is skipped either way.
            return reads.run(() -> passages(owner, ranked));
        }
        // The query is embedded before the reads: no connection is held while the model runs.
        float[] vector = embedQuery(request);
        return reads.run(() -> passages(owner, nearest(owner, vector, scope, k)));
    }

    /** The keyword list: from the in-memory index, or from the database while the index cannot answer. */
    private List<Scored> byWords(UUID owner, List<String> words, Scope scope, int limit) {
        List<Scored> found = keywordIndex.search(owner, KeywordQuery.kept(words), scope, limit);
        if (found != null) {
            return found;
        }
        String expression = KeywordQuery.expression(words, dialect);
        return reads.run(() -> chunks.keyword(owner, expression, scope, limit));
    }

    /**
     * Both lists fused. The keyword list is read on another thread beside the step of the vector list that
     * leaves a core idle, so it costs next to nothing: on PostgreSQL the HNSW walk, which runs in the
     * database's process while this one waits; on SQLite the query's embedding (the vector scan there uses
     * every core of this process, and the embedding does not always). Measured both ways on both databases
     * (bench/README.md). Without a vector (the remote model is down) it is keyword search alone, not an error.
     */
    private List<Passage> hybrid(UUID owner, SearchRequest request, List<String> words, Scope scope) {
        int k = request.k();
        int n = Math.max(k, settings.candidates());
        CompletableFuture<List<Scored>> duringEmbedding =
                dialect == Dialect.SQLITE ? byWordsAside(owner, words, scope, n) : null;
        float[] vector = embedQuery(request);
        CompletableFuture<List<Scored>> keyword =
                duringEmbedding != null ? duringEmbedding : byWordsAside(owner, words, scope, n);
        return reads.run(() -> {
            List<Scored> nearest = vector == null ? null : nearest(owner, vector, scope, n);
            List<Scored> byWords;
            try {
                byWords = keyword.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            List<Scored> ranked = nearest == null ? byWords.subList(0, Math.min(k, byWords.size()))
                    : ReciprocalRankFusion.fuse(nearest, settings.vectorWeight(), byWords, settings.keywordWeight(),
                    settings.rrfK(), k);
            return passages(owner, ranked);
        });
    }

    /** The keyword list, read on another thread. */
    private CompletableFuture<List<Scored>> byWordsAside(UUID owner, List<String> words, Scope scope, int limit) {
        return CompletableFuture.supplyAsync(() -> byWords(owner, words, scope, limit), parallel);
    }

    /**
     * The query's vector; a remote model that fails is a 503 for a vector search, and null (keyword only)
     * for a hybrid one.
     */
    private float[] embedQuery(SearchRequest request) {
        try {
            float[] vector = embedder.embedQuery(request.query());
            vectorIndexes.ensure(embedder.modelId(), vector.length);
            return vector;
        } catch (ProviderFailure e) {
            if (request.mode() == SearchMode.HYBRID) {
                log.warn("Searching by keyword only: the embedding model failed: {}", e.getMessage());
                return null;
            }
            throw Problems.exception(HttpStatus.SERVICE_UNAVAILABLE, "embedding-unavailable",
                    "The embedding model cannot be reached: " + e.getMessage());
        }
    }

    private List<Scored> nearest(UUID owner, float[] vector, Scope scope, int limit) {
        String model = embedder.modelId();
        if (dialect == Dialect.POSTGRESQL) {
            List<Scored> found = new ArrayList<>(chunks.nearestPostgres(owner, model, vector, scope, limit));
            found.sort(Comparator.comparingDouble(Scored::score).reversed()); // relaxed order: sort again
            return found;
        }
        return memoryIndex.nearest(owner, vector, scope, limit, () -> {
            OwnerVectors vectors = new OwnerVectors(vector.length);
            chunks.vectorsOf(owner, model, vectors::add);
            return vectors;
        });
    }

    private List<Passage> passages(UUID owner, List<Scored> ranked) {
        Map<UUID, Passage> rows = chunks.passages(owner, ranked.stream().map(Scored::chunkId).toList());
        List<Passage> result = new ArrayList<>(ranked.size());
        for (Scored s : ranked) {
            Passage p = rows.get(s.chunkId());
            if (p != null) { // deleted between the ranking and this read
                result.add(new Passage(p.chunkId(), p.sourceKind(), p.sourceId(), p.sourceName(), p.chatId(),
                        p.headingPath(), p.text(), s.score()));
            }
        }
        return result;
    }
}
