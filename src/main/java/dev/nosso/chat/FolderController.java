package dev.nosso.chat;

import dev.nosso.identity.Caller;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/folders")
@Tag(name = "Folders")
class FolderController {

    private final Folders folders;

    FolderController(Folders folders) {
        this.folders = folders;
    }

    record FolderName(String name) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Folder create(@AuthenticationPrincipal Caller caller, @RequestBody FolderName body) {
        return folders.create(caller.userId(), body.name());
    }

    @GetMapping
    List<Folder> list(@AuthenticationPrincipal Caller caller) {
        return folders.list(caller.userId());
    }

    @GetMapping("/{folderId}")
    Folder get(@AuthenticationPrincipal Caller caller, @PathVariable UUID folderId) {
        return folders.get(caller.userId(), folderId);
    }

    @PatchMapping("/{folderId}")
    Folder rename(@AuthenticationPrincipal Caller caller, @PathVariable UUID folderId, @RequestBody FolderName body) {
        return folders.rename(caller.userId(), folderId, body.name());
    }

    @DeleteMapping("/{folderId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal Caller caller, @PathVariable UUID folderId) {
        folders.delete(caller.userId(), folderId);
    }
}
