package dev.nosso.transfer;

import dev.nosso.knowledge.storage.BytesMissing;
import dev.nosso.knowledge.storage.FileStore;
import dev.nosso.knowledge.storage.Spool;
import dev.nosso.platform.Writes;
import dev.nosso.platform.jobs.JobFailure;
import dev.nosso.platform.jobs.JobHandler;
import dev.nosso.platform.jobs.RunningJob;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code import-chats} job: reads an uploaded export a conversation at a time and writes each whole
 * ({@link Importer}), with progress in KiB of the file read and the report kept up to date in the import's
 * row. Safe to run again, after a crash or a shutdown: what an earlier attempt committed is found and counted
 * as this import's. A file that cannot be read to its end fails the import with the reason; the conversations
 * committed before stay, and the same file imported again adds only the rest. The bytes are removed from the
 * store once the import has ended, either way.
 */
@Component
class RunImport implements JobHandler {

    private static final Logger log = LoggerFactory.getLogger(RunImport.class);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(2);

    private final ImportRepository imports;
    private final ConversationFile file;
    // Lazily: the importer reaches the job queue (memory queues jobs), which gathers its handlers, this one
    // included, when it is built.
    private final ObjectProvider<Importer> importer;
    private final FileStore store;
    private final Spool spool;
    private final Writes writes;
    private final Clock clock;
    private final JsonMapper json;

    RunImport(ImportRepository imports, ConversationFile file, ObjectProvider<Importer> importer, FileStore store, Spool spool,
              Writes writes, Clock clock, JsonMapper json) {
        this.imports = imports;
        this.file = file;
        this.importer = importer;
        this.store = store;
        this.spool = spool;
        this.writes = writes;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public String kind() {
        return Imports.KIND;
    }

    @Override
    public void run(RunningJob job) throws Exception {
        UUID owner = job.owner();
        Imports.Payload payload = payload(job);
        Optional<ImportRepository.Row> found = imports.find(owner, payload.importId());
        if (found.isEmpty()) {
            return; // its owner was deleted meanwhile
        }
        ImportRepository.Row row = found.get();
        ImportReport report = new ImportReport();
        save(owner, row.id(), ImportView.Status.RUNNING, report, null);
        Instant[] saved = {clock.instant()};
        try (Spool.Readable bytes = spool.readable(store, row.storageKey(), payload.sha256())) {
            file.read(bytes.path(), row.name(), report, conversation -> {
                if (Thread.currentThread().isInterrupted()) {
                    throw new Stopped(); // a shutdown: the queue hands the job back and it resumes elsewhere
                }
                importer.getObject().write(owner, row.id(), conversation, report);
                if (Duration.between(saved[0], clock.instant()).compareTo(REPORT_EVERY) >= 0) {
                    save(owner, row.id(), ImportView.Status.RUNNING, report, null);
                    saved[0] = clock.instant();
                }
            }, (done, total) -> job.progress((int) (done >> 10), (int) (total >> 10)));
        } catch (BytesMissing e) {
            throw new JobFailure("The uploaded file is gone from the server's file store; upload it again.", e);
        } catch (RuntimeException | IOException e) {
            save(owner, row.id(), ImportView.Status.RUNNING, report, null); // what was committed so far
            throw e;
        }
        save(owner, row.id(), ImportView.Status.DONE, report, null);
        removeBytes(row);
    }

    @Override
    public void failed(RunningJob job, String reason) {
        Imports.Payload payload = payload(job);
        imports.find(job.owner(), payload.importId()).ifPresent(row -> {
            writes.run(() -> {
                imports.update(job.owner(), row.id(), ImportView.Status.FAILED, row.format(), row.report(), reason,
                        clock.instant());
                return null;
            });
            removeBytes(row);
        });
    }

    private void save(UUID owner, UUID id, ImportView.Status status, ImportReport report, String error) {
        String text = json.writeValueAsString(report.view());
        writes.run(() -> {
            imports.update(owner, id, status, report.format(), text, error, clock.instant());
            return null;
        });
    }

    private void removeBytes(ImportRepository.Row row) {
        try {
            store.delete(row.storageKey());
        } catch (IOException e) {
            log.warn("Import {} ended, but its bytes could not be removed from the {} store: {}", row.id(),
                    store.name(), e.getMessage());
        }
    }

    private Imports.Payload payload(RunningJob job) {
        try {
            return json.readValue(job.payload(), Imports.Payload.class);
        } catch (RuntimeException e) {
            throw new JobFailure("The job's payload names no import: " + job.payload());
        }
    }

    /** The worker was interrupted by a shutdown between two conversations, or two batches of one ({@link Importer}). */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped by a shutdown", null, false, false);
        }
    }
}
