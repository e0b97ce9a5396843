package dev.nosso.retrieval;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Retrieval's settings ({@code nosso.retrieval.*}).
 *
 * @param embeddingModel  the in-process model: {@code bge-small-en-v15-q} or {@code all-minilm-l6-v2}
 * @param embeddingBatch  texts per call to the model
 * @param chunkTokens     largest chunk, in tokens
 * @param overlapTokens   tokens a chunk repeats from the one before it
 * @param candidates      how many each list (keyword, vector) brings to a hybrid search
 * @param rrfK            the rank offset of reciprocal rank fusion
 * @param vectorWeight    weight of the vector list in the fusion
 * @param keywordWeight   weight of the keyword list in the fusion
 * @param maxK            most passages one search returns
 * @param efSearch        pgvector HNSW search breadth ({@code hnsw.ef_search})
 */
@ConfigurationProperties("nosso.retrieval")
@Validated
record RetrievalSettings(@NotBlank String embeddingModel, @Positive @Max(256) int embeddingBatch,
                         @Min(16) int chunkTokens, @Min(0) int overlapTokens, @Positive @Max(1000) int candidates,
                         @Positive int rrfK, @DecimalMin("0") double vectorWeight, @DecimalMin("0") double keywordWeight,
                         @Positive @Max(200) int maxK, @Positive @Max(1000) int efSearch) {
}
