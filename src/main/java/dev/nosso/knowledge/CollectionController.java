package dev.nosso.knowledge;

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
@RequestMapping("/api/v1/collections")
@Tag(name = "Collections")
class CollectionController {

    private final FileCollections collections;

    CollectionController(FileCollections collections) {
        this.collections = collections;
    }

    record CollectionInput(String name, String description) {
    }

    record FileIds(List<UUID> fileIds) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Collection create(@AuthenticationPrincipal Caller caller, @RequestBody CollectionInput body) {
        return collections.create(caller.userId(), body.name(), body.description());
    }

    @GetMapping
    List<Collection> list(@AuthenticationPrincipal Caller caller) {
        return collections.list(caller.userId());
    }

    @GetMapping("/{collectionId}")
    Collection get(@AuthenticationPrincipal Caller caller, @PathVariable UUID collectionId) {
        return collections.get(caller.userId(), collectionId);
    }

    @PatchMapping("/{collectionId}")
    Collection update(@AuthenticationPrincipal Caller caller, @PathVariable UUID collectionId,
                      @RequestBody CollectionInput body) {
        return collections.update(caller.userId(), collectionId, body.name(), body.description());
    }

    @DeleteMapping("/{collectionId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal Caller caller, @PathVariable UUID collectionId) {
        collections.delete(caller.userId(), collectionId);
    }

    @PostMapping("/{collectionId}/files")
    Collection addFiles(@AuthenticationPrincipal Caller caller, @PathVariable UUID collectionId,
                        @RequestBody FileIds body) {
        return collections.addFiles(caller.userId(), collectionId, body.fileIds());
    }

    @DeleteMapping("/{collectionId}/files/{fileId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeFile(@AuthenticationPrincipal Caller caller, @PathVariable UUID collectionId,
                    @PathVariable UUID fileId) {
        collections.removeFile(caller.userId(), collectionId, fileId);
    }
}
