package dev.nosso.chat;

import dev.nosso.identity.Caller;
import dev.nosso.platform.Limits;
import dev.nosso.platform.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Messages")
class MessageController {

    // A tree page is bounded on its own, above the lists' limit: a client that reads the whole tree should take
    // few round trips, and a page of 1,000 messages stays a few hundred kilobytes for ordinary messages.
    static final int TREE_PAGE = 1_000;

    private final Messages messages;
    private final Limits limits;

    MessageController(Messages messages, Limits limits) {
        this.messages = messages;
        this.limits = limits;
    }

    record ActiveLeaf(UUID messageId) {
    }

    record Edit(String content) {
    }

    @GetMapping("/chats/{chatId}/messages")
    @Operation(summary = "The active branch, newest window first; nextCursor pages to older messages")
    MessageWindow activeBranch(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId,
                        @RequestParam(required = false) UUID cursor, @RequestParam(required = false) Integer limit) {
        return MessageWindow.of(messages.activeBranch(caller.userId(), chatId, cursor, limits.pageSize(limit, 50)));
    }

    @GetMapping("/chats/{chatId}/tree")
    @Operation(summary = "Every message of every branch, parents before children, a page at a time (1,000 at most); "
            + "nextCursor fetches the next page")
    ChatTree tree(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId,
                  @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        if (limit != null && limit < 1) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation", "limit must be at least 1.");
        }
        return messages.tree(caller.userId(), chatId, cursor, limit == null ? TREE_PAGE : Math.min(limit, TREE_PAGE));
    }

    @PutMapping("/chats/{chatId}/active-leaf")
    @Operation(summary = "Show the branch through a message, down to its newest leaf")
    ActiveLeaf switchBranch(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId,
                            @RequestBody ActiveLeaf body) {
        if (body.messageId() == null) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation", "messageId is required.");
        }
        return new ActiveLeaf(messages.switchTo(caller.userId(), chatId, body.messageId()));
    }

    @GetMapping("/messages/{messageId}")
    Message get(@AuthenticationPrincipal Caller caller, @PathVariable UUID messageId) {
        return messages.find(caller.userId(), messageId);
    }

    @PatchMapping("/messages/{messageId}")
    @Operation(summary = "Correct a message's text in place (to branch instead, append a sibling)")
    Message edit(@AuthenticationPrincipal Caller caller, @PathVariable UUID messageId, @RequestBody Edit body) {
        return messages.edit(caller.userId(), messageId, body.content());
    }

    @DeleteMapping("/messages/{messageId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a message and every message below it")
    void delete(@AuthenticationPrincipal Caller caller, @PathVariable UUID messageId) {
        messages.delete(caller.userId(), messageId);
    }
}
