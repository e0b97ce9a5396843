package dev.nosso.retrieval;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LangChain4j's in-process ONNX models, shipped inside their jars: no network. The model loads on first use
 * (1-2 s and about 200 MB), never at start-up, so a server that never searches never pays for it.
 */
final class OnnxEmbedder implements Embedder {

    private static final Logger log = LoggerFactory.getLogger(OnnxEmbedder.class);

    // bge v1.5 is trained with this instruction on short queries searching passages (its model card).
    private static final String BGE_QUERY_PREFIX = "Represent this sentence for searching relevant passages: ";

    /** The models this class can load. */
    static final Set<String> NAMES = Set.of("bge-small-en-v15-q", "all-minilm-l6-v2");

    private final String id;
    private final Supplier<EmbeddingModel> factory;
    private final String queryPrefix;
    private final ReentrantLock loading = new ReentrantLock(); // not synchronized: callers are virtual threads
    private final ReentrantLock batches = new ReentrantLock();
    private volatile EmbeddingModel model;

    private OnnxEmbedder(String id, Supplier<EmbeddingModel> factory, String queryPrefix) {
        this.id = id;
        this.factory = factory;
        this.queryPrefix = queryPrefix;
    }

    /** The model named by {@code nosso.retrieval.embedding-model}; an unknown name stops start-up. */
    static OnnxEmbedder named(String name, Path dataDir) {
        // DJL (the tokenizer) unpacks a native library into its cache and would otherwise report usage.
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("DJL_CACHE_DIR", dataDir.resolve("djl").toAbsolutePath().toString());
        return switch (name) {
            case "bge-small-en-v15-q" -> new OnnxEmbedder(name,
                    dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel::new,
                    BGE_QUERY_PREFIX);
            case "all-minilm-l6-v2" -> new OnnxEmbedder(name,
                    dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel::new, "");
            default -> throw new IllegalArgumentException("nosso.retrieval.embedding-model (NOSSO_EMBEDDING_MODEL) must be "
                    + "bge-small-en-v15-q or all-minilm-l6-v2, got " + name);
        };
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getenv(name) == null && System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    @Override
    public String modelId() {
        return id;
    }

    /**
     * One batch at a time: ONNX Runtime already spreads one batch over every core, so two jobs embedding at
     * once only fight over them, and the time one job spends parsing or writing is better spent letting the
     * other embed. Queries do not wait behind batches: a search embeds its one short text at once.
     */
    @Override
    public List<float[]> embed(List<String> texts) {
        batches.lock();
        try {
            return compute(texts);
        } finally {
            batches.unlock();
        }
    }

    @Override
    public float[] embedQuery(String query) {
        return compute(List.of(queryPrefix + query)).getFirst();
    }

    private List<float[]> compute(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        List<Embedding> embeddings = model().embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding e : embeddings) {
            vectors.add(Vectors.normalised(e.vector()));
        }
        return vectors;
    }

    private EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m != null) {
            return m;
        }
        loading.lock();
        try {
            if (model == null) {
                long start = System.nanoTime();
                model = factory.get();
                log.info("Loaded the embedding model {} in {} ms", id, (System.nanoTime() - start) / 1_000_000);
            }
            return model;
        } finally {
            loading.unlock();
        }
    }
}
