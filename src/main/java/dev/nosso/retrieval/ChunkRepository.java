package dev.nosso.retrieval;

import dev.nosso.platform.Dialect;
import dev.nosso.platform.Rows;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The chunks table: writes, and the reads that load an owner's chunks into memory or turn ranked ids into
 * passages. The searches themselves sit beside it, each with its own statement ({@link FullTextSearch},
 * {@link PgVectorSearch}). Every statement carries the owner.
 */
@Repository
class ChunkRepository {

    private static final String INSERT = """
            INSERT INTO chunks (id, user_id, source_kind, source_id, source_name, chat_id, ordinal, heading_path,
                                text, token_count, embedding_model, embedding, created_at)
            VALUES (:id, :owner, :kind, :sourceId, :sourceName, :chatId, :ordinal, :headingPath,
                    :text, :tokenCount, :model, :embedding, :now)
            """;

    private static final String DELETE_SOURCE =
            "DELETE FROM chunks WHERE user_id = :owner AND source_kind = :kind AND source_id = :sourceId";

    private static final String DELETE_KIND = "DELETE FROM chunks WHERE user_id = :owner AND source_kind = :kind";

    private static final String DELETE_CHAT =
            "DELETE FROM chunks WHERE user_id = :owner AND chat_id = :chatId AND source_kind = 'message'";

    private static final String VECTORS_OF_OWNER = """
            SELECT c.id, c.source_kind, c.source_id, c.chat_id, c.embedding
              FROM chunks c WHERE c.user_id = :owner AND c.embedding_model = :model
            """;

    private static final String TEXTS = """
            SELECT c.id, c.source_kind, c.source_id, c.chat_id, c.heading_path, c.text
              FROM chunks c WHERE c.user_id = :owner""";

    // The unique id index must drive this lookup. Without statistics SQLite prefers the owner index and reads
    // every one of the owner's chunks (20 ms at 20,000); the unary + keeps it off that index, not the filter.
    private static final String PASSAGES = """
            SELECT c.id, c.source_kind, c.source_id, c.source_name, c.chat_id, c.heading_path, c.text
              FROM chunks c WHERE c.id IN (:ids) AND %s = :owner
            """;

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batches;
    private final Dialect dialect;

    /**
     * Serialises writers of these sources until the transaction ends. On PostgreSQL two jobs indexing the same
     * message at once (an edit's and a re-index's) would each delete nothing the other had not committed and
     * both insert: duplicate chunks. SQLite's single writer serialises them already. The locks are taken in
     * the order of their keys, so two transactions that lock overlapping sets cannot each hold what the
     * other waits for.
     */
    void lockSources(Collection<UUID> sourceIds) {
        if (dialect != Dialect.POSTGRESQL) {
            return;
        }
        long[] keys = sourceIds.stream()
                .mapToLong(id -> id.getMostSignificantBits() ^ id.getLeastSignificantBits())
                .sorted().distinct().toArray();
        for (long key : keys) {
            jdbc.sql("SELECT pg_advisory_xact_lock(:key)").param("key", key).query((rs, row) -> null).list();
        }
    }

    ChunkRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batches, Dialect dialect) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.dialect = dialect;
    }

    /**
     * One source's chunks, the i-th with the i-th id and vector, as one JDBC batch: on PostgreSQL a few
     * multi-row statements instead of a round trip per chunk.
     */
    void insertAll(SourceText source, List<Chunker.Chunk> chunks, List<UUID> ids, String model, List<float[]> vectors,
                   Instant now) {
        SqlParameterSource[] rows = new SqlParameterSource[chunks.size()];
        for (int i = 0; i < rows.length; i++) {
            Chunker.Chunk chunk = chunks.get(i);
            float[] embedding = vectors.get(i);
            rows[i] = new MapSqlParameterSource()
                    .addValue("id", ids.get(i)).addValue("owner", source.owner()).addValue("kind", source.kind().wire())
                    .addValue("sourceId", source.sourceId()).addValue("sourceName", source.sourceName())
                    .addValue("chatId", source.chatId()).addValue("ordinal", chunk.ordinal())
                    .addValue("headingPath", chunk.headingPath()).addValue("text", chunk.text())
                    .addValue("tokenCount", chunk.tokenCount()).addValue("model", model)
                    .addValue("embedding", stored(embedding))
                    .addValue("now", now.toEpochMilli());
        }
        batches.batchUpdate(INSERT, rows);
    }

    /**
     * A vector as this database stores it: SQLite a BLOB of float32s; PostgreSQL a {@code real[]}, which the
     * driver sends in binary and pgvector casts to its column's type. Sent as pgvector's text instead, 2,000
     * vectors of 384 numbers cost the JVM 0.1-0.2 s of CPU to format and PostgreSQL about 0.08 s to parse.
     */
    private Object stored(float[] vector) {
        return dialect == Dialect.POSTGRESQL ? vector : Vectors.toBytes(vector);
    }

    int deleteSource(UUID owner, SourceKind kind, UUID sourceId) {
        return jdbc.sql(DELETE_SOURCE).param("owner", owner).param("kind", kind.wire()).param("sourceId", sourceId)
                .update();
    }

    int deleteChat(UUID owner, UUID chatId) {
        return jdbc.sql(DELETE_CHAT).param("owner", owner).param("chatId", chatId).update();
    }

    int renameChat(UUID owner, UUID chatId, String name) {
        return jdbc.sql("""
                UPDATE chunks SET source_name = :name
                 WHERE user_id = :owner AND chat_id = :chatId AND source_kind = 'message'
                """).param("name", name).param("owner", owner).param("chatId", chatId).update();
    }

    int deleteKind(UUID owner, SourceKind kind) {
        return jdbc.sql(DELETE_KIND).param("owner", owner).param("kind", kind.wire()).update();
    }

    /** Every vector of one owner and model, for the in-memory index. */
    void vectorsOf(UUID owner, String model, VectorConsumer consumer) {
        jdbc.sql(VECTORS_OF_OWNER).param("owner", owner).param("model", model).query(rs -> {
            consumer.accept(Rows.uuid(rs, "id"), SourceKind.ofWire(rs.getString("source_kind")),
                    Rows.uuid(rs, "source_id"), Rows.uuid(rs, "chat_id"), Vectors.fromBytes(rs.getBytes("embedding")));
        });
    }

    /** A chunk embedded by another model than the current one: what re-embedding it needs. */
    record Stale(UUID id, String headingPath, String text) {
    }

    // Re-embedding after a model change: the owners with such chunks, then each owner's, a batch at a time.
    long countOtherModel(String model) {
        return jdbc.sql("SELECT COUNT(*) FROM chunks WHERE embedding_model <> :model").param("model", model)
                .query(Long.class).single();
    }

    /** Whether any chunk was embedded by another model; stops at the first, unlike a count. */
    boolean anyOtherModel(String model) {
        return jdbc.sql("SELECT 1 FROM chunks WHERE embedding_model <> :model LIMIT 1").param("model", model)
                .query(Integer.class).optional().isPresent();
    }

    List<UUID> ownersWithOtherModel(String model) {
        return jdbc.sql("SELECT DISTINCT user_id FROM chunks WHERE embedding_model <> :model").param("model", model)
                .query((rs, n) -> Rows.uuid(rs, "user_id")).list();
    }

    List<Stale> otherModel(UUID owner, String model, int limit) {
        return jdbc.sql("""
                SELECT id, heading_path, text FROM chunks
                 WHERE user_id = :owner AND embedding_model <> :model ORDER BY id LIMIT :limit
                """).param("owner", owner).param("model", model).param("limit", limit)
                .query((rs, n) -> new Stale(Rows.uuid(rs, "id"), rs.getString("heading_path"), rs.getString("text")))
                .list();
    }

    /** Replaces a chunk's vector with the current model's; a chunk replaced or deleted meanwhile is left alone. */
    void reembed(UUID owner, UUID id, String model, float[] embedding) {
        Object vector = stored(embedding);
        jdbc.sql("""
                UPDATE chunks SET embedding = :embedding, embedding_model = :model
                 WHERE id = :id AND user_id = :owner AND embedding_model <> :model
                """).param("embedding", vector).param("model", model).param("id", id).param("owner", owner).update();
    }

    /** Every chunk of the owner (or of one of the owner's sources), with its text, for the keyword index. */
    void textsOf(UUID owner, UUID sourceId, TextConsumer consumer) {
        String sql = TEXTS + (sourceId == null ? "" : " AND c.source_id = :sourceId");
        var spec = jdbc.sql(sql).param("owner", owner);
        if (sourceId != null) {
            spec = spec.param("sourceId", sourceId);
        }
        spec.query(rs -> {
            consumer.accept(Rows.uuid(rs, "id"), SourceKind.ofWire(rs.getString("source_kind")),
                    Rows.uuid(rs, "source_id"), Rows.uuid(rs, "chat_id"), rs.getString("heading_path"),
                    rs.getString("text"));
        });
    }

    int countOf(UUID owner) {
        return jdbc.sql("SELECT COUNT(*) FROM chunks WHERE user_id = :owner").param("owner", owner)
                .query(Integer.class).single();
    }

    interface TextConsumer {
        void accept(UUID chunkId, SourceKind kind, UUID sourceId, UUID chatId, String headingPath, String text);
    }

    interface VectorConsumer {
        void accept(UUID chunkId, SourceKind kind, UUID sourceId, UUID chatId, float[] vector);
    }

    Map<UUID, Passage> passages(UUID owner, List<UUID> ids) {
        Map<UUID, Passage> passages = new HashMap<>();
        if (ids.isEmpty()) {
            return passages;
        }
        String sql = PASSAGES.formatted(dialect.pick("+c.user_id", "c.user_id"));
        jdbc.sql(sql).param("owner", owner).param("ids", ids).query(rs -> {
            UUID id = Rows.uuid(rs, "id");
            passages.put(id, new Passage(id, SourceKind.ofWire(rs.getString("source_kind")), Rows.uuid(rs, "source_id"),
                    rs.getString("source_name"), Rows.uuid(rs, "chat_id"), rs.getString("heading_path"),
                    rs.getString("text"), 0));
        });
        return passages;
    }
}
