package dev.nosso.retrieval;

import dev.nosso.platform.Dialect;
import dev.nosso.platform.Reads;
import dev.nosso.platform.SessionSetting;
import dev.nosso.provider.RemoteEmbeddings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The embedding model (in-process ones load on first use), the chunker, and the two searches behind
 * {@link Retrieval}, each chosen here once: by meaning as the database allows, by words as configured.
 */
@Configuration(proxyBeanMethods = false)
class RetrievalConfiguration {

    @Bean
    Embedder embedder(RetrievalSettings settings, @Value("${nosso.data-dir}") Path dataDir,
                      @Value("${nosso.ollama.url:}") String ollamaUrl,
                      @Value("${nosso.openai.base-url:}") String openAiUrl,
                      @Value("${nosso.openai.api-key:}") String openAiKey,
                      @Value("${nosso.models.connect-timeout:3s}") Duration connectTimeout) {
        String provider = settings.embeddingProvider().trim().toLowerCase(Locale.ROOT);
        if (provider.equals("onnx")) {
            return OnnxEmbedder.named(settings.embeddingModel(), dataDir);
        }
        RemoteEmbeddings.Protocol protocol = switch (provider) {
            case "ollama" -> RemoteEmbeddings.Protocol.OLLAMA;
            case "openai" -> RemoteEmbeddings.Protocol.OPENAI;
            default -> throw new IllegalArgumentException("nosso.retrieval.embedding-provider (NOSSO_EMBEDDING_PROVIDER) "
                    + "must be onnx, ollama or openai, got " + settings.embeddingProvider());
        };
        if (OnnxEmbedder.NAMES.contains(settings.embeddingModel())) {
            throw new IllegalArgumentException("NOSSO_EMBEDDING_MODEL must name the " + provider + " server's "
                    + "embedding model (e.g. nomic-embed-text), not the in-process " + settings.embeddingModel());
        }
        String url = blankTo(settings.embeddingUrl(), protocol == RemoteEmbeddings.Protocol.OLLAMA ? ollamaUrl : openAiUrl);
        if (url.isBlank()) {
            throw new IllegalArgumentException("NOSSO_EMBEDDING_URL must give the " + provider
                    + " server's address (or set " + (protocol == RemoteEmbeddings.Protocol.OLLAMA
                    ? "NOSSO_OLLAMA_URL" : "NOSSO_OPENAI_BASE_URL") + ")");
        }
        String key = protocol == RemoteEmbeddings.Protocol.OPENAI ? blankTo(settings.embeddingApiKey(), openAiKey)
                : settings.embeddingApiKey();
        var client = new RemoteEmbeddings(protocol, URI.create(url.trim()), key, settings.embeddingModel(),
                connectTimeout, settings.embeddingTimeout());
        return new RemoteEmbedder(provider + ":" + settings.embeddingModel(), client, settings.embeddingDimensions(),
                settings.queryPrefix(), settings.passagePrefix());
    }

    private static String blankTo(String value, String fallback) {
        return value == null || value.isBlank() ? (fallback == null ? "" : fallback) : value;
    }

    @Bean
    Chunker chunker(RetrievalSettings settings) {
        return new Chunker(settings.chunkTokens(), settings.overlapTokens());
    }

    /**
     * Search by meaning: pgvector's HNSW index on PostgreSQL; on SQLite the owners' vectors held in memory,
     * bounded by the setting or, when it is 0, a quarter of the heap.
     */
    @Bean
    VectorSearch vectorSearch(Dialect dialect, RetrievalSettings settings, JdbcClient jdbc, VectorIndexes indexes,
                              ChunkRepository chunks) {
        return switch (dialect) {
            case POSTGRESQL -> new PgVectorSearch(jdbc, indexes);
            case SQLITE -> new MemoryVectorSearch(new MemoryVectorIndex(settings.vectorMemoryMb() > 0
                    ? settings.vectorMemoryMb() * 1024L * 1024L : Runtime.getRuntime().maxMemory() / 4), chunks);
        };
    }

    /**
     * Search by words: the in-process Lucene index, the database's full-text search answering for an owner it
     * is still loading; or, with {@code keyword-index: database}, the database's alone.
     */
    @Bean
    KeywordSearch keywordSearch(RetrievalSettings settings, JdbcClient jdbc, Dialect dialect, Reads reads,
                                ChunkRepository chunks, ChunkVersions versions,
                                PlatformTransactionManager transactions) {
        FullTextSearch database = new FullTextSearch(jdbc, dialect, reads);
        return "memory".equals(settings.keywordIndex())
                ? new KeywordIndex(chunks, versions, transactions, settings, reads, database) : database;
    }

    /**
     * PostgreSQL: how far the HNSW search looks, at least as far as the longest list a search asks for (with
     * iterative scans it walks on when filters leave fewer rows), set once on every connection.
     */
    @Bean
    static SessionSetting hnswSearchBreadth(RetrievalSettings settings) {
        int breadth = Math.max(settings.efSearch(), Math.max(settings.maxK(), settings.candidates()));
        return new SessionSetting("hnsw.ef_search", Integer.toString(breadth));
    }

    /**
     * PostgreSQL: iterative scans, so that the owner and scope filters inside the query still give k rows when
     * the graph's nearest rows are other owners' (pgvector 0.8).
     */
    @Bean
    static SessionSetting hnswIterativeScan() {
        return new SessionSetting("hnsw.iterative_scan", "relaxed_order");
    }
}
