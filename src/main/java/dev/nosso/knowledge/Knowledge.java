package dev.nosso.knowledge;

import dev.nosso.platform.CacheSettings;
import dev.nosso.platform.NotFound;
import dev.nosso.platform.OwnerCaches;
import dev.nosso.platform.OwnerCaches.OwnerCache;
import dev.nosso.platform.Reads;
import dev.nosso.retrieval.Scope;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What other packages ask of a user's files: which files a search or a grounded answer may read. The one
 * place where named collections and files become the scope of a search.
 */
@Service
public class Knowledge {

    private final FileRepository files;
    private final CollectionRepository collections;
    private final Reads reads;
    private final OwnerCache<UUID, List<UUID>> chatFiles;

    Knowledge(FileRepository files, CollectionRepository collections, Reads reads, OwnerCaches caches,
              CacheSettings settings) {
        this.files = files;
        this.collections = collections;
        this.reads = reads;
        this.chatFiles = caches.create("chats.files", settings.chats());
    }

    /**
     * The owner's files named directly or through their collections, each once. An id that is not the owner's
     * (unknown, or someone else's) is a 404 {@code collection-not-found} or {@code file-not-found}, the same
     * answer for both cases. Both lists may be null or empty; then so is the answer.
     */
    @Transactional(readOnly = true)
    List<UUID> fileIdsOf(UUID owner, List<UUID> collectionIds, List<UUID> fileIds) {
        Set<UUID> result = new LinkedHashSet<>();
        if (collectionIds != null && !collectionIds.isEmpty()) {
            Set<UUID> wanted = new HashSet<>(collectionIds);
            if (collections.owned(owner, wanted).size() != wanted.size()) {
                throw new NotFound("collection");
            }
            result.addAll(files.idsInCollections(owner, wanted));
        }
        if (fileIds != null && !fileIds.isEmpty()) {
            Set<UUID> wanted = new HashSet<>(fileIds);
            if (files.owned(owner, wanted).size() != wanted.size()) {
                throw new NotFound("file");
            }
            result.addAll(fileIds);
        }
        return List.copyOf(result);
    }

    /**
     * What a search sees of the owner's chunks: the files named directly or through their collections (404
     * for an id that is not theirs, as in {@link #fileIdsOf}), every file when neither list is given; and,
     * with {@code memory}, their past messages.
     */
    @Transactional(readOnly = true)
    public Scope searchScope(UUID owner, List<UUID> collectionIds, List<UUID> fileIds, boolean memory) {
        boolean named = collectionIds != null || fileIds != null;
        return new Scope(true, named ? fileIdsOf(owner, collectionIds, fileIds) : null, memory, null);
    }

    /**
     * What an answer is grounded on: the files attached to the chat (none when {@code chatId} is null) and the
     * files named directly or through their collections (404 for an id that is not the owner's), no file when
     * there are none; and, with {@code memory}, the owner's past messages. On a turn's path: the files attached
     * to a chat are kept in memory ({@code nosso.cache.chats}, cleared when a file is attached to or detached
     * from any of the owner's chats; a deleted file left in the list finds nothing), and what is read is read
     * as {@link Reads} reads, one round trip to PostgreSQL per statement.
     */
    public Scope groundingScope(UUID owner, UUID chatId, List<UUID> collectionIds, List<UUID> fileIds,
                                boolean memory) {
        Set<UUID> ids = new LinkedHashSet<>();
        if (chatId != null) {
            ids.addAll(chatFiles.get(owner, chatId, () -> reads.run(() -> files.inChat(owner, chatId).stream()
                    .map(StoredFile::id).toList()))); // none for a chat not theirs
        }
        if (collectionIds != null || fileIds != null) {
            ids.addAll(reads.run(() -> fileIdsOf(owner, collectionIds, fileIds)));
        }
        return new Scope(true, List.copyOf(ids), memory, null);
    }
}
