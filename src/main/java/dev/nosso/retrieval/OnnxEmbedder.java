package dev.nosso.retrieval;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LangChain4j's in-process ONNX models, shipped inside their jars: no network. A model loads on first use
 * (1-2 s; 100-150 MB per session), never at start-up, so a server that never searches never pays for it.
 *
 * <p>Each model runs in one ONNX Runtime session with one thread per run and no spinning, called in two ways
 * (measured on 2 cores against LangChain4j's own defaults):
 * <ul>
 *   <li>passages: one text per run, as many runs at once as there are cores, on a shared pool. That embedded
 *   30-45% more texts per second than the default (each run spreading over every core, two at once), whose
 *   threads spin while they wait for each other, burning the cores that parsing and writing need. Batching
 *   several texts into one padded run was slower still: this quantized model pays for the padding.</li>
 *   <li>queries: on the caller's thread, so that a search never queues behind an upload's passages. A query
 *   is one short text: spread over both cores it took 4.92 ms at p50, on one 4.83 ms (the 93 Vaswani queries
 *   with bge's instruction, interleaved), so concurrent searches can each have a core.</li>
 * </ul>
 * A session runs concurrent calls safely, so both ways share it and its memory (100-150 MB).
 * Sessions are shared by every server in the JVM (tests start many), as LangChain4j shares its own.
 */
final class OnnxEmbedder implements Embedder {

    private static final Logger log = LoggerFactory.getLogger(OnnxEmbedder.class);

    // bge v1.5 is trained with this instruction on short queries searching passages (its model card).
    private static final String BGE_QUERY_PREFIX = "Represent this sentence for searching relevant passages: ";

    /** The models this class can load: the files inside LangChain4j's jars, and how each pools its tokens. */
    private static final Map<String, ModelFiles> MODELS = Map.of(
            "bge-small-en-v15-q", new ModelFiles("bge-small-en-v1.5-q", PoolingMode.CLS, 384, BGE_QUERY_PREFIX),
            "all-minilm-l6-v2", new ModelFiles("all-minilm-l6-v2", PoolingMode.MEAN, 384, ""));

    /** The models this class can load. */
    static final Set<String> NAMES = MODELS.keySet();

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final ExecutorService PASSAGE_THREADS = Executors.newFixedThreadPool(CORES,
            Thread.ofPlatform().name("nosso-embedding-", 0).daemon().factory());
    private static final Map<String, Loaded> LOADED = new ConcurrentHashMap<>();
    private static final ReentrantLock LOADING = new ReentrantLock(); // not synchronized: callers may be virtual

    private final String id;
    private final ModelFiles files;

    private OnnxEmbedder(String id, ModelFiles files) {
        this.id = id;
        this.files = files;
    }

    /** The model named by {@code nosso.retrieval.embedding-model}; an unknown name stops start-up. */
    static OnnxEmbedder named(String name, Path dataDir) {
        ModelFiles files = MODELS.get(name);
        if (files == null) {
            throw new IllegalArgumentException("nosso.retrieval.embedding-model (NOSSO_EMBEDDING_MODEL) must be "
                    + "bge-small-en-v15-q or all-minilm-l6-v2, got " + name);
        }
        // The executable jar carries the default model only (the pom's all-models profile adds the other):
        // a model that is not there stops start-up now rather than the first search.
        if (OnnxEmbedder.class.getClassLoader().getResource(files.model()) == null) {
            throw new IllegalArgumentException("The embedding model " + name + " (NOSSO_EMBEDDING_MODEL) is not in "
                    + "this build: build with ./mvnw -Pall-models package, or use bge-small-en-v15-q");
        }
        // DJL (the tokenizer) unpacks a native library into its cache and would otherwise report usage.
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("DJL_CACHE_DIR", dataDir.resolve("djl").toAbsolutePath().toString());
        return new OnnxEmbedder(name, files);
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
     * Spread over the embedding threads, one text per run. Two jobs embedding at once share those threads
     * text by text, so the cores stay busy while either job parses or writes.
     */
    @Override
    public List<float[]> embed(List<String> texts) {
        return vectors(loaded().passages().embedAll(texts.stream().map(TextSegment::from).toList()).content());
    }

    @Override
    public float[] embedQuery(String query) {
        return vectors(loaded().queries().embedAll(List.of(TextSegment.from(files.queryPrefix() + query))).content())
                .getFirst();
    }

    private static List<float[]> vectors(List<Embedding> embeddings) {
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding e : embeddings) {
            vectors.add(Vectors.normalised(e.vector()));
        }
        return vectors;
    }

    /** One model's session, called in the two ways: passages across the embedding threads, queries in place. */
    private record Loaded(Model passages, Model queries) {
    }

    private Loaded loaded() {
        Loaded m = LOADED.get(id);
        if (m != null) {
            return m;
        }
        LOADING.lock();
        try {
            m = LOADED.get(id);
            if (m == null) {
                long start = System.nanoTime();
                m = load();
                LOADED.put(id, m);
                log.info("Loaded the embedding model {} in {} ms", id, (System.nanoTime() - start) / 1_000_000);
            }
            return m;
        } finally {
            LOADING.unlock();
        }
    }

    private Loaded load() {
        try {
            // Kept open: the session was made with them (and there is one per model per JVM).
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setInterOpNumThreads(1);
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession session = environment.createSession(resource(files.model()), options);
            try (InputStream tokenizer = stream(files.tokenizer())) {
                OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(environment, session, tokenizer, files.pooling());
                return new Loaded(new Model(encoder, files.dimensions(), PASSAGE_THREADS),
                        new Model(encoder, files.dimensions(), Runnable::run));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + files.model() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        }
    }

    private static InputStream stream(String name) {
        InputStream in = OnnxEmbedder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path: its LangChain4j jar is missing");
        }
        return in;
    }

    /** The two files of one model inside its jar. */
    private record ModelFiles(String name, PoolingMode pooling, int dimensions, String queryPrefix) {
        String model() {
            return name + ".onnx";
        }

        String tokenizer() {
            return name + "-tokenizer.json";
        }
    }

    /** LangChain4j's in-process model (tokenising, long texts, pooling) over a session of our own options. */
    private static final class Model extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        Model(OnnxBertBiEncoder encoder, int dimensions, Executor executor) {
            super(executor);
            this.encoder = encoder;
            this.dimension = dimensions;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }
    }
}
