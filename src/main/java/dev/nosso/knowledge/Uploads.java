package dev.nosso.knowledge;

import dev.nosso.identity.Quotas;
import dev.nosso.platform.Ids;
import dev.nosso.platform.Limits;
import dev.nosso.platform.NotFound;
import dev.nosso.platform.OwnerCaches;
import dev.nosso.platform.Problems;
import dev.nosso.platform.Texts;
import dev.nosso.platform.Writes;
import dev.nosso.knowledge.storage.BytesMissing;
import dev.nosso.knowledge.storage.FileStore;
import dev.nosso.knowledge.storage.Spool;
import dev.nosso.platform.jobs.Jobs;
import dev.nosso.platform.jobs.Urgency;
import dev.nosso.retrieval.Indexer;
import dev.nosso.retrieval.SourceKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A user's uploaded files. An upload is received into the spool and hashed, its bytes stored in the file
 * store, then the file's row and its ingestion job are committed in one transaction, so a file is never left
 * without the job that reads it. The same bytes uploaded again by the same user give back the file already
 * there.
 */
@Service
class Uploads {

    static final String INGEST = "ingest-file";

    private static final Logger log = LoggerFactory.getLogger(Uploads.class);

    private final FileRepository files;
    private final CollectionRepository collections;
    private final FileStore store;
    private final Spool spool;
    private final FileTypes types;
    private final Jobs jobs;
    private final Indexer indexer;
    private final Writes writes;
    private final KnowledgeSettings settings;
    private final Limits limits;
    private final Clock clock;
    private final OwnerCaches caches;
    private final Quotas quotas;
    private final Images images;

    Uploads(FileRepository files, CollectionRepository collections, FileStore store, Spool spool, FileTypes types,
            Jobs jobs, Indexer indexer, Writes writes, KnowledgeSettings settings, Limits limits, Clock clock,
            OwnerCaches caches, Quotas quotas, Images images) {
        this.images = images;
        this.caches = caches;
        this.quotas = quotas;
        this.files = files;
        this.collections = collections;
        this.store = store;
        this.spool = spool;
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
        String fileName = Texts.fileName(name, "upload");
        Spool.Received received;
        try {
            received = spool.receive(content, settings.maxFileBytes());
        } catch (Spool.TooLarge e) {
            throw tooLarge();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot receive an upload", e);
        }
        try {
            if (received.size() == 0) {
                throw Problems.exception(HttpStatus.UNPROCESSABLE_CONTENT, "empty-file", "The file is empty.");
            }
            if (Images.isImage(types.magic(received.temp()))) {
                return uploadImage(owner, fileName, received, collectionId, chatId);
            }
            String mediaType = types.detect(received.temp(), fileName);
            return stored(owner, fileName, mediaType, received, collectionId, chatId, false);
        } finally {
            spool.discard(received);
        }
    }

