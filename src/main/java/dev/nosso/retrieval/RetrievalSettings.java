package dev.nosso.retrieval;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Retrieval's settings ({@code nosso.retrieval.*}).
 *
 * @param embeddingProvider   where vectors come from: {@code onnx} (in-process, the default), {@code ollama}
 *                            or {@code openai} (any OpenAI-compatible server)
 * @param embeddingModel      the model: for onnx {@code bge-small-en-v15-q} or {@code all-minilm-l6-v2}; for
 *                            the others the name the server knows
 * @param embeddingUrl        the server's base URL; blank for the chat connection's ({@code nosso.ollama.url}
 *                            or {@code nosso.openai.base-url})
 * @param embeddingApiKey     the OpenAI-compatible server's key; blank for {@code nosso.openai.api-key}
 * @param embeddingDimensions the remote model's vector length; 0 to learn it from the model's first answer
 * @param embeddingTimeout    for one batch from a remote model
 * @param queryPrefix         put before each search query for a remote model (e.g. {@code search_query: })
 * @param passagePrefix       put before each stored passage for a remote model (e.g. {@code search_document: })
 * @param embeddingBatch      texts per call to the model
 * @param chunkTokens         largest chunk, in tokens
 * @param overlapTokens       tokens a chunk repeats from the one before it
 * @param candidates          how many each list (keyword, vector) brings to a hybrid search
 * @param rrfK                the rank offset of reciprocal rank fusion
 * @param vectorWeight        weight of the vector list in the fusion
 * @param keywordWeight       weight of the keyword list in the fusion
 * @param maxK                most passages one search returns
 * @param efSearch            pgvector HNSW search breadth ({@code hnsw.ef_search})
 * @param keywordIndex        {@code memory}: keyword search on an in-process Lucene index kept in step with
 *                            the table (the default); {@code database}: FTS5 or {@code tsvector} alone
 * @param keywordIndexInlineLoad an owner with at most this many chunks is loaded into the keyword index during
 *                            their first search; a larger one in the background, the database answering meanwhile
 * @param vectorMemoryMb      SQLite: at most this much memory for the vectors held for search, across owners
 *                            (about 1.6 KB per chunk of 384 dimensions); beyond it the owners searched least
 *                            recently are let go until their next search. 0: a quarter of the JVM's heap
 */
@ConfigurationProperties("nosso.retrieval")
@Validated
record RetrievalSettings(@NotBlank String embeddingProvider, @NotBlank String embeddingModel, String embeddingUrl,
                         String embeddingApiKey, @Min(0) @Max(4000) int embeddingDimensions,
                         @NotNull Duration embeddingTimeout, String queryPrefix, String passagePrefix,
                         @Positive @Max(256) int embeddingBatch,
                         @Min(16) int chunkTokens, @Min(0) int overlapTokens, @Positive @Max(1000) int candidates,
                         @Positive int rrfK, @DecimalMin("0") double vectorWeight, @DecimalMin("0") double keywordWeight,
                         @Positive @Max(200) int maxK, @Positive @Max(1000) int efSearch,
                         @NotBlank @Pattern(regexp = "memory|database") String keywordIndex,
                         @Min(0) int keywordIndexInlineLoad, @Min(0) int vectorMemoryMb) {
}
