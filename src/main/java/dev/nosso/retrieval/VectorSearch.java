package dev.nosso.retrieval;

import java.util.List;
import java.util.UUID;

/**
 * Search by meaning among one owner's chunks, chosen once at start-up by the database
 * ({@link RetrievalConfiguration}): pgvector's HNSW index on PostgreSQL ({@link PgVectorSearch}), the owners'
 * vectors held in memory on SQLite ({@link MemoryVectorSearch}).
 *
 * <p>The {@link Indexer} tells it about every change of an owner's chunks, for a search that holds vectors
 * to keep them in step; one that reads the table on every search has nothing to do.
 */
interface VectorSearch {

    /**
     * The owner's best {@code limit} chunks embedded by {@code model} for a unit query vector, within the
     * scope, best first.
     */
    List<Scored> nearest(UUID owner, String model, float[] query, Scope scope, int limit);

    /**
     * Whether the search runs on this process's cores (an in-memory scan uses all of them) rather than in the
     * database's process. A hybrid search reads its keyword list beside whichever step leaves a core idle:
     * the query's embedding when this is true, this search when it is false.
     */
    boolean runsInThisProcess();

    /** A change of the owner's chunks is about to be written: what is loaded from now on may predate it. */
    default void changing(UUID owner) {
    }

    /** The change has committed. */
    default void changed(UUID owner, VectorChange change) {
    }

    /** The owner's vectors changed in a way not described by a change (rolled back, or re-embedded). */
    default void forget(UUID owner) {
    }
}
