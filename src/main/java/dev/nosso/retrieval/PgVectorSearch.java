package dev.nosso.retrieval;

import dev.nosso.platform.Rows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Search by meaning on PostgreSQL: pgvector's HNSW index, read on every search. */
final class PgVectorSearch implements VectorSearch {

    // HNSW with the owner and scope filters inside the query. Iterative scans (pgvector 0.8) keep walking the
    // graph until LIMIT rows pass the filters; relaxed order may return them slightly out of order, so they
    // are sorted by score again. Both settings are set on every connection when it is opened
    // (RetrievalConfiguration's session settings), so a search is one statement, with no transaction around it.
    // The model is written into the statement, not bound: its HNSW index is partial (WHERE embedding_model =
    // '...'), and only a constant lets the planner prove that a cached generic plan may use it. It comes from
    // the server's configuration, never from a request. The ORDER BY's cast matches the index's expression
    // (half precision); the score is computed from the stored float32 vector.
    private static final String NEAREST = """
            SELECT c.id, 1 - (c.embedding <=> CAST(:vector AS vector)) AS score
              FROM chunks c
             WHERE c.user_id = :owner AND c.embedding_model = %2$s""";
    private static final String NEAREST_ORDER = " ORDER BY c.embedding::%1$s <=> CAST(:vector AS %1$s) LIMIT :limit";

    private final JdbcClient jdbc;
    private final VectorIndexes indexes;

    PgVectorSearch(JdbcClient jdbc, VectorIndexes indexes) {
        this.jdbc = jdbc;
        this.indexes = indexes;
    }

    @Override
    public List<Scored> nearest(UUID owner, String model, float[] query, Scope scope, int limit) {
        indexes.ensure(model, query.length); // a remote model's index, once its vector length is known
        String type = VectorIndexes.vectorType(query.length);
        String sql = NEAREST.formatted(type, VectorIndexes.literal(model)) + scope.sql()
                + NEAREST_ORDER.formatted(type);
        List<Scored> found = new ArrayList<>(scope.bind(jdbc.sql(sql))
                .param("vector", query).param("owner", owner).param("limit", limit)
                .query((rs, n) -> new Scored(Rows.uuid(rs, "id"), rs.getDouble("score"))).list());
        found.sort(Comparator.comparingDouble(Scored::score).reversed()); // relaxed order: sort again
        return found;
    }

    @Override
    public boolean runsInThisProcess() {
        return false;
    }
}
