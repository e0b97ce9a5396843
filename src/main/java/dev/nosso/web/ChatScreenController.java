package dev.nosso.web;

import dev.nosso.chat.Chat;
import dev.nosso.chat.ChatViews;
import dev.nosso.chat.MessageWindow;
import dev.nosso.identity.Caller;
import dev.nosso.platform.Limits;
import dev.nosso.provider.OfferedModels;
import dev.nosso.provider.Providers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Everything the chat screen shows as it opens, in one call: the sidebar's first lists, the chat with its
 * newest window of messages, and the model catalog when one is cached. The same data as six to eight calls of
 * the API (see {@code docs/api.md}), in eight statements on PostgreSQL and no transaction.
 */
@RestController
@Tag(name = "Pages")
class ChatScreenController {

    private final ChatViews views;
    private final Providers providers;
    private final Limits limits;

    ChatScreenController(ChatViews views, Providers providers, Limits limits) {
        this.views = views;
        this.providers = providers;
        this.limits = limits;
    }

    /**
     * @param models null when no catalog is cached yet: the page then asks {@code GET /api/v1/models}, which
     *               waits for the providers, instead of holding up the whole screen
     */
    record ChatScreen(ChatViews.Sidebar sidebar, Chat chat, MessageWindow messages, OfferedModels models) {
    }

    @GetMapping("/api/v1/pages/chat")
    @Operation(summary = "What the chat screen needs as it opens: the sidebar (unless sidebar=false), the chat "
            + "with its newest window of messages (with chatId), and the cached model catalog (null when none is "
            + "cached yet)")
    ChatScreen chatScreen(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) UUID chatId,
                          @RequestParam(defaultValue = "true") boolean sidebar,
                          @RequestParam(required = false) Integer limit,
                          @RequestParam(required = false) Integer chats) {
        UUID owner = caller.userId();
        // The chat first: an unknown one answers 404 before anything else is read.
        ChatViews.OpenedChat opened = chatId == null ? null : views.open(owner, chatId, limits.pageSize(limit, 50));
        return new ChatScreen(sidebar ? views.sidebar(owner, limits.pageSize(chats, 30)) : null,
                opened == null ? null : opened.chat(), opened == null ? null : opened.messages(),
                providers.offeredIfCached(caller.isAdmin()));
    }
}
