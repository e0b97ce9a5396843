package dev.nosso.chat;

import dev.nosso.memory.MessageMemory;
import dev.nosso.platform.CacheSettings;
import dev.nosso.platform.Dialect;
import dev.nosso.platform.Ids;
import dev.nosso.platform.Limits;
import dev.nosso.platform.NotFound;
import dev.nosso.platform.OwnerCaches.OwnerCache;
import dev.nosso.platform.OwnerCaches;
import dev.nosso.platform.Problems;
import dev.nosso.platform.Reads;
import dev.nosso.platform.Texts;
import dev.nosso.platform.jobs.Jobs;
import dev.nosso.preset.Preset;
import dev.nosso.preset.Presets;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A user's chats: create, list and search a page at a time, rename, pin, archive, file, tag and delete. */
@Service
public class Chats {

    static final String DEFAULT_TITLE = Chat.DEFAULT_TITLE;

    private final ChatRepository chats;
    private final FolderRepository folders;
    private final TagRepository tags;
    private final MessageMemory memory;
    private final Limits limits;
    private final Dialect dialect;
    private final Clock clock;
    private final OwnerCaches caches;
    private final Reads reads;
    private final Presets presets;
    private final Jobs jobs;
    private final OwnerCache<UUID, Chat> settings;

    Chats(ChatRepository chats, FolderRepository folders, TagRepository tags, MessageMemory memory, Limits limits,
          Dialect dialect, Clock clock, OwnerCaches caches, CacheSettings cacheSettings, Reads reads,
          Presets presets, Jobs jobs) {
        this.presets = presets;
        this.jobs = jobs;
        this.reads = reads;
        this.caches = caches;
        this.settings = caches.create("chats.settings", cacheSettings.chats());
        this.chats = chats;
        this.folders = folders;
        this.tags = tags;
        this.memory = memory;
        this.limits = limits;
        this.dialect = dialect;
        this.clock = clock;
    }

    @Transactional
    public Chat create(UUID owner, String title, UUID folderId) {
        return create(owner, title, folderId, null);
    }

    /** A new chat that goes on with {@code model} (null for none yet), as one kept from the OpenAI-compatible API. */
    @Transactional
    public Chat create(UUID owner, String title, UUID folderId, String model) {
        String name = title == null || title.isBlank() ? DEFAULT_TITLE : checkTitle(title);
        if (folderId != null && !folders.exists(owner, folderId)) {
            throw new NotFound("folder");
        }
        UUID id = Ids.next();
        chats.insert(owner, id, name, folderId, model, clock.instant());
        return chats.find(owner, id).orElseThrow();
    }

    /**
     * A new chat with a copy of a preset's settings (its model, system prompt, sampling, collections and memory
     * setting): later changes to the preset leave the chat as it is. 404 for a preset the owner does not see.
     */
    @Transactional
    public Chat createFromPreset(UUID owner, String title, UUID folderId, UUID presetId) {
        Preset preset = presets.get(owner, presetId);
        Chat chat = create(owner, title, folderId, preset.model());
        chats.update(owner, chat.id(), new ChatChanges(null, null, null, null, Optional.of(preset.model()),
                Optional.ofNullable(preset.systemPrompt()), Optional.ofNullable(preset.temperature()),
                Optional.ofNullable(preset.maxTokens()), null, preset.memory()), clock.instant());
        // Only an own preset has collections (a published one has none), and they were the owner's when it was
        // saved; one deleted since then has left the preset by itself.
        if (!preset.collectionIds().isEmpty()) {
            if (chats.ownedCollections(owner, preset.collectionIds()) != preset.collectionIds().size()) {
                throw new NotFound("collection");
            }
            chats.setCollections(chat.id(), preset.collectionIds());
        }
        return get(owner, chat.id());
    }

    @Transactional(readOnly = true)
    public Chat get(UUID owner, UUID chatId) {
        Chat chat = chats.find(owner, chatId).orElseThrow(() -> new NotFound("chat"));
        return chat.withTags(chats.tagsOf(List.of(chatId)).getOrDefault(chatId, List.of()))
                .withCollections(chats.collectionsOf(chatId));
    }

    /**
     * The chat's settings as a turn reads them (its model, prompts, sampling, collections and title), from
     * memory when they were read before: every change to them clears that copy. Its tags are left out, and its
     * leaf, message count and times may be behind: take those from {@link #get}.
     */
    public Chat settings(UUID owner, UUID chatId) {
        return settings.get(owner, chatId, () -> reads.run(() -> chats.find(owner, chatId)
                .orElseThrow(() -> new NotFound("chat")).withCollections(chats.collectionsOf(chatId))));
    }

    /**
     * Says that the settings of the owner's chats change in the current transaction, so that no copy in memory
     * outlives it: any change of a title, model, prompt, sampling or collection, or a deletion.
     */
    void settingsChange(UUID owner) {
        caches.changed(owner);
    }

    @Transactional(readOnly = true)
    public ChatPage list(UUID owner, ChatFilter filter, String cursor, int limit) {
        return page(owner, filter, null, cursor, limit);
    }

