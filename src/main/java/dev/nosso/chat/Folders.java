package dev.nosso.chat;

import dev.nosso.platform.Ids;
import dev.nosso.platform.Limits;
import dev.nosso.platform.Texts;
import dev.nosso.platform.NotFound;
import dev.nosso.platform.Problems;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A user's folders of chats. */
@Service
class Folders {

    private final FolderRepository folders;
    private final Limits limits;
    private final Clock clock;

    Folders(FolderRepository folders, Limits limits, Clock clock) {
        this.folders = folders;
        this.limits = limits;
        this.clock = clock;
    }

    @Transactional
    Folder create(UUID owner, String name) {
        UUID id = Ids.next();
        folders.insert(owner, id, checkName(name), clock.instant());
        return folders.find(owner, id).orElseThrow();
    }

    @Transactional(readOnly = true)
    List<Folder> list(UUID owner) {
        return folders.list(owner);
    }

    @Transactional(readOnly = true)
    Folder get(UUID owner, UUID id) {
        return folders.find(owner, id).orElseThrow(() -> new NotFound("folder"));
    }

    @Transactional
    Folder rename(UUID owner, UUID id, String name) {
        if (!folders.rename(owner, id, checkName(name), clock.instant())) {
            throw new NotFound("folder");
        }
        return get(owner, id);
    }

    /** Deletes the folder; its chats stay, outside any folder (the foreign key sets them free). */
    @Transactional
    void delete(UUID owner, UUID id) {
        if (!folders.delete(owner, id)) {
            throw new NotFound("folder");
        }
    }

    private String checkName(String name) {
        Texts.storable("name", name);
        if (name == null || name.isBlank()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation", "name must not be blank.");
        }
        if (name.length() > limits.maxTitleChars()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "title-too-long",
                    "name has " + name.length() + " characters; the limit is " + limits.maxTitleChars() + ".");
        }
        return name.strip();
    }
}
