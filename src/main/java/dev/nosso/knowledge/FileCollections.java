package dev.nosso.knowledge;

import dev.nosso.platform.Ids;
import dev.nosso.platform.Limits;
import dev.nosso.platform.NotFound;
import dev.nosso.platform.OwnerCaches;
import dev.nosso.platform.Problems;
import dev.nosso.platform.Texts;
import dev.nosso.platform.Writes;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A user's collections of files. Deleting a collection keeps its files. */
@Service
class FileCollections {

    static final int MAX_DESCRIPTION_CHARS = 2000;
    static final int MAX_FILES_PER_REQUEST = 1000;

    private final CollectionRepository collections;
    private final FileRepository files;
    private final Writes writes;
    private final Limits limits;
    private final Clock clock;
    private final OwnerCaches caches;

    FileCollections(CollectionRepository collections, FileRepository files, Writes writes, Limits limits,
                    Clock clock, OwnerCaches caches) {
        this.caches = caches;
        this.collections = collections;
        this.files = files;
        this.writes = writes;
        this.limits = limits;
        this.clock = clock;
    }

    Collection create(UUID owner, String name, String description) {
        String checkedName = checkName(name);
        String checkedDescription = checkDescription(description);
        return writes.run(() -> {
            UUID id = Ids.next();
            collections.insert(owner, id, checkedName, checkedDescription, clock.instant());
            return collections.find(owner, id).orElseThrow();
        });
    }

    @Transactional(readOnly = true)
    List<Collection> list(UUID owner) {
        return collections.list(owner);
    }

    @Transactional(readOnly = true)
    Collection get(UUID owner, UUID id) {
        Collection collection = collections.find(owner, id).orElseThrow(() -> new NotFound("collection"));
        return collection.withFiles(files.inCollection(owner, id));
    }

    /** Changes the name and/or the description; a field left out (null) keeps its value. */
    Collection update(UUID owner, UUID id, String name, String description) {
        String checkedName = name == null ? null : checkName(name);
        String checkedDescription = checkDescription(description);
        writes.run(() -> {
            Collection current = collections.find(owner, id).orElseThrow(() -> new NotFound("collection"));
            collections.update(owner, id, checkedName == null ? current.name() : checkedName,
                    description == null ? current.description() : checkedDescription, clock.instant());
            return null;
        });
        return get(owner, id);
    }

    void delete(UUID owner, UUID id) {
        writes.run(() -> {
            if (!collections.delete(owner, id)) {
                throw new NotFound("collection");
            }
            caches.changed(owner); // chats that used it lose it: their settings in memory name it
            return null;
        });
    }

    /** Adds the owner's files; any id that is not one of their files refuses the whole request with a 404. */
    /** The files a request names, each once: at least one, at most {@link #MAX_FILES_PER_REQUEST}, else a 400. */
    static List<UUID> distinctFileIds(List<UUID> fileIds) {
        if (fileIds == null || fileIds.isEmpty()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation", "fileIds must name at least one file.");
        }
        if (fileIds.size() > MAX_FILES_PER_REQUEST) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation",
                    "fileIds may name at most " + MAX_FILES_PER_REQUEST + " files at once.");
        }
        return List.copyOf(new LinkedHashSet<>(fileIds));
    }

    Collection addFiles(UUID owner, UUID id, List<UUID> fileIds) {
        List<UUID> distinct = distinctFileIds(fileIds);
        writes.run(() -> {
            if (collections.find(owner, id).isEmpty()) {
                throw new NotFound("collection");
            }
            if (files.owned(owner, distinct).size() != distinct.size()) {
                throw new NotFound("file");
            }
            collections.addFiles(owner, id, distinct, clock.instant());
            return null;
        });
        return get(owner, id);
    }

    void removeFile(UUID owner, UUID id, UUID fileId) {
        writes.run(() -> {
            if (collections.find(owner, id).isEmpty()) {
                throw new NotFound("collection");
            }
            if (!collections.removeFile(owner, id, fileId, clock.instant())) {
                throw new NotFound("file");
            }
            return null;
        });
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

    private static String checkDescription(String description) {
        Texts.storable("description", description);
        if (description != null && description.length() > MAX_DESCRIPTION_CHARS) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation",
                    "description has " + description.length() + " characters; the limit is " + MAX_DESCRIPTION_CHARS + ".");
        }
        return description;
    }
}
