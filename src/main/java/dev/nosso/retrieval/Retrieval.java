package dev.nosso.retrieval;

import dev.nosso.platform.Problems;
import dev.nosso.platform.Reads;
import dev.nosso.provider.ProviderFailure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Searches one owner's chunks by keyword, by meaning, or both fused, and returns the passages. The two
 * searches behind it ({@link KeywordSearch}, {@link VectorSearch}) are chosen once, at start-up.
 */
@Service
public class Retrieval {

    private static final Logger log = LoggerFactory.getLogger(Retrieval.class);

    private final KeywordSearch keywords;
    private final VectorSearch vectors;
    private final Embedder embedder;
    private final ChunkRepository chunks;
    private final RetrievalSettings settings;
    private final Reads reads;
    private final List<HiddenSources> hidden;
    private final Executor parallel = Executors.newVirtualThreadPerTaskExecutor();

    Retrieval(KeywordSearch keywords, VectorSearch vectors, Embedder embedder, ChunkRepository chunks,
              RetrievalSettings settings, Reads reads, ObjectProvider<HiddenSources> hidden) {
        this.hidden = hidden.orderedStream().toList();
        this.keywords = keywords;
        this.vectors = vectors;
        this.embedder = embedder;
        this.chunks = chunks;
        this.settings = settings;
        this.reads = reads;
    }

    /**
     * The owner's best {@code request.k()} passages, best first. Bad input (no word in the query, a query
     * too long, k out of range) is a 400 problem.
     */
    public List<Passage> search(UUID owner, SearchRequest request) {
        List<String> words = KeywordQuery.words(request.query());
        if (words.isEmpty()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "empty-query", "query must contain at least one word.");
        }
        if (request.query().length() > SearchRequest.MAX_QUERY_CHARS) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "query-too-long",
                    "query must be at most " + SearchRequest.MAX_QUERY_CHARS + " characters.");
        }
        if (request.k() < 1 || request.k() > settings.maxK()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-k", "k must be between 1 and " + settings.maxK() + ".");
        }
        Scope scope = request.scope();
        if (scope.isEmpty()) {
            return List.of();
        }
        List<String> kept = KeywordQuery.kept(words);
        int k = request.k();
        return switch (request.mode()) {
            case HYBRID -> hybrid(owner, request, kept, scope);
            case KEYWORD -> {
                List<Scored> ranked = keywords.search(owner, kept, scope, k);
                // No snapshot is needed: a passage deleted between the ranking and its read is skipped either way.
                yield reads.run(() -> passages(owner, ranked));
            }
            case VECTOR -> {
                // The query is embedded before the reads: no connection is held while the model runs.
                float[] vector = embedQuery(request);
                yield reads.run(() -> passages(owner, vectors.nearest(owner, embedder.modelId(), vector, scope, k)));
            }
        };
    }

    /**
     * Both lists fused. The keyword list is read on another thread beside the step of the vector list that
     * leaves a core idle, so it costs next to nothing: the vector search itself when it runs in the database's
     * process (PostgreSQL's HNSW walk) while this one waits; otherwise the query's embedding (the in-memory
     * scan on SQLite uses every core of this process, and the embedding does not always). Measured both ways
     * on both databases (bench/README.md). Without a vector (the remote model is down) it is keyword search
     * alone, not an error.
     */
    private List<Passage> hybrid(UUID owner, SearchRequest request, List<String> words, Scope scope) {
        int k = request.k();
        int n = Math.max(k, settings.candidates());
        CompletableFuture<List<Scored>> duringEmbedding =
                vectors.runsInThisProcess() ? byWordsAside(owner, words, scope, n) : null;
        float[] vector = embedQuery(request);
        CompletableFuture<List<Scored>> keyword =
                duringEmbedding != null ? duringEmbedding : byWordsAside(owner, words, scope, n);
        return reads.run(() -> {
            List<Scored> nearest = vector == null ? null : vectors.nearest(owner, embedder.modelId(), vector, scope, n);
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
        return CompletableFuture.supplyAsync(() -> keywords.search(owner, words, scope, limit), parallel);
    }

    /**
     * The query's vector; a remote model that fails is a 503 for a vector search, and null (keyword only)
     * for a hybrid one.
     */
    private float[] embedQuery(SearchRequest request) {
        try {
            return embedder.embedQuery(request.query());
        } catch (ProviderFailure e) {
            if (request.mode() == SearchMode.HYBRID) {
                log.warn("Searching by keyword only: the embedding model failed: {}", e.getMessage());
                return null;
            }
            throw Problems.exception(HttpStatus.SERVICE_UNAVAILABLE, "embedding-unavailable",
                    "The embedding model cannot be reached: " + e.getMessage());
        }
    }

    private List<Passage> passages(UUID owner, List<Scored> ranked) {
        Map<UUID, Passage> rows = chunks.passages(owner, ranked.stream().map(Scored::chunkId).toList());
        Set<UUID> unseen = unseen(owner, rows.values());
        List<Passage> result = new ArrayList<>(ranked.size());
        for (Scored s : ranked) {
            Passage p = rows.get(s.chunkId());
            if (p != null && !unseen.contains(p.sourceId())) { // deleted between the ranking and this read, or hidden
                result.add(new Passage(p.chunkId(), p.sourceKind(), p.sourceId(), p.sourceName(), p.chatId(),
                        p.headingPath(), p.text(), s.score()));
            }
        }
        return result;
    }

    /** The sources of these passages that their owner's package hides (messages being deleted): one statement per kind. */
    private Set<UUID> unseen(UUID owner, Collection<Passage> passages) {
        Set<UUID> unseen = new HashSet<>();
        for (HiddenSources sources : hidden) {
            List<UUID> ids = passages.stream().filter(p -> p.sourceKind() == sources.kind())
                    .map(Passage::sourceId).distinct().toList();
            if (!ids.isEmpty()) {
                unseen.addAll(sources.hidden(owner, ids));
            }
        }
        return unseen;
    }
}
