package dev.nosso.retrieval;

import dev.nosso.platform.Writes;
import dev.nosso.platform.jobs.JobHandler;
import dev.nosso.platform.jobs.Jobs;
import dev.nosso.platform.jobs.RunningJob;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * After the embedding model changes, re-embeds every stored chunk with the new one, as a durable system job
 * queued at start-up ({@link Queue}). Chunks keep their text and place (chunking does not depend on the model); only the
 * vector and the model id change, a batch at a time, so a restart simply goes on with what is left. Search
 * compares only vectors of the current model, so until a chunk is re-embedded it is found by keyword only.
 */
@Component
class Reembedding implements JobHandler {

    static final String KIND = "reembed-chunks";

    private static final Logger log = LoggerFactory.getLogger(Reembedding.class);

    private final ChunkRepository chunks;
    private final Embedder embedder;
    private final Writes writes;
    private final VectorSearch vectorSearch;
    private final VectorIndexes vectorIndexes;
    private final RetrievalSettings settings;

    Reembedding(ChunkRepository chunks, Embedder embedder, Writes writes, VectorSearch vectorSearch,
                VectorIndexes vectorIndexes, RetrievalSettings settings) {
        this.chunks = chunks;
        this.embedder = embedder;
        this.writes = writes;
        this.vectorSearch = vectorSearch;
        this.vectorIndexes = vectorIndexes;
        this.settings = settings;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void run(RunningJob job) {
        String model = embedder.modelId();
        int total = (int) Math.min(Integer.MAX_VALUE, chunks.countOtherModel(model));
        int done = 0;
        job.progress(0, total);
        for (UUID owner : chunks.ownersWithOtherModel(model)) {
            List<ChunkRepository.Stale> batch;
            while (!(batch = chunks.otherModel(owner, model, settings.embeddingBatch())).isEmpty()) {
                List<float[]> vectors = embedder.embed(batch.stream()
                        .map(c -> Indexer.embeddedText(c.headingPath(), c.text())).toList());
                vectorIndexes.ensure(model, vectors.getFirst().length);
                List<ChunkRepository.Stale> written = batch;
                writes.run(() -> {
                    for (int i = 0; i < written.size(); i++) {
                        chunks.reembed(owner, written.get(i).id(), model, vectors.get(i));
                    }
                    return null;
                });
                vectorSearch.forget(owner);
                done += batch.size();
                job.progress(Math.min(done, total), Math.max(done, total));
            }
        }
        log.info("Re-embedded {} chunks with {}", done, model);
    }

    /** Queues the job at start-up when some chunk was embedded by another model than the current one. */
    @Component
    static class Queue {

        private final ChunkRepository chunks;
        private final Embedder embedder;
        private final Jobs jobs;
        private final VectorIndexes vectorIndexes;

        Queue(ChunkRepository chunks, Embedder embedder, Jobs jobs, VectorIndexes vectorIndexes) {
            this.chunks = chunks;
            this.vectorIndexes = vectorIndexes;
            this.embedder = embedder;
            this.jobs = jobs;
        }

        @EventListener(ApplicationReadyEvent.class)
        void ifTheModelChanged() {
            vectorIndexes.dropAllBut(embedder.modelId());
            if (chunks.anyOtherModel(embedder.modelId()) && jobs.enqueueUnlessUnfinished(KIND, "{}")) {
                log.info("Some chunks were embedded by another model than {}: re-embedding them in the background",
                        embedder.modelId());
            }
        }
    }
}
