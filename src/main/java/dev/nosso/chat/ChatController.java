package dev.nosso.chat;

import dev.nosso.identity.Caller;
import dev.nosso.platform.Limits;
import dev.nosso.platform.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Chats")
class ChatController {

    private final Chats chats;
    private final Tags tags;
    private final Limits limits;

    private final ChatsByMeaning byMeaning;

    ChatController(Chats chats, Tags tags, Limits limits, ChatsByMeaning byMeaning) {
        this.byMeaning = byMeaning;
        this.chats = chats;
        this.tags = tags;
        this.limits = limits;
    }

    /** @param presetId a preset whose settings the chat starts with (a copy) */
    record NewChat(String title, UUID folderId, UUID presetId) {
    }

    /**
     * A partial update. {@code "folderId": null} moves the chat out of its folder, while leaving the field
     * out leaves it alone; a record cannot tell the two apart, so this is a class whose setter notes it.
     */
    static final class ChatPatch {
        private String title;
        private Boolean pinned;
        private Boolean archived;
        private Optional<UUID> folderId;
        private Optional<String> model;
        private Optional<String> systemPrompt;
        private Optional<Double> temperature;
        private Optional<Integer> maxTokens;
        private Optional<List<UUID>> collectionIds;
        private Boolean memory;

        public void setCollectionIds(List<UUID> collectionIds) {
            this.collectionIds = Optional.ofNullable(collectionIds);
        }

        public void setMemory(Boolean memory) {
            this.memory = memory;
        }

        public void setTitle(String title) {
            this.title = title;
        }

        public void setPinned(Boolean pinned) {
            this.pinned = pinned;
        }

        public void setArchived(Boolean archived) {
            this.archived = archived;
        }

        public void setFolderId(UUID folderId) {
            this.folderId = Optional.ofNullable(folderId);
        }

        public void setModel(String model) {
            this.model = Optional.ofNullable(model);
        }

        public void setSystemPrompt(String systemPrompt) {
            this.systemPrompt = Optional.ofNullable(systemPrompt);
        }

        public void setTemperature(Double temperature) {
            this.temperature = Optional.ofNullable(temperature);
        }

        public void setMaxTokens(Integer maxTokens) {
            this.maxTokens = Optional.ofNullable(maxTokens);
        }

        ChatChanges changes() {
            return new ChatChanges(title, pinned, archived, folderId, model, systemPrompt, temperature, maxTokens,
                    collectionIds, memory);
        }
    }

    record NewTag(String name) {
    }

    @PostMapping("/chats")
    @ResponseStatus(HttpStatus.CREATED)
    Chat create(@AuthenticationPrincipal Caller caller, @RequestBody(required = false) NewChat body) {
        NewChat chat = body == null ? new NewChat(null, null, null) : body;
        if (chat.presetId() != null) {
            return chats.createFromPreset(caller.userId(), chat.title(), chat.folderId(), chat.presetId());
        }
        return chats.create(caller.userId(), chat.title(), chat.folderId());
    }

    @GetMapping("/chats")
    @Operation(summary = "A page of chats, most recently updated first; archived chats only with archived=true")
    ChatPage list(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) Boolean pinned,
                  @RequestParam(required = false) Boolean archived, @RequestParam(required = false) UUID folderId,
                  @RequestParam(required = false) String tag, @RequestParam(required = false) String cursor,
                  @RequestParam(required = false) Integer limit) {
        ChatFilter filter = new ChatFilter(pinned, archived == null ? Boolean.FALSE : archived, folderId, normalised(tag));
        return chats.list(caller.userId(), filter, cursor, limits.pageSize(limit, 50));
    }

    @GetMapping("/search/chats")
    @Operation(summary = "Chats whose title or messages contain every word of q (prefix match), newest first; "
            + "with mode=semantic, chats whose remembered messages are nearest to q in meaning, best first")
    ChatPage search(@AuthenticationPrincipal Caller caller, @RequestParam String q,
                    @RequestParam(required = false) String mode,
                    @RequestParam(required = false) Boolean pinned, @RequestParam(required = false) Boolean archived,
                    @RequestParam(required = false) UUID folderId, @RequestParam(required = false) String tag,
                    @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        ChatFilter filter = new ChatFilter(pinned, archived, folderId, normalised(tag));
        if ("semantic".equals(mode)) {
            return byMeaning.search(caller.userId(), q, filter, limits.pageSize(limit, 20));
        }
        if (mode != null && !mode.equals("text")) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-mode", "mode must be text (the default) or semantic.");
        }
        return chats.search(caller.userId(), q, filter, cursor, limits.pageSize(limit, 50));
    }

    @GetMapping("/chats/{chatId}")
    Chat get(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId) {
        return chats.get(caller.userId(), chatId);
    }

    @PatchMapping("/chats/{chatId}")
    Chat update(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId, @RequestBody ChatPatch body) {
        return chats.update(caller.userId(), chatId, body.changes());
    }

    @DeleteMapping("/chats/{chatId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId) {
        chats.delete(caller.userId(), chatId);
    }

    @PostMapping("/chats/{chatId}/tags")
    Chat addTag(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId, @RequestBody NewTag body) {
        return chats.addTag(caller.userId(), chatId, body.name());
    }

    @DeleteMapping("/chats/{chatId}/tags/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeTag(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId, @PathVariable String name) {
        chats.removeTag(caller.userId(), chatId, name);
    }

    @GetMapping("/tags")
    @Operation(summary = "The caller's tags with how many chats carry each")
    List<TagRepository.TagCount> tags(@AuthenticationPrincipal Caller caller) {
        return tags.list(caller.userId());
    }

    private static String normalised(String tag) {
        return tag == null || tag.isBlank() ? null : Tags.normalise(tag);
    }
}
