package dev.nosso.knowledge;

import dev.nosso.knowledge.storage.BytesMissing;
import dev.nosso.knowledge.storage.FileStore;
import dev.nosso.platform.NotFound;
import dev.nosso.platform.Problems;
import dev.nosso.platform.Reads;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Files sent with a message: checked to be the sender's, attached to the chat (so that every later turn of the
 * chat searches the documents among them, as a file attached by itself is), and the images among them read
 * back for the model.
 */
@Service
public class MessageFiles {

    private static final Logger log = LoggerFactory.getLogger(MessageFiles.class);

    private final FileRepository files;
    private final ChatFiles chatFiles;
    private final FileStore store;
    private final ImageSettings settings;
    private final Reads reads;

    MessageFiles(FileRepository files, ChatFiles chatFiles, FileStore store, ImageSettings settings, Reads reads) {
        this.files = files;
        this.chatFiles = chatFiles;
        this.store = store;
        this.settings = settings;
        this.reads = reads;
    }

    /** A file as a message lists it. */
    public record Sent(UUID id, String name, String mediaType, long size) {

        public boolean image() {
            return Images.STORED_TYPES.contains(mediaType);
        }
    }

    /** An image's bytes as stored (already re-encoded on upload) and their media type. */
    public record ImageBytes(String mediaType, byte[] bytes) {
    }

    /**
     * The owner's files, in the order given, each once: 404 {@code file-not-found} for an id that is not theirs,
     * 400 {@code too-many-images} past {@code nosso.images.max-per-message}. Nothing is written.
     */
    public List<Sent> check(UUID owner, List<UUID> fileIds) {
        if (fileIds == null || fileIds.isEmpty()) {
            return List.of();
        }
        List<UUID> distinct = FileCollections.distinctFileIds(fileIds);
        List<Sent> sent = new ArrayList<>(distinct.size());
        reads.run(() -> {
            for (UUID id : distinct) {
                StoredFile file = files.find(owner, id).orElseThrow(() -> new NotFound("file"));
                sent.add(new Sent(file.id(), file.name(), file.mediaType(), file.size()));
            }
            return null;
        });
        long images = sent.stream().filter(Sent::image).count();
        if (images > settings.maxPerMessage()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "too-many-images", "A message may carry at most "
                    + settings.maxPerMessage() + " images; this one has " + images + ".");
        }
        return List.copyOf(sent);
    }

    /** Attaches the files to the chat, as {@code POST /chats/{id}/files} does (404 for a chat not theirs). */
    public void attach(UUID owner, UUID chatId, List<Sent> sent) {
        if (!sent.isEmpty()) {
            chatFiles.attach(owner, chatId, sent.stream().map(Sent::id).toList());
        }
    }

    /**
     * An image of the owner's, for a prompt; empty when it was deleted since it was sent, when its bytes are
     * missing from the store, or when the file is not an image.
     */
    public Optional<ImageBytes> image(UUID owner, UUID fileId) {
        Optional<StoredFile> found = reads.run(() -> files.find(owner, fileId));
        if (found.isEmpty() || !Images.STORED_TYPES.contains(found.get().mediaType())) {
            return Optional.empty();
        }
        StoredFile file = found.get();
        try (InputStream in = store.open(file.storageKey())) {
            return Optional.of(new ImageBytes(file.mediaType(), in.readAllBytes()));
        } catch (BytesMissing e) {
            log.warn("Image {}: {}", fileId, e.getMessage());
            return Optional.empty();
        } catch (IOException e) {
            log.warn("Image {} could not be read from the {} store: {}", fileId, store.name(), e.getMessage());
            return Optional.empty();
        }
    }
}
