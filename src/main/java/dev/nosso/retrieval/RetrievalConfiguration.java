package dev.nosso.retrieval;

import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The embedding model (loaded on first use), the chunker and SQLite's in-memory vector index. */
@Configuration(proxyBeanMethods = false)
class RetrievalConfiguration {

    @Bean
    Embedder embedder(RetrievalSettings settings, @Value("${nosso.data-dir}") Path dataDir) {
        return OnnxEmbedder.named(settings.embeddingModel(), dataDir);
    }

    @Bean
    Chunker chunker(RetrievalSettings settings) {
        return new Chunker(settings.chunkTokens(), settings.overlapTokens());
    }

    @Bean
    MemoryVectorIndex memoryVectorIndex() {
        return new MemoryVectorIndex();
    }
}
