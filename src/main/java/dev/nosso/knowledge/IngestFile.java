package dev.nosso.knowledge;

import dev.nosso.knowledge.storage.FileStore;
import dev.nosso.knowledge.storage.Spool;
import dev.nosso.platform.Writes;
import dev.nosso.platform.jobs.JobFailure;
import dev.nosso.platform.jobs.JobHandler;
import dev.nosso.platform.jobs.RunningJob;
import dev.nosso.retrieval.Indexer;
import dev.nosso.retrieval.SourceKind;
import dev.nosso.retrieval.SourceText;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code ingest-file} job: reads a file's text and hands it to {@code retrieval} to chunk, embed and
 * store. The file is {@code processing} meanwhile, then {@code ready}, or {@code failed} with the reason.
 * Running it again (after a crash) replaces the file's chunks, so it is safe to repeat. Bytes that cannot be
 * read are a passing failure, tried again by the queue (and logged by it) up to its limit of attempts.
 */
@Component
class IngestFile implements JobHandler {

    private final FileRepository files;
    private final FileStore store;
    private final Spool spool;
    private final TextExtraction extraction;
    private final Indexer indexer;
    private final Writes writes;
    private final KnowledgeSettings settings;
    private final Clock clock;
    private final JsonMapper json;

    IngestFile(FileRepository files, FileStore store, Spool spool, TextExtraction extraction, Indexer indexer,
               Writes writes, KnowledgeSettings settings, Clock clock, JsonMapper json) {
        this.files = files;
        this.store = store;
        this.spool = spool;
        this.extraction = extraction;
        this.indexer = indexer;
        this.writes = writes;
        this.settings = settings;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public String kind() {
        return Uploads.INGEST;
    }

    @Override
    public void run(RunningJob job) throws Exception {
        UUID owner = job.owner();
        UUID fileId = fileId(job);
        Optional<StoredFile> found = status(owner, fileId, FileStatus.PROCESSING, null);
        if (found.isEmpty()) {
            return; // deleted before its turn came: nothing to do
        }
        StoredFile file = found.get();
        TextExtraction.Extracted extracted;
        // Bytes that cannot be read (missing from this store, or the store out of reach) fail this attempt
        // only: another node may still be storing them, or the store come back, before the last attempt.
        try (Spool.Readable bytes = spool.readable(store, file.storageKey(), file.sha256())) {
            extracted = extraction.extract(bytes.path(), file.mediaType());
        }
        if (extracted.text().isBlank()) {
            throw new JobFailure("No text could be found in this file.");
        }
        indexer.index(new SourceText(owner, SourceKind.FILE, fileId, file.name(), null, extracted.text()),
                job::progress);
        String note = extracted.truncated() ? "Only the first " + settings.maxExtractedChars()
                + " characters of this file's text were indexed." : null;
        if (status(owner, fileId, FileStatus.READY, note).isEmpty()) {
            // Deleted while it was being indexed: the chunks just written belong to nothing.
            indexer.forget(owner, SourceKind.FILE, fileId);
        }
    }

    @Override
    public void failed(RunningJob job, String reason) {
        status(job.owner(), fileId(job), FileStatus.FAILED, reason);
    }

    private Optional<StoredFile> status(UUID owner, UUID fileId, FileStatus status, String error) {
        return writes.run(() -> files.setStatus(owner, fileId, status, error, clock.instant())
                ? files.find(owner, fileId) : Optional.empty());
    }

    private UUID fileId(RunningJob job) {
        try {
            return UUID.fromString(json.readTree(job.payload()).path("fileId").asString());
        } catch (RuntimeException e) {
            throw new JobFailure("The job's payload names no file: " + job.payload());
        }
    }
}
