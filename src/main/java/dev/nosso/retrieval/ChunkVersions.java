package dev.nosso.retrieval;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Each owner's chunk version and the latest changes behind it (tables {@code chunk_versions} and
 * {@code chunk_changes}). Every write to an owner's chunks records one change in its own transaction; the
 * version row it bumps stays locked until that transaction ends, so versions commit in order, without gaps,
 * and a reader that sees version n has every change up to n. {@link KeywordIndex} uses them to know whether
 * the index it holds is current and to catch up.
 */
@Repository
class ChunkVersions {

    /** Changes kept per owner; a reader further behind than this loads the owner again. */
    static final int KEPT = 1000;

    private static final String BUMP = """
            INSERT INTO chunk_versions (user_id, version) VALUES (:owner, 1)
            ON CONFLICT (user_id) DO UPDATE SET version = chunk_versions.version + 1
            RETURNING version
            """;

    private final JdbcClient jdbc;

    ChunkVersions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What one change touched, as the index replays it. */
    record Change(long version, Kind kind, String target) {

        enum Kind { SOURCE, CHAT, KIND }

        static Kind kindOf(String wire) {
            return Kind.valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    /** Records a change of the owner's chunks; call it inside the transaction that makes the change. */
    long record(UUID owner, Change.Kind kind, String target) {
        long version = jdbc.sql(BUMP).param("owner", owner).query(Long.class).single();
        jdbc.sql("INSERT INTO chunk_changes (user_id, version, change, target) VALUES (:owner, :version, :change, :target)")
                .param("owner", owner).param("version", version)
                .param("change", kind.name().toLowerCase(Locale.ROOT)).param("target", target)
                .update();
        if (version > KEPT) {
            jdbc.sql("DELETE FROM chunk_changes WHERE user_id = :owner AND version <= :oldest")
                    .param("owner", owner).param("oldest", version - KEPT).update();
        }
        return version;
    }

    /** The owner's current version; 0 when their chunks never changed. */
    long current(UUID owner) {
        return jdbc.sql("SELECT version FROM chunk_versions WHERE user_id = :owner").param("owner", owner)
                .query(Long.class).optional().orElse(0L);
    }

    /** The owner's changes after {@code after} up to {@code upTo}, oldest first (fewer when some were pruned). */
    List<Change> between(UUID owner, long after, long upTo) {
        return jdbc.sql("""
                SELECT version, change, target FROM chunk_changes
                 WHERE user_id = :owner AND version > :after AND version <= :upTo ORDER BY version
                """).param("owner", owner).param("after", after).param("upTo", upTo)
                .query((rs, n) -> new Change(rs.getLong("version"), Change.kindOf(rs.getString("change")),
                        rs.getString("target")))
                .list();
    }
}
