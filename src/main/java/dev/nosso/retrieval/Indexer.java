package dev.nosso.retrieval;

import java.util.UUID;
import java.util.function.BiConsumer;
import org.springframework.stereotype.Service;

// TEMPORARY stand-in for the retrieval branch's API, deleted before that branch is merged.
@Service
public class Indexer {

    public int index(SourceText source, BiConsumer<Integer, Integer> progress) {
        progress.accept(1, 1);
        return 1;
    }

    public void forget(UUID owner, SourceKind kind, UUID sourceId) {
    }

    public void forgetAll(UUID owner, SourceKind kind) {
    }
}
