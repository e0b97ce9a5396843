package dev.nosso.retrieval;

import java.util.Objects;

/**
 * A search among one owner's chunks.
 *
 * @param query what the user asked; at least one word, at most {@link #MAX_QUERY_CHARS} characters
 * @param k     how many passages, 1 to the configured maximum (50)
 * @param mode  keyword, vector or hybrid; {@code null} means hybrid
 * @param scope which of the owner's chunks may be found
 */
public record SearchRequest(String query, int k, SearchMode mode, Scope scope) {

    /** The longest query a search takes; a caller with a longer text searches with its beginning. */
    public static final int MAX_QUERY_CHARS = 4000;

    public SearchRequest {
        mode = mode == null ? SearchMode.HYBRID : mode;
        Objects.requireNonNull(scope, "scope");
    }
}
