package dev.nosso.knowledge;

import dev.nosso.platform.Ids;
import dev.nosso.platform.Limits;
import dev.nosso.platform.NotFound;
import dev.nosso.platform.Problems;
import dev.nosso.platform.Texts;
import dev.nosso.platform.Writes;
import dev.nosso.platform.jobs.Jobs;
import dev.nosso.retrieval.Indexer;
import dev.nosso.retrieval.SourceKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A user's uploaded files. An upload stores the bytes, then commits the file's row and its ingestion job in
 * one transaction, so a file is never left without the job that reads it. The same bytes uploaded again by
 * the same user give back the file already there.
 */
@Service
class Uploads {

    static final String INGEST = "ingest-file";

    private final FileRepository files;
    private final CollectionRepository collections;
    private final FileStore store;
    private final FileTypes types;
    private final Jobs jobs;
    private final Indexer indexer;
    private final Writes writes;
    private final KnowledgeSettings settings;
    private final Limits limits;
    private final Clock clock;

    Uploads(FileRepository files, CollectionRepository collections, FileStore store, FileTypes types, Jobs jobs,
            Indexer indexer, Writes writes, KnowledgeSettings settings, Limits limits, Clock clock) {
        this.files = files;
        this.collections = collections;
        this.store = store;
        this.types = types;
        this.jobs = jobs;
        this.indexer = indexer;
        this.writes = writes;
        this.settings = settings;
        this.limits = limits;
        this.clock = clock;
    }

    /** The stored file, and whether this upload created it (false: the same bytes were there already). */
    record Upload(StoredFile file, boolean created) {
    }

    Upload upload(UUID owner, String name, InputStream content, UUID collectionId, UUID chatId) {
        String fileName = checkName(name);
        FileStore.Received received;
        try {
            received = store.receive(content, settings.maxFileBytes());
        } catch (FileStore.TooLarge e) {
            throw tooLarge();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot receive an upload", e);
        }
        try {
            if (received.size() == 0) {
                throw Problems.exception(HttpStatus.UNPROCESSABLE_CONTENT, "empty-file", "The file is empty.");
            }
            String mediaType = types.detect(received.temp(), fileName);
            store.place(received);
            Upload upload = save(owner, fileName, mediaType, received, collectionId, chatId);
            if (!Files.exists(store.path(FileStore.keyOf(received.sha256())))) {
                store.place(received); // deleted meanwhile by the removal of another user's copy
            }
            return upload;
        } finally {
            store.discard(received);
        }
    }

    private Upload save(UUID owner, String name, String mediaType, FileStore.Received received, UUID collectionId,
                        UUID chatId) {
        try {
            return writes.run(() -> insertOrFind(owner, name, mediaType, received, collectionId, chatId));
        } catch (DuplicateKeyException raced) {
            // The same user uploaded the same bytes at the same moment: theirs won, and is this one too.
            return writes.run(() -> insertOrFind(owner, name, mediaType, received, collectionId, chatId));
        }
    }

    // Every refusal comes before the first write, as Writes asks.
    private Upload insertOrFind(UUID owner, String name, String mediaType, FileStore.Received received,
                                UUID collectionId, UUID chatId) {
        if (collectionId != null && collections.find(owner, collectionId).isEmpty()) {
            throw new NotFound("collection");
        }
        if (chatId != null && !files.ownsChat(owner, chatId)) {
            throw new NotFound("chat");
        }
        Instant now = clock.instant();
        var existing = files.findBySha256(owner, received.sha256());
        StoredFile file;
        boolean created = existing.isEmpty();
        if (existing.isPresent()) {
            file = existing.get();
        } else {
            UUID id = Ids.next();
            UUID jobId = jobs.enqueue(owner, INGEST, "{\"fileId\":\"" + id + "\"}");
            file = new StoredFile(id, name, mediaType, received.size(), received.sha256(), FileStatus.PENDING, null,
                    jobId, chatId, now, now, FileStore.keyOf(received.sha256()));
            files.insert(owner, file, now);
        }
        if (collectionId != null) {
            collections.addFiles(owner, collectionId, List.of(file.id()), now);
        }
        if (chatId != null) {
            files.attach(owner, chatId, List.of(file.id()), now);
        }
        return new Upload(files.find(owner, file.id()).orElseThrow(), created);
    }

    @Transactional(readOnly = true)
    FilePage list(UUID owner, String cursor, Integer limit) {
        int size = limits.pageSize(limit, 50);
        UUID after = cursor == null || cursor.isBlank() ? null : parseCursor(cursor);
        List<StoredFile> page = files.page(owner, after, size + 1);
        boolean more = page.size() > size;
        List<StoredFile> items = more ? page.subList(0, size) : page;
        return new FilePage(List.copyOf(items), more ? items.getLast().id().toString() : null);
    }

    @Transactional(readOnly = true)
    StoredFile get(UUID owner, UUID id) {
        return files.find(owner, id).orElseThrow(() -> new NotFound("file"));
    }

    /** Deletes the file, its chunks and its collection memberships; its bytes too when no other file has them. */
    void delete(UUID owner, UUID id) {
        StoredFile file = writes.run(() -> {
            StoredFile found = files.find(owner, id).orElseThrow(() -> new NotFound("file"));
            files.delete(owner, id);
            indexer.forget(owner, SourceKind.FILE, id);
            return found;
        });
        if (!referenced(file.storageKey())) {
            store.delete(file.storageKey());
        }
    }

    @Transactional(readOnly = true)
    boolean referenced(String storageKey) {
        return files.referenced(storageKey);
    }

    private String checkName(String name) {
        String stripped = name == null ? "" : name.strip();
        // Browsers on some systems send the whole path; only its last part is the name.
        stripped = stripped.substring(Math.max(stripped.lastIndexOf('/'), stripped.lastIndexOf('\\')) + 1);
        if (stripped.isEmpty()) {
            stripped = "upload";
        }
        Texts.storable("name", stripped);
        return stripped.length() > 255 ? stripped.substring(0, 255) : stripped;
    }

    private static UUID parseCursor(String cursor) {
        try {
            return UUID.fromString(cursor);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is not one this server handed out.");
        }
    }

    RuntimeException tooLarge() {
        return Problems.exception(HttpStatus.CONTENT_TOO_LARGE, "file-too-large",
                "The file is larger than the limit of " + settings.maxFileBytes() + " bytes.");
    }
}
