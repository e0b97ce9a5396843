package dev.nosso.retrieval;

import dev.nosso.platform.Ids;
import dev.nosso.platform.Writes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Puts sources into the index and takes them out again. */
@Service
public class Indexer {

    private final Chunker chunker;
    private final Embedder embedder;
    private final ChunkRepository chunks;
    private final VectorSearch vectorSearch;
    private final Writes writes;
    private final RetrievalSettings settings;
    private final Clock clock;
    private final VectorIndexes vectorIndexes;
    private final ChunkVersions versions;

    Indexer(Chunker chunker, Embedder embedder, ChunkRepository chunks, VectorSearch vectorSearch, Writes writes,
            RetrievalSettings settings, Clock clock, VectorIndexes vectorIndexes, ChunkVersions versions) {
        this.versions = versions;
        this.vectorIndexes = vectorIndexes;
        this.chunker = chunker;
        this.embedder = embedder;
        this.chunks = chunks;
        this.vectorSearch = vectorSearch;
        this.writes = writes;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Chunks, embeds (in batches) and stores the source's chunks, replacing any it had, so a retried job simply
     * runs it again. Reports progress as (chunks embedded so far, total). Call it outside any transaction:
     * embedding is slow, and the chunks are written afterwards in one short transaction, so a search sees
     * either all the old chunks or all the new ones.
     *
     * @return the number of chunks stored
     */
    public int index(SourceText source, BiConsumer<Integer, Integer> progress) {
        return indexAll(List.of(source), progress);
    }

    /**
     * Indexes several sources as {@link #index} does one, with their passages embedded together: a batch of
     * short messages costs a few calls to the model, not one each. The chunks of all of them are written in
     * one transaction.
     *
     * @return the number of chunks stored
     */
    public int indexAll(List<SourceText> sources, BiConsumer<Integer, Integer> progress) {
        List<List<Chunker.Chunk>> pieces = sources.stream().map(source -> chunker.split(source.text())).toList();
        List<String> texts = pieces.stream().flatMap(List::stream).map(Indexer::embeddedText).toList();
        int total = texts.size();
        progress.accept(0, total);
        List<float[]> vectors = new ArrayList<>(total);
        for (int from = 0; from < total; from += settings.embeddingBatch()) {
            vectors.addAll(embedder.embed(texts.subList(from, Math.min(total, from + settings.embeddingBatch()))));
            progress.accept(vectors.size(), total);
        }
        String model = embedder.modelId();
        if (!vectors.isEmpty()) {
            vectorIndexes.ensure(model, vectors.getFirst().length);
        }
        int dimensions = vectors.isEmpty() ? 0 : vectors.getFirst().length;
        List<List<UUID>> ids = new ArrayList<>(sources.size());
        List<OwnerVectors> added = new ArrayList<>(sources.size());
        int next = 0;
        for (int s = 0; s < sources.size(); s++) {
            SourceText source = sources.get(s);
            List<UUID> sourceIds = new ArrayList<>();
            OwnerVectors sourceVectors = new OwnerVectors(dimensions);
            for (int i = 0; i < pieces.get(s).size(); i++, next++) {
                sourceIds.add(Ids.next());
                sourceVectors.add(sourceIds.getLast(), source.kind(), source.sourceId(), source.chatId(),
                        vectors.get(next));
            }
            ids.add(sourceIds);
            added.add(sourceVectors);
        }
        sources.stream().map(SourceText::owner).distinct().forEach(vectorSearch::changing);
        writes.run(() -> {
            chunks.lockSources(sources.stream().map(SourceText::sourceId).toList());
            int from = 0;
            for (int s = 0; s < sources.size(); s++) {
                SourceText source = sources.get(s);
                int count = pieces.get(s).size();
                chunks.deleteSource(source.owner(), source.kind(), source.sourceId());
                if (count > 0) {
                    chunks.insertAll(source, pieces.get(s), ids.get(s), model, vectors.subList(from, from + count),
                            clock.instant());
                }
                from += count;
                versions.record(source.owner(), ChunkVersions.Change.Kind.SOURCE, source.sourceId().toString());
            }
            return null;
        });
        for (int s = 0; s < sources.size(); s++) {
            changed(sources.get(s).owner(), new VectorChange.Source(sources.get(s).sourceId(), added.get(s)));
        }
        return total;
    }

    // The heading path says what a passage is about ("Installation > Docker"): embedding it with the text
    // places the chunk by its topic as well as its words.
    private static String embeddedText(Chunker.Chunk chunk) {
        return embeddedText(chunk.headingPath(), chunk.text());
    }

    static String embeddedText(String headingPath, String text) {
        return headingPath.isEmpty() ? text : headingPath + "\n\n" + text;
    }

    /** Deletes one source's chunks. Joins the caller's transaction if there is one. */
    public void forget(UUID owner, SourceKind kind, UUID sourceId) {
        forget(owner, kind, List.of(sourceId));
    }

    /**
     * Deletes the chunks of several sources (a deleted subtree's messages) in one transaction; joins the
     * caller's if there is one. Every source's lock is taken before the first change is recorded: an index job
     * holds its source's lock while it waits for the owner's version row, so a transaction that bumped that
     * row and then waited for the job's source would deadlock with it.
     */
    public void forget(UUID owner, SourceKind kind, Collection<UUID> sourceIds) {
        if (sourceIds.isEmpty()) {
            return;
        }
        vectorSearch.changing(owner);
        writes.run(() -> {
            chunks.lockSources(sourceIds);
            for (UUID sourceId : sourceIds) {
                chunks.deleteSource(owner, kind, sourceId);
                versions.record(owner, ChunkVersions.Change.Kind.SOURCE, sourceId.toString());
            }
            return null;
        });
        for (UUID sourceId : sourceIds) {
            changed(owner, new VectorChange.Source(sourceId, new OwnerVectors(0)));
        }
    }

    /** Deletes the chunks of every message of one chat. Joins the caller's transaction if there is one. */
    public void forgetChat(UUID owner, UUID chatId) {
        vectorSearch.changing(owner);
        writes.run(() -> {
            chunks.deleteChat(owner, chatId);
            return versions.record(owner, ChunkVersions.Change.Kind.CHAT, chatId.toString());
        });
        changed(owner, new VectorChange.Chat(chatId));
    }

    /** Gives the chunks of one chat's messages the chat's new name. Joins the caller's transaction if there is one. */
    public void renameChat(UUID owner, UUID chatId, String name) {
        writes.run(() -> chunks.renameChat(owner, chatId, name));
    }

    /** Deletes all of an owner's chunks of one kind, e.g. all messages when memory is turned off. */
    public void forgetAll(UUID owner, SourceKind kind) {
        vectorSearch.changing(owner);
        writes.run(() -> {
            chunks.deleteKind(owner, kind);
            return versions.record(owner, ChunkVersions.Change.Kind.KIND, kind.wire());
        });
        changed(owner, new VectorChange.Kind(kind));
    }

    /**
     * Tells the vector search of the change once it is committed: inside a caller's transaction, after its
     * commit (and if it rolls back, the owner's held vectors are dropped, to be loaded again).
     */
    private void changed(UUID owner, VectorChange change) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status == STATUS_COMMITTED) {
                        vectorSearch.changed(owner, change);
                    } else {
                        vectorSearch.forget(owner);
                    }
                }
            });
        } else {
            vectorSearch.changed(owner, change);
        }
    }
}
