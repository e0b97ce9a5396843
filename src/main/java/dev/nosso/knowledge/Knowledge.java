package dev.nosso.knowledge;

import dev.nosso.platform.NotFound;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What other packages ask of a user's files: which files a search or a grounded turn may read. */
@Service
public class Knowledge {

    private final FileRepository files;
    private final CollectionRepository collections;

    Knowledge(FileRepository files, CollectionRepository collections) {
        this.files = files;
        this.collections = collections;
    }

    /**
     * The owner's files named directly or through their collections, each once. An id that is not the owner's
     * (unknown, or someone else's) is a 404 {@code collection-not-found} or {@code file-not-found}, the same
     * answer for both cases. Both lists may be null or empty; then so is the answer.
     */
    @Transactional(readOnly = true)
    public List<UUID> fileIdsOf(UUID owner, List<UUID> collectionIds, List<UUID> fileIds) {
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

    /** The files attached to the owner's chat (none for a chat that is not theirs). */
    @Transactional(readOnly = true)
    public List<UUID> fileIdsOfChat(UUID owner, UUID chatId) {
        return files.inChat(owner, chatId).stream().map(StoredFile::id).toList();
    }
}
