package dev.nosso.share;

import dev.nosso.chat.Chat;
import dev.nosso.identity.Caller;
import dev.nosso.platform.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Shared links: the owner's side under the chat, the viewer's under {@code /api/v1/shared/{token}}. */
@RestController
@Tag(name = "Shared links")
class ShareController {

    // Robots keep shared chats out of search results; no cache keeps a revoked one.
    private static final String NO_INDEX = "noindex, nofollow";

    private final Shares shares;
    private final LinkAccess access;

    ShareController(Shares shares, LinkAccess access) {
        this.shares = shares;
        this.access = access;
    }

    @PutMapping("/api/v1/chats/{chatId}/share")
    @Operation(summary = "Share the chat's shown branch as a read-only link (201), or update the link's copy to "
            + "the branch as it is now (200, same link)")
    ResponseEntity<Shares.Link> share(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId) {
        Shares.Shared shared = shares.share(caller.userId(), chatId);
        return ResponseEntity.status(shared.created() ? HttpStatus.CREATED : HttpStatus.OK).body(shared.link());
    }

    @GetMapping("/api/v1/chats/{chatId}/share")
    @Operation(summary = "The chat's shared link; 404 share-not-found when it has none")
    Shares.Link link(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId) {
        return shares.find(caller.userId(), chatId).orElseThrow(() -> Problems.exception(HttpStatus.NOT_FOUND,
                "share-not-found", "This chat has no shared link."));
    }

    @DeleteMapping("/api/v1/chats/{chatId}/share")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke the chat's shared link: it answers 404 from now on")
    void revoke(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId) {
        shares.revoke(caller.userId(), chatId);
    }

    @GetMapping("/api/v1/shared/{token}")
    @Operation(summary = "A shared chat: its title and the shown branch's messages with their cited passages; "
            + "signed out too when the administrator lets links work for anyone (401 sign-in-to-view otherwise)")
    ResponseEntity<Shares.SharedChat> view(@AuthenticationPrincipal Caller caller, @PathVariable String token) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("X-Robots-Tag", NO_INDEX)
                .body(shares.view(token, caller));
    }

    @PostMapping("/api/v1/shared/{token}/copy")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Continue a shared chat: copy it into the caller's own chats and return the new chat")
    Chat copy(@AuthenticationPrincipal Caller caller, @PathVariable String token) {
        return shares.copy(token, caller);
    }

    /** Who may open shared links. */
    record Access(String links) {
    }

    @GetMapping("/api/v1/admin/sharing")
    @Operation(summary = "Who may open shared links: anyone who has one, or signed-in users only (the default)")
    Access access() {
        return new Access(access.current().wire());
    }

    @PatchMapping("/api/v1/admin/sharing")
    @Operation(summary = "Let shared links work for anyone (\"anyone\") or for signed-in users only (\"signed-in\")")
    Access changeAccess(@RequestBody Access body) {
        return new Access(access.change(LinkAccess.Who.fromWire(body == null ? null : body.links())).wire());
    }
}
