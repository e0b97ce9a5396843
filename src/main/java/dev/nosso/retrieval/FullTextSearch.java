package dev.nosso.retrieval;

import dev.nosso.platform.Dialect;
import dev.nosso.platform.Reads;
import dev.nosso.platform.Rows;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Search by words with the database's own full-text index: FTS5's bm25 on SQLite, ts_rank over a
 * {@code tsvector} on PostgreSQL. Both score every match before the best few are known, which a long question
 * makes slow (see {@link KeywordIndex}), so by default it answers only while the Lucene index loads an owner.
 */
final class FullTextSearch implements KeywordSearch {

    // bm25() is lower for better matches. The FTS index matches every owner's rows; the owner filter in the
    // same statement keeps only the caller's before LIMIT, so a user with few chunks still gets k of them.
    private static final String SQLITE = """
            SELECT c.id, -bm25(chunks_fts) AS score
              FROM chunks_fts JOIN chunks c ON c.seq = chunks_fts.rowid
             WHERE chunks_fts MATCH :query AND c.user_id = :owner""";
    private static final String SQLITE_ORDER = " ORDER BY bm25(chunks_fts) LIMIT :limit";

    private static final String POSTGRESQL = """
            SELECT c.id, ts_rank(c.search, to_tsquery('simple', :query)) AS score
              FROM chunks c
             WHERE c.search @@ to_tsquery('simple', :query) AND c.user_id = :owner""";
    private static final String POSTGRESQL_ORDER = " ORDER BY score DESC, c.id LIMIT :limit";

    private final JdbcClient jdbc;
    private final Dialect dialect;
    private final Reads reads;
    private final String select;
    private final String order;

    FullTextSearch(JdbcClient jdbc, Dialect dialect, Reads reads) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.reads = reads;
        this.select = dialect.pick(SQLITE, POSTGRESQL);
        this.order = dialect.pick(SQLITE_ORDER, POSTGRESQL_ORDER);
    }

    @Override
    public List<Scored> search(UUID owner, List<String> words, Scope scope, int limit) {
        String expression = KeywordQuery.expression(words, dialect);
        return reads.run(() -> scope.bind(jdbc.sql(select + scope.sql() + order))
                .param("query", expression).param("owner", owner).param("limit", limit)
                .query((rs, n) -> new Scored(Rows.uuid(rs, "id"), rs.getDouble("score"))).list());
    }
}