    /** Chats whose title or any message contains every word of {@code text}, newest first. */
    @Transactional(readOnly = true)
    public ChatPage search(UUID owner, String text, ChatFilter filter, String cursor, int limit) {
        List<String> words = SearchQuery.words(text);
        if (words.isEmpty()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "empty-query", "q must contain at least one word.");
        }
        return page(owner, filter, SearchQuery.expression(words, dialect), cursor, limit);
    }

    private ChatPage page(UUID owner, ChatFilter filter, String query, String cursor, int limit) {
        Cursor after = cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor);
        // One extra row tells whether another page exists without a COUNT.
        List<Chat> rows = chats.list(owner, filter, query, after, limit + 1);
        boolean more = rows.size() > limit;
        List<Chat> page = more ? rows.subList(0, limit) : rows;
        List<UUID> ids = page.stream().map(Chat::id).toList();
        Map<UUID, List<String>> tagsByChat = chats.tagsOf(ids);
        Map<UUID, List<UUID>> collectionsByChat = chats.collectionsOf(ids);
        List<Chat> items = page.stream().map(c -> c.withTags(tagsByChat.getOrDefault(c.id(), List.of()))
                .withCollections(collectionsByChat.getOrDefault(c.id(), List.of()))).toList();
        String next = more ? new Cursor(page.getLast().updatedAt(), page.getLast().id()).encode() : null;
        return new ChatPage(items, next);
    }

    @Transactional
    public Chat update(UUID owner, UUID chatId, ChatChanges changes) {
        if (changes.title() != null) {
            checkTitle(changes.title());
            if (changes.title().isBlank()) {
                throw Problems.exception(HttpStatus.BAD_REQUEST, "validation", "title must not be blank.");
            }
        }
        checkModelSettings(changes);
        Optional<UUID> folderId = changes.folderId() == null ? Optional.empty() : changes.folderId();
        if (folderId.isPresent() && !folders.exists(owner, folderId.get())) {
            throw new NotFound("folder");
        }
        if (!chats.update(owner, chatId, changes, clock.instant())) {
            throw new NotFound("chat");
        }
        settingsChange(owner);
        if (changes.title() != null) {
            memory.renameChat(owner, chatId, changes.title().strip());
        }
        if (changes.collectionIds() != null) {
            Set<UUID> ids = new LinkedHashSet<>(changes.collectionIds().orElse(List.of()));
            if (!ids.isEmpty() && chats.ownedCollections(owner, ids) != ids.size()) {
                throw new NotFound("collection"); // rolls the whole update back
            }
            chats.setCollections(chatId, ids);
        }
        return get(owner, chatId);
    }

    /** Gives the chat a generated title, unless someone named it meanwhile. */
    @Transactional
    public boolean retitle(UUID owner, UUID chatId, String title) {
        String trimmed = title.strip();
        if (trimmed.isEmpty()) {
            return false;
        }
        if (trimmed.length() > limits.maxTitleChars()) {
            trimmed = trimmed.substring(0, limits.maxTitleChars());
        }
        if (!chats.retitle(owner, chatId, trimmed, DEFAULT_TITLE)) {
            return false;
        }
        settingsChange(owner);
        memory.renameChat(owner, chatId, trimmed);
        return true;
    }

    private void checkModelSettings(ChatChanges changes) {
        Texts.storable("model", changes.model() == null ? null : changes.model().orElse(null));
        Texts.storable("systemPrompt", changes.systemPrompt() == null ? null : changes.systemPrompt().orElse(null));
        if (changes.model() != null && changes.model().filter(m -> m.isBlank() || m.length() > 200).isPresent()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation", "model must be 1 to 200 characters.");
        }
        if (changes.systemPrompt() != null
                && changes.systemPrompt().filter(p -> p.length() > limits.maxMessageChars()).isPresent()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation",
                    "systemPrompt is longer than " + limits.maxMessageChars() + " characters.");
        }
        if (changes.temperature() != null && changes.temperature().filter(t -> !(t >= 0 && t <= 2)).isPresent()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation", "temperature must be between 0 and 2.");
        }
        if (changes.maxTokens() != null && changes.maxTokens().filter(t -> t < 1 || t > 1_000_000).isPresent()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation", "maxTokens must be between 1 and 1000000.");
        }
    }

    /**
     * Deletes a chat: it is gone from every read (lists, search, its messages, memory's passages) when this
     * returns, in one short write that marks its row; its messages, memory and files are then removed by
     * {@link SweepDeleted}, a bounded batch per write, queued in the same transaction so that a restart
     * finishes the work.
     */
    @Transactional
    public void delete(UUID owner, UUID chatId) {
        if (!chats.markDeleted(owner, chatId, clock.instant())) {
            throw new NotFound("chat");
        }
        settingsChange(owner);
        tags.deleteUnused(owner);
        jobs.enqueueUnlessQueued(owner, SweepDeleted.KIND, "{}");
    }

    @Transactional
    public Chat addTag(UUID owner, UUID chatId, String tagName) {
        String name = Tags.normalise(tagName);
        chats.find(owner, chatId).orElseThrow(() -> new NotFound("chat"));
        UUID tagId = tags.findOrCreate(owner, name, clock.instant());
        tags.attach(chatId, tagId);
        return get(owner, chatId);
    }

    @Transactional
    public void removeTag(UUID owner, UUID chatId, String tagName) {
        chats.find(owner, chatId).orElseThrow(() -> new NotFound("chat"));
        String name = Tags.normalise(tagName);
        if (!tags.detach(owner, chatId, name)) {
            throw new NotFound("tag");
        }
        tags.deleteUnused(owner);
    }

    private String checkTitle(String title) {
        Texts.storable("title", title);
        if (title.length() > limits.maxTitleChars()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "title-too-long",
                    "title has " + title.length() + " characters; the limit is " + limits.maxTitleChars() + ".");
        }
        return title.strip();
    }
}