    /**
     * An image, for vision models: stored as {@link Images} encodes it again (so its bytes, size and hash are
     * those of the clean copy), ready at once, since it has no text to index.
     */
    private Upload uploadImage(UUID owner, String name, Spool.Received received, UUID collectionId, UUID chatId) {
        if (received.size() > images.settings().maxBytes()) {
            throw Problems.exception(HttpStatus.CONTENT_TOO_LARGE, "image-too-large",
                    "The image is larger than the limit of " + images.settings().maxBytes() + " bytes.");
        }
        Images.Encoded encoded;
        try (InputStream in = java.nio.file.Files.newInputStream(received.temp())) {
            encoded = images.reencode(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read an upload", e);
        }
        Spool.Received clean;
        try {
            clean = spool.receive(new java.io.ByteArrayInputStream(encoded.bytes()), Long.MAX_VALUE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot spool an image", e);
        }
        try {
            return stored(owner, withExtension(name, encoded.mediaType()), encoded.mediaType(), clean, collectionId,
                    chatId, true);
        } finally {
            spool.discard(clean);
        }
    }

    private static String withExtension(String name, String mediaType) {
        String extension = mediaType.equals("image/png") ? ".png" : ".jpg";
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return stem + extension;
    }

    private Upload stored(UUID owner, String fileName, String mediaType, Spool.Received received, UUID collectionId,
                          UUID chatId, boolean image) {
        String key = FileStore.keyOf(received.sha256());
        try {
            store.put(key, received.temp());
            Upload upload = save(owner, fileName, mediaType, received, collectionId, chatId, image);
            if (!store.has(key)) {
                store.put(key, received.temp()); // deleted meanwhile by the removal of another user's copy
            }
            return upload;
        } catch (IOException e) {
            throw storeUnavailable("store an upload", e);
        }
    }

    /**
     * The file's bytes, opened before anything of the answer is sent: 404 {@code file-bytes-missing} when the
     * store has none, 503 {@code file-store-unavailable} when it cannot be reached.
     */
    InputStream content(StoredFile file) {
        try {
            return store.open(file.storageKey());
        } catch (BytesMissing e) {
            log.warn("File {}: {}", file.id(), e.getMessage());
            throw Problems.exception(HttpStatus.NOT_FOUND, "file-bytes-missing",
                    "This file's bytes are missing from the server's file store; upload it again.");
        } catch (IOException e) {
            throw storeUnavailable("read file " + file.id(), e);
        }
    }

    private RuntimeException storeUnavailable(String what, IOException e) {
        log.warn("Could not {}: {}", what, e.getMessage());
        return Problems.exception(HttpStatus.SERVICE_UNAVAILABLE, "file-store-unavailable",
                "The server's file store cannot be reached; try again later.");
    }

    private Upload save(UUID owner, String name, String mediaType, Spool.Received received, UUID collectionId,
                        UUID chatId, boolean image) {
        try {
            return writes.run(() -> insertOrFind(owner, name, mediaType, received, collectionId, chatId, image));
        } catch (DuplicateKeyException raced) {
            // The same user uploaded the same bytes at the same moment: theirs won, and is this one too.
            return writes.run(() -> insertOrFind(owner, name, mediaType, received, collectionId, chatId, image));
        }
    }

    // Every refusal comes before the first write, as Writes asks.
    private Upload insertOrFind(UUID owner, String name, String mediaType, Spool.Received received,
                                UUID collectionId, UUID chatId, boolean image) {
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
            // Only new bytes count: the same file again costs nothing. Counted in the write, so that on SQLite
            // (one writer) uploads at the same moment cannot all pass the count.
            FileRepository.Uploaded today = files.uploadedSince(owner, now.minus(Quotas.DAY));
            quotas.checkUpload(received.size(), today.bytes(), today.oldest());
            UUID id = Ids.next();
            // Interactive: the person who uploaded it waits for it, ahead of anyone's background indexing. An
            // image has no text to index: it is ready as it is stored.
            UUID jobId = image ? null
                    : jobs.enqueue(owner, INGEST, "{\"fileId\":\"" + id + "\"}", Urgency.INTERACTIVE);
            file = new StoredFile(id, name, mediaType, received.size(), received.sha256(),
                    image ? FileStatus.READY : FileStatus.PENDING, null,
                    jobId, chatId, now, now, FileStore.keyOf(received.sha256()));
            files.insert(owner, file, now);
        }
        if (collectionId != null) {
            collections.addFiles(owner, collectionId, List.of(file.id()), now);
        }
        if (chatId != null) {
            files.attach(owner, chatId, List.of(file.id()), now);
            caches.changed(owner); // the chat's files in memory (Knowledge) lack it
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
            try {
                store.delete(file.storageKey());
            } catch (IOException e) {
                // The file is gone for its owner already; its bytes stay behind as an orphan, harmless but for space.
                log.warn("File {} deleted, but its bytes could not be removed from the {} store: {}", id, store.name(),
                        e.getMessage());
            }
        }
    }

    @Transactional(readOnly = true)
    boolean referenced(String storageKey) {
        return files.referenced(storageKey);
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
