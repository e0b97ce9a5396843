package dev.nosso.knowledge;

import dev.nosso.identity.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The files attached to a chat (also by uploading with {@code ?chatId=}); its turns search them. */
@RestController
@RequestMapping("/api/v1/chats/{chatId}/files")
@Tag(name = "Files")
class ChatFileController {

    private final ChatFiles chatFiles;

    ChatFileController(ChatFiles chatFiles) {
        this.chatFiles = chatFiles;
    }

    record FileIds(List<UUID> fileIds) {
    }

    @GetMapping
    @Operation(summary = "The files attached to this chat")
    List<StoredFile> list(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId) {
        return chatFiles.list(caller.userId(), chatId);
    }

    @PostMapping
    @Operation(summary = "Attach files the caller already uploaded; every turn of the chat searches them")
    List<StoredFile> attach(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId,
                            @RequestBody FileIds body) {
        return chatFiles.attach(caller.userId(), chatId, body.fileIds());
    }

    @DeleteMapping("/{fileId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Detach a file from this chat; the file itself is kept")
    void detach(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId, @PathVariable UUID fileId) {
        chatFiles.detach(caller.userId(), chatId, fileId);
    }
}
