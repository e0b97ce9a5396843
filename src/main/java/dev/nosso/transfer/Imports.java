package dev.nosso.transfer;

import dev.nosso.knowledge.storage.FileStore;
import dev.nosso.knowledge.storage.Spool;
import dev.nosso.platform.Ids;
import dev.nosso.platform.Limits;
import dev.nosso.platform.NotFound;
import dev.nosso.platform.Problems;
import dev.nosso.platform.Texts;
import dev.nosso.platform.Writes;
import dev.nosso.platform.jobs.Jobs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * A user's imports. The upload is received into the spool, its bytes put in the file store (where every node
 * can read them, after a restart too), then the import's row and its job are committed together; the job
 * ({@link RunImport}) reads the file and removes its bytes when it has ended.
 */
@Service
class Imports {

    static final String KIND = "import-chats";

    private static final Logger log = LoggerFactory.getLogger(Imports.class);

    private final ImportRepository imports;
    private final Spool spool;
    private final FileStore store;
    private final Jobs jobs;
    private final Writes writes;
    private final TransferSettings settings;
    private final Limits limits;
    private final Clock clock;
    private final JsonMapper json;

    Imports(ImportRepository imports, Spool spool, FileStore store, Jobs jobs, Writes writes,
            TransferSettings settings, Limits limits, Clock clock, JsonMapper json) {
        this.imports = imports;
        this.spool = spool;
        this.store = store;
        this.jobs = jobs;
        this.writes = writes;
        this.settings = settings;
        this.limits = limits;
        this.clock = clock;
        this.json = json;
    }

    /** The job's payload: which import, and the hash a copy of its bytes is checked against. */
    record Payload(UUID importId, String sha256) {
    }

    ImportView start(UUID owner, String name, InputStream content) {
        String fileName = Texts.fileName(name, "import");
        Spool.Received received;
        try {
            received = spool.receive(content, settings.maxBytes());
        } catch (Spool.TooLarge e) {
            throw Problems.exception(HttpStatus.CONTENT_TOO_LARGE, "import-too-large",
                    "The file is larger than the limit of " + settings.maxBytes() + " bytes for an import.");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot receive an import", e);
        }
        try {
            if (received.size() == 0) {
                throw Problems.exception(HttpStatus.UNPROCESSABLE_CONTENT, "empty-file", "The file is empty.");
            }
            UUID id = Ids.next();
            String key = "imports/" + id;
            try {
                store.put(key, received.temp());
            } catch (IOException e) {
                log.warn("Could not store import {}: {}", id, e.getMessage());
                throw Problems.exception(HttpStatus.SERVICE_UNAVAILABLE, "file-store-unavailable",
                        "The server's file store cannot be reached; try again later.");
            }
            String payload = json.writeValueAsString(new Payload(id, received.sha256()));
            writes.run(() -> {
                UUID jobId = jobs.enqueue(owner, KIND, payload);
                imports.insert(owner, id, fileName, received.size(), key, jobId, clock.instant());
                return null;
            });
            return get(owner, id);
        } finally {
            spool.discard(received);
        }
    }

    ImportView get(UUID owner, UUID id) {
        return imports.find(owner, id).map(this::view).orElseThrow(() -> new NotFound("import"));
    }

    List<ImportView> list(UUID owner, Integer limit) {
        return imports.page(owner, new UUID(-1L, -1L), limits.pageSize(limit, 20)).stream().map(this::view).toList();
    }

    private ImportView view(ImportRepository.Row row) {
        ImportReport.View report = row.report() == null ? null : json.readValue(row.report(), ImportReport.View.class);
        return new ImportView(row.id(), row.name(), row.size(), row.jobId(), row.status(), row.format(), report,
                row.error(), row.createdAt(), row.updatedAt());
    }
}
