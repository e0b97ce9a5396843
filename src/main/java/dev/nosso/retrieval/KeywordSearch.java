package dev.nosso.retrieval;

import java.util.List;
import java.util.UUID;

/**
 * Search by words among one owner's chunks, chosen once at start-up ({@link RetrievalConfiguration}): BM25 on
 * the in-process Lucene index ({@link KeywordIndex}), which hands an owner it is still loading to the
 * database's own full-text search ({@link FullTextSearch}); or, with {@code nosso.retrieval.keyword-index}
 * set to {@code database}, the latter alone.
 */
interface KeywordSearch {

    /**
     * The owner's best {@code limit} chunks within the scope that contain any of the words (as
     * {@link KeywordQuery#kept} leaves them; not empty), best first.
     */
    List<Scored> search(UUID owner, List<String> words, Scope scope, int limit);
}
