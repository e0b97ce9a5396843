package dev.nosso.search;

import dev.nosso.identity.Caller;
import dev.nosso.knowledge.Knowledge;
import dev.nosso.platform.Problems;
import dev.nosso.retrieval.Passage;
import dev.nosso.retrieval.Retrieval;
import dev.nosso.retrieval.Scope;
import dev.nosso.retrieval.SearchMode;
import dev.nosso.retrieval.SearchRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Search over the caller's files and past messages. {@code knowledge} turns the collections and files named
 * into the search's scope (it alone knows which files a collection holds); {@code retrieval} searches.
 */
@RestController
@Tag(name = "Search")
class SearchController {

    static final int DEFAULT_K = 10;

    private final Retrieval retrieval;
    private final Knowledge knowledge;

    SearchController(Retrieval retrieval, Knowledge knowledge) {
        this.retrieval = retrieval;
        this.knowledge = knowledge;
    }

    /**
     * {@code collectionIds}, {@code fileIds}: only these files (both left out: all the caller's files);
     * {@code memory}: whether past messages are searched (default true).
     */
    record SearchBody(String query, Integer k, String mode, List<UUID> collectionIds, List<UUID> fileIds,
                      Boolean memory) {
    }

    record SearchResults(List<Passage> results) {
    }

    @PostMapping("/api/v1/search")
    @Operation(summary = "Search the caller's files and past messages by keyword, meaning, or both (hybrid)")
    SearchResults search(@AuthenticationPrincipal Caller caller, @RequestBody SearchBody body) {
        SearchMode mode = body.mode() == null ? SearchMode.HYBRID : SearchMode.ofWire(body.mode());
        if (mode == null) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-mode", "mode must be hybrid, keyword or vector.");
        }
        int k = body.k() == null ? DEFAULT_K : body.k();
        boolean memory = body.memory() == null || body.memory();
        Scope scope = knowledge.searchScope(caller.userId(), body.collectionIds(), body.fileIds(), memory);
        return new SearchResults(retrieval.search(caller.userId(), new SearchRequest(body.query(), k, mode, scope)));
    }
}
