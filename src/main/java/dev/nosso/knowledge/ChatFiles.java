package dev.nosso.knowledge;

import dev.nosso.platform.NotFound;
import dev.nosso.platform.OwnerCaches;
import dev.nosso.platform.Writes;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Files attached to one chat, as a user attaches a file to a message: every turn of that chat searches
 * them. Detaching keeps the file; deleting the chat or the file detaches it.
 */
@Service
class ChatFiles {

    private final FileRepository files;
    private final Writes writes;
    private final Clock clock;
    private final OwnerCaches caches;

    ChatFiles(FileRepository files, Writes writes, Clock clock, OwnerCaches caches) {
        this.caches = caches;
        this.files = files;
        this.writes = writes;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    List<StoredFile> list(UUID owner, UUID chatId) {
        if (!files.ownsChat(owner, chatId)) {
            throw new NotFound("chat");
        }
        return files.inChat(owner, chatId);
    }

    List<StoredFile> attach(UUID owner, UUID chatId, List<UUID> fileIds) {
        List<UUID> distinct = FileCollections.distinctFileIds(fileIds);
        writes.run(() -> {
            if (!files.ownsChat(owner, chatId)) {
                throw new NotFound("chat");
            }
            if (files.owned(owner, distinct).size() != distinct.size()) {
                throw new NotFound("file");
            }
            files.attach(owner, chatId, distinct, clock.instant());
            caches.changed(owner); // the chat's files in memory (Knowledge) lack them
            return null;
        });
        return list(owner, chatId);
    }

    void detach(UUID owner, UUID chatId, UUID fileId) {
        writes.run(() -> {
            if (!files.ownsChat(owner, chatId)) {
                throw new NotFound("chat");
            }
            if (!files.detach(owner, chatId, fileId)) {
                throw new NotFound("file");
            }
            caches.changed(owner); // the chat's files in memory (Knowledge) still name it
            return null;
        });
    }
}
